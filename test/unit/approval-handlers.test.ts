import assert from "node:assert/strict";
import { test } from "node:test";
import {
  allowCommands,
  dangerouslyAcceptAll,
  declineAll,
  failClosedAnswer,
  JsonRpcError,
  type ServerRequest,
} from "../../src/index.js";
import { checkServerRequestResult, serverRequests, type ServerRequestMethod } from "../../src/schema/index.js";

function commandRequest(command: string): ServerRequest {
  return {
    method: "item/commandExecution/requestApproval",
    params: { itemId: "i", threadId: "t", turnId: "u", startedAtMs: 0, command },
    id: 0,
    threadId: "t",
    turnId: "u",
    availableDecisions: null,
    signal: new AbortController().signal,
  };
}

test("the fail-closed answer of every server request fits its result schema and approves nothing", () => {
  const methods = Object.keys(serverRequests) as ServerRequestMethod[];
  assert.ok(methods.length > 0, "the protocol has server requests");
  for (const method of methods) {
    let answer: unknown;
    try {
      answer = failClosedAnswer({ method });
    } catch (error) {
      assert.ok(error instanceof JsonRpcError, `${method} refuses with a JSON-RPC error`);
      assert.ok(["account/chatgptAuthTokens/refresh", "attestation/generate"].includes(method), method);
      continue;
    }
    assert.deepEqual(checkServerRequestResult(method, answer), { ok: true }, method);
    const text = JSON.stringify(answer);
    assert.doesNotMatch(text, /"accept"|"acceptForSession"|"approved"/, `${method} approves nothing: ${text}`);
  }
});

test("permission requests get no permissions at all by default", () => {
  assert.deepEqual(failClosedAnswer({ method: "item/permissions/requestApproval" }), {
    permissions: {},
    scope: "turn",
  });
});

test("declineAll declines a command", () => {
  assert.deepEqual(declineAll(commandRequest("rm -rf /")), { decision: "decline" });
});

test("dangerouslyAcceptAll accepts commands and file changes", () => {
  assert.deepEqual(dangerouslyAcceptAll(commandRequest("rm -rf /")), { decision: "accept" });
});

test("allowCommands accepts an allowed prefix, through codex's bash -lc wrapper", () => {
  const handler = allowCommands(["git status", "ls"]);
  assert.deepEqual(handler(commandRequest("git status --short")), { decision: "accept" });
  assert.deepEqual(handler(commandRequest("/bin/bash -lc 'ls -la src'")), { decision: "accept" });
  assert.deepEqual(handler(commandRequest("ls")), { decision: "accept" });
  assert.deepEqual(
    handler(commandRequest("/bin/bash -lc ls")),
    { decision: "accept" },
    "codex leaves a one-word script unquoted",
  );
});

test("allowCommands declines other commands, partial words and anything with shell control characters", () => {
  const handler = allowCommands(["git status", "ls"]);
  for (const command of [
    "git push",
    "git",
    "lsof",
    "ls; rm -rf ~",
    "ls && curl evil",
    "ls | sh",
    "ls $(rm -rf ~)",
    "ls `rm -rf ~`",
    "ls > /etc/passwd",
    "/bin/bash -lc 'ls; rm -rf ~'",
    "/bin/bash -lc 'ls' ; rm -rf ~",
    "/bin/bash -lc rm",
  ]) {
    assert.deepEqual(handler(commandRequest(command)), { decision: "decline" }, command);
  }
});

test("allowCommands hands what it does not approve to `otherwise`", () => {
  const handler = allowCommands(["ls"], { otherwise: () => ({ decision: "cancel" }) });
  assert.deepEqual(handler(commandRequest("rm x")), { decision: "cancel" });
});
