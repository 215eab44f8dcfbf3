import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { approvalSettings } from "../../src/client/approval-mode.js";
import { sandboxModeOf, sandboxPolicyOf } from "../../src/client/sandbox.js";
import { threadParams, turnParams } from "../../src/client/settings.js";
import { ApprovalMode, InvalidInputError, Sandbox, type ThreadStartOptions } from "../../src/index.js";

describe("approval modes and sandbox presets map to the protocol as the Python SDK maps them", () => {
  it("each mode has its policy (and reviewer)", () => {
    assert.deepEqual(approvalSettings(ApprovalMode.autoReview), {
      approvalPolicy: "on-request",
      approvalsReviewer: "auto_review",
    });
    assert.deepEqual(approvalSettings(ApprovalMode.denyAll), { approvalPolicy: "never" });
    assert.deepEqual(approvalSettings(ApprovalMode.dangerouslyBypassApprovalsAndSandbox), { approvalPolicy: "never" });
  });

  it("presets give the thread's mode and the turn's policy", () => {
    assert.deepEqual(
      Object.values(Sandbox).map((preset) => [sandboxModeOf(preset), sandboxPolicyOf(preset)]),
      [
        ["read-only", { type: "readOnly" }],
        ["workspace-write", { type: "workspaceWrite" }],
        ["danger-full-access", { type: "dangerFullAccess" }],
      ],
    );
    assert.equal(sandboxModeOf("workspace-write"), "workspace-write", "the protocol's own names still work on threads");
  });

  it("thread params: the mode becomes policy/reviewer, the bypass adds full access, nothing given sends nothing", () => {
    assert.deepEqual(threadParams<ThreadStartOptions>({ model: "m" }), { model: "m" });
    assert.deepEqual(threadParams({ approvalMode: "autoReview", sandbox: "workspace" }), {
      sandbox: "workspace-write",
      approvalPolicy: "on-request",
      approvalsReviewer: "auto_review",
    });
    assert.deepEqual(threadParams({ approvalMode: "dangerouslyBypassApprovalsAndSandbox" }), {
      approvalPolicy: "never",
      sandbox: "danger-full-access",
    });
    assert.deepEqual(threadParams({ approvalPolicy: "untrusted", sandbox: null }), {
      approvalPolicy: "untrusted",
      sandbox: null,
    });
  });

  it("turn params: a preset becomes sandboxPolicy, the bypass a dangerFullAccess policy", () => {
    assert.deepEqual(turnParams({ sandbox: "readOnly", effort: "low" }), {
      effort: "low",
      sandboxPolicy: { type: "readOnly" },
    });
    assert.deepEqual(turnParams({ approvalMode: "dangerouslyBypassApprovalsAndSandbox" }), {
      approvalPolicy: "never",
      sandboxPolicy: { type: "dangerFullAccess" },
    });
    assert.deepEqual(turnParams({ sandboxPolicy: { type: "readOnly" } }), { sandboxPolicy: { type: "readOnly" } });
  });

  it("contradictions and unknown values are InvalidInputErrors that say what to do", () => {
    const cases: [() => unknown, RegExp][] = [
      [
        () => threadParams({ approvalMode: "dangerouslyBypassApprovalsAndSandbox", sandbox: "readOnly" }),
        /turns the sandbox off.*drop the sandbox/,
      ],
      [
        () => turnParams({ approvalMode: "dangerouslyBypassApprovalsAndSandbox", sandboxPolicy: { type: "readOnly" } }),
        /sandboxPolicy of type "readOnly"/,
      ],
      [
        () => turnParams({ approvalMode: "dangerouslyBypassApprovalsAndSandbox", sandbox: "fullAccess" }),
        /sandbox "fullAccess"/,
      ],
      [() => turnParams({ sandbox: "readOnly", sandboxPolicy: { type: "readOnly" } }), /not both/],
      [
        () => threadParams({ approvalMode: "denyAll", approvalPolicy: "on-request" }),
        /approvalPolicy "on-request".*not both/,
      ],
      [() => turnParams({ approvalMode: "autoReview", approvalsReviewer: "user" }), /approvalsReviewer "user"/],
      [
        () => threadParams({ approvalMode: "yolo" as never }),
        /"yolo" is not an approval mode.*"autoReview", "denyAll"/,
      ],
      [() => threadParams({ sandbox: "none" as never }), /"none" is not a sandbox/],
      [() => turnParams({ sandbox: "read-only" as never }), /not a preset.*sandboxPolicy/],
    ];
    for (const [call, message] of cases) {
      assert.throws(call, (error: unknown) => error instanceof InvalidInputError && message.test(error.message));
    }
  });
});
