import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import {
  ApprovalMode,
  AsyncCodex,
  InvalidInputError,
  LocalImageInput,
  Sandbox,
  TextInput,
  type ServerRequest,
} from "../../src/index.js";
import {
  createOfflineEnvironment,
  execCommandReply,
  textReply,
  type OfflineEnvironment,
} from "../../src/testing/index.js";
import { offlineClient } from "../support/offline-client.js";
import type { WireLog } from "../support/wire-log.js";

// Approval modes and sandbox presets against the real app-server. The config is the one a cautious user has:
// `on-request` approvals in a `workspace-write` sandbox. A command that writes outside the workspace is either
// plain (the sandbox stops it unless there is none) or asks for escalation (`sandbox_permissions:
// "require_escalated"`), which is what reaches an approval mode.

let offline: OfflineEnvironment;
let codex: AsyncCodex;
let wire: WireLog;
let outside: string;
const asked: ServerRequest[] = [];

const ESCALATE = {
  arguments: { sandbox_permissions: "require_escalated", justification: "write the report outside the workspace" },
};
const review = (outcome: "allow" | "deny") =>
  textReply(
    JSON.stringify({ outcome, risk_level: "low", user_authorization: "high", rationale: `scripted ${outcome}` }),
  );

function target(name: string): string {
  return join(outside, `${name}.txt`);
}

/** The answer the server gave to the client's last request of `method`. */
function lastAnswer(method: string): Record<string, unknown> {
  const sent = wire.events.filter(
    (e) => e.direction === "outgoing" && (e.message as { method?: string }).method === method,
  );
  const id = (sent.at(-1)?.message as { id?: unknown }).id;
  const answer = wire.received().find((m) => m.id === id && m.method === undefined);
  return answer?.result as Record<string, unknown>;
}

describe("approval modes and sandbox presets on the real app-server", { timeout: 120_000 }, () => {
  before(async () => {
    offline = await createOfflineEnvironment({ approvalPolicy: "on-request", sandboxMode: "workspace-write" });
    outside = mkdtempSync("/var/tmp/codex-outside-");
    ({ codex, wire } = offlineClient(offline, {
      approvalTimeoutMs: 5_000,
      approvalHandler: (request) => {
        asked.push(request);
        return undefined; // fail closed, as the default handler does
      },
    }));
    await codex.start();
  });

  beforeEach(() => {
    asked.length = 0;
    offline.provider.reset();
    offline.provider.setFallback(textReply("Done."));
  });

  after(async () => {
    await codex?.close();
    await offline?.close();
    rmSync(outside, { recursive: true, force: true });
  });

  it("denyAll: an escalation is refused without asking anyone, and the sandbox stops a plain write", async () => {
    const thread = await codex.threadStart({ approvalMode: ApprovalMode.denyAll });
    assert.equal(lastAnswer("thread/start").approvalPolicy, "never");
    offline.provider.enqueue(execCommandReply(`touch ${target("deny-escalated")}`, ESCALATE));
    const escalated = await thread.run("Write the report.");
    offline.provider.enqueue(execCommandReply(`touch ${target("deny-plain")}`));
    const plain = await thread.run("Write the report.");
    assert.equal(escalated.status, "completed");
    assert.equal(plain.status, "completed");
    assert.equal(existsSync(target("deny-escalated")), false);
    assert.equal(existsSync(target("deny-plain")), false);
    assert.deepEqual(asked, [], "the approval handler was never asked");
    const outputs = offline.provider.responsesRequests.map((r) => JSON.stringify(r.body));
    assert.ok(
      outputs.some((body) => body.includes("approval policy is Never")),
      "the model was told the escalation is refused",
    );
  });

  it("autoReview: the escalation goes to codex's reviewer (not the handler), whose verdict decides", async () => {
    const thread = await codex.threadStart({ approvalMode: "autoReview" });
    const started = lastAnswer("thread/start");
    assert.equal(started.approvalPolicy, "on-request");
    assert.equal(started.approvalsReviewer, "auto_review");
    offline.provider.enqueue(execCommandReply(`touch ${target("review-allowed")}`, ESCALATE), review("allow"));
    await thread.run("Write the report.");
    offline.provider.enqueue(execCommandReply(`touch ${target("review-denied")}`, ESCALATE), review("deny"));
    await thread.run("Write the report again.");
    assert.equal(existsSync(target("review-allowed")), true, "the reviewer allowed it");
    assert.equal(existsSync(target("review-denied")), false, "the reviewer denied it");
    assert.deepEqual(asked, [], "the approval handler was never asked");
    const reviews = wire.notifications().filter((n) => n.method === "item/autoApprovalReview/completed");
    assert.equal(reviews.length, 2, "the reviewer was asked twice");
  });

  it("dangerouslyBypassApprovalsAndSandbox: a plain write outside the workspace just runs", async () => {
    const thread = await codex.threadStart({ approvalMode: "dangerouslyBypassApprovalsAndSandbox" });
    const started = lastAnswer("thread/start");
    assert.equal(started.approvalPolicy, "never");
    assert.equal((started.sandbox as { type: string }).type, "dangerFullAccess");
    offline.provider.enqueue(execCommandReply(`touch ${target("bypass")}`));
    await thread.run("Write the report.");
    assert.equal(existsSync(target("bypass")), true);
    assert.deepEqual(asked, []);
  });

  it("no mode: the server asks the approval handler, and the fail-closed answer declines", async () => {
    const thread = await codex.threadStart();
    offline.provider.enqueue(execCommandReply(`touch ${target("default")}`, ESCALATE));
    await thread.run("Write the report.");
    assert.equal(existsSync(target("default")), false);
    assert.deepEqual(
      asked.map((r) => r.method),
      ["item/commandExecution/requestApproval"],
    );
  });

  it("the bypass with an explicit sandbox is refused before any request is sent (thread, resume, fork, turn)", async () => {
    const thread = await codex.threadStart({ sandbox: Sandbox.workspace });
    await thread.run("hello");
    const sentBefore = wire.sentMethods().length;
    const providerBefore = offline.provider.requests.length;
    const bypass = ApprovalMode.dangerouslyBypassApprovalsAndSandbox;
    const refused = [
      () => codex.threadStart({ approvalMode: bypass, sandbox: "readOnly" }),
      () => codex.threadStart({ approvalMode: bypass, sandbox: "danger-full-access" }),
      () => codex.threadResume(thread.id, { approvalMode: bypass, sandbox: "workspace" }),
      () => codex.threadFork(thread.id, { approvalMode: bypass, sandbox: "fullAccess" }),
      () => thread.turn("hi", { approvalMode: bypass, sandbox: "readOnly" }),
      () => thread.run("hi", { approvalMode: bypass, sandboxPolicy: { type: "workspaceWrite", writableRoots: [] } }),
      () => thread.run("hi", { approvalMode: "denyAll", approvalPolicy: "on-request" }),
      () => thread.run("hi", { sandbox: "readOnly", sandboxPolicy: { type: "readOnly" } }),
      () => thread.run("hi", { approvalMode: "askMe" as never }),
      () => codex.threadStart({ sandbox: "sandboxed" as never }),
    ];
    for (const call of refused) {
      await assert.rejects(call, (error: unknown) => {
        assert.ok(error instanceof InvalidInputError, String(error));
        return true;
      });
    }
    assert.equal(wire.sentMethods().length, sentBefore, "no request reached the app-server");
    assert.equal(offline.provider.requests.length, providerBefore);
    await assert.rejects(
      thread.run("hi", { approvalMode: bypass, sandbox: "readOnly" }),
      /turns the sandbox off.*sandbox "readOnly"/,
    );
  });

  it("a sandbox preset on a turn becomes its sandbox policy, and sticks to later turns as the server does", async () => {
    const thread = await codex.threadStart({ approvalMode: "dangerouslyBypassApprovalsAndSandbox" });
    offline.provider.enqueue(textReply("ok"));
    await thread.run("hello", { sandbox: Sandbox.readOnly });
    const sent = wire.events.filter(
      (e) => e.direction === "outgoing" && (e.message as { method?: string }).method === "turn/start",
    );
    assert.deepEqual((sent.at(-1)?.message as { params: { sandboxPolicy: unknown } }).params.sandboxPolicy, {
      type: "readOnly",
    });
    offline.provider.enqueue(execCommandReply(`touch ${target("after-readonly")}`));
    await thread.run("Write the report.");
    assert.equal(existsSync(target("after-readonly")), false, "the read-only policy of the earlier turn still holds");
  });

  it("a turn-level mode sticks to the thread's later turns (the server keeps a turn's approval policy)", async () => {
    const thread = await codex.threadStart();
    await thread.run("hello", { approvalMode: "denyAll" });
    offline.provider.enqueue(execCommandReply(`touch ${target("sticky")}`, ESCALATE));
    await thread.run("Write the report.");
    assert.deepEqual(asked, [], "denyAll of the earlier turn still holds: nobody was asked");
    assert.equal(existsSync(target("sticky")), false);
    const other = await codex.threadStart();
    offline.provider.enqueue(execCommandReply(`touch ${target("other")}`, ESCALATE));
    await other.run("Write the report.");
    assert.equal(asked.length, 1, "another thread of the same client still asks the handler");
  });

  it("fork and resume inherit the thread's mode when none is given", async () => {
    const thread = await codex.threadStart({ approvalMode: "autoReview" });
    await thread.run("hello");
    await codex.threadFork(thread.id);
    const forked = lastAnswer("thread/fork");
    assert.equal(forked.approvalPolicy, "on-request");
    assert.equal(forked.approvalsReviewer, "auto_review");
    await codex.threadFork(thread.id, { approvalMode: "denyAll" });
    assert.equal(lastAnswer("thread/fork").approvalPolicy, "never", "a mode given to the fork wins");

    // Resume in another app-server (one app-server at a time may write a thread): the stored settings come back.
    const { codex: first } = offlineClient(offline);
    let storedId: string;
    try {
      const stored = await first.threadStart({ approvalMode: "autoReview" });
      await stored.run("hello");
      storedId = stored.id;
    } finally {
      await first.close();
    }
    await codex.threadResume(storedId);
    const resumed = lastAnswer("thread/resume");
    assert.equal(resumed.approvalPolicy, "on-request");
    assert.equal(resumed.approvalsReviewer, "auto_review");
  });

  it("RunResult carries the turn's id, status and times; run() takes every input kind", async () => {
    offline.provider.enqueue(textReply("Four.", { deltas: 2 }));
    const thread = await codex.threadStart();
    const result = await thread.run([new TextInput("What is 2 + 2?"), "Answer in one word."]);
    assert.equal(result.finalResponse, "Four.");
    assert.equal(result.status, "completed");
    assert.match(result.id, /\S/);
    assert.equal(typeof result.startedAt, "number");
    assert.equal(typeof result.completedAt, "number");
    assert.equal(typeof result.durationMs, "number");
    assert.ok(result.completedAt! >= result.startedAt!, "completedAt ≥ startedAt");
    assert.ok(result.durationMs! >= 0);
    assert.ok(
      result.durationMs! <= (result.completedAt! - result.startedAt! + 1) * 1000,
      "durationMs fits the seconds",
    );
    const { thread: stored } = await thread.read({ includeTurns: true });
    assert.equal(stored.turns.at(-1)?.id, result.id);
    const image = await thread.run(
      new LocalImageInput(join(import.meta.dirname, "../../examples/assets/sample-scene.png")),
    );
    assert.equal(image.status, "completed");
  });
});
