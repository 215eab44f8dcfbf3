import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { BinaryNotFoundError } from "../../src/errors/binary-not-found-error.js";
import { InvalidInputError } from "../../src/errors/invalid-input-error.js";
import { ProtocolError } from "../../src/errors/protocol-error.js";
import { RequestAbortedError } from "../../src/errors/request-aborted-error.js";
import { RequestTimeoutError } from "../../src/errors/request-timeout-error.js";
import { TransportClosedError } from "../../src/errors/transport-closed-error.js";
import { guardedChildCount } from "../../src/transport/kill-on-exit.js";
import { StdioTransport } from "../../src/transport/stdio-transport.js";
import { startFakeServer, type FakeConnection } from "./support/fake-server.js";
import { groupMembers, isAlive, killQuietly, waitUntilGone } from "./support/proc.js";

const started: number[] = [];

async function fake(options?: Parameters<typeof startFakeServer>[0]): Promise<FakeConnection> {
  const connection = await startFakeServer(options);
  started.push(connection.transport.pid);
  return connection;
}

async function assertGone(pid: number): Promise<void> {
  assert.ok(await waitUntilGone(pid, 2_000), `process ${pid} is still running`);
  assert.deepEqual(groupMembers(pid), [], `process group ${pid} still has members`);
}

after(() => {
  for (const pid of started) killQuietly(pid);
  assert.equal(guardedChildCount(), 0, "a child is still registered for killing on exit");
});

describe("stdio transport under faults (scripted fake app-server)", { timeout: 30_000 }, () => {
  test("a server that crashes mid-request rejects every pending call with its exit code and stderr tail", async () => {
    const { peer, transport } = await fake();
    const waiting = peer.request("silent", {});
    const crashed = peer.request("crash", {});
    const error = await crashed.then(
      () => assert.fail("the crash was answered"),
      (err: unknown) => err,
    );
    assert.ok(error instanceof TransportClosedError);
    assert.equal(error.reason, "exited");
    assert.equal(error.exitCode, 3);
    assert.equal(error.signal, null);
    assert.match(error.stderrTail, /panic: boom/);
    assert.match(error.message, /exited with code 3/);
    assert.match(error.message, /crash \(id 2\)/);
    assert.match(error.message, /panic: boom/);
    await assert.rejects(waiting, TransportClosedError);
    const late = await peer.request("echo", {}).catch((err: unknown) => err);
    assert.ok(late instanceof TransportClosedError);
    assert.match(late.message, /echo was not sent/);
    assert.equal((await peer.closed).exitCode, 3);
    await assertGone(transport.pid);
  });

  test("a server killed by a signal reports the signal", async () => {
    const { peer, transport } = await fake();
    const error = await peer.request("signal", {}).catch((err: unknown) => err);
    assert.ok(error instanceof TransportClosedError);
    assert.equal(error.signal, "SIGKILL");
    assert.equal(error.exitCode, null);
    assert.match(error.message, /killed by SIGKILL/);
    await assertGone(transport.pid);
  });

  test("a malformed line becomes a diagnostic and the connection goes on", async () => {
    await using connection = await fake();
    const { peer, diagnostics } = connection;
    assert.deepEqual(await peer.request("malformed", {}), { ok: true });
    assert.deepEqual(await peer.request("echo", { n: 1 }), { echo: "echo", params: { n: 1 } });
    const malformed = diagnostics.filter((d) => d.kind === "malformedLine");
    assert.equal(malformed.length, 1);
    assert.equal(malformed[0]!.kind === "malformedLine" && malformed[0]!.excerpt, "this is not json");
  });

  test("a 16 MiB answer is read whole under the default line limit", async () => {
    await using connection = await fake();
    const bytes = 16 * 1024 * 1024;
    const started = performance.now();
    const result = await connection.peer.request<{ blob: string }>("bigline", { bytes });
    const elapsed = performance.now() - started;
    assert.equal(result.blob.length, bytes);
    assert.deepEqual(connection.diagnostics, []);
    console.log(`16 MiB line: answered in ${elapsed.toFixed(0)} ms`);
  });

  test("a 16 MiB line over maxLineBytes fails its call with ProtocolError, and the connection goes on", async () => {
    await using connection = await fake({ transport: { maxLineBytes: 1024 * 1024 } });
    const { peer, diagnostics } = connection;
    const error = await peer.request("bigline", { bytes: 16 * 1024 * 1024 }).catch((err: unknown) => err);
    assert.ok(error instanceof ProtocolError, String(error));
    assert.equal(error.kind, "oversizedLine");
    assert.match(error.message, /bigline \(id 1\).*over the 1048576-byte line limit.*maxLineBytes/);
    const oversized = diagnostics.find((d) => d.kind === "oversizedLine");
    assert.ok(oversized?.kind === "oversizedLine");
    assert.ok(oversized.bytes > 16 * 1024 * 1024);
    assert.equal(oversized.id, 1);
    assert.deepEqual(await peer.request("echo", {}), { echo: "echo", params: {} });
  });

  test("a partial line then EOF is a diagnostic, and the pending call learns the server exited", async () => {
    const { peer, diagnostics, transport } = await fake();
    const error = await peer.request("partial", {}).catch((err: unknown) => err);
    assert.ok(error instanceof TransportClosedError);
    assert.equal(error.reason, "exited");
    assert.equal(error.exitCode, 0);
    const partial = diagnostics.find((d) => d.kind === "partialLine");
    assert.ok(partial?.kind === "partialLine", JSON.stringify(diagnostics));
    assert.match(partial.excerpt, /^\{"id":1,"result":\{"half":$/);
    await assertGone(transport.pid);
  });

  test("an answer to an unknown id is a diagnostic and changes nothing else", async () => {
    await using connection = await fake();
    assert.deepEqual(await connection.peer.request("unknownId", {}), { ok: true });
    const unknown = connection.diagnostics.find((d) => d.kind === "unknownResponse");
    assert.ok(unknown?.kind === "unknownResponse");
    assert.equal(unknown.id, 999_999);
    assert.equal(connection.peer.pendingCount, 0);
  });

  test("a server request nobody handles is answered with method-not-found, never {}", async () => {
    await using connection = await fake();
    const { reply } = await connection.peer.request<{ reply: Record<string, unknown> }>("serverRequest", {
      method: "item/tool/call",
    });
    assert.equal(reply.id, 0);
    assert.equal("result" in reply, false);
    assert.deepEqual(reply.error, { code: -32601, message: "Method not found: no handler for item/tool/call" });
    assert.ok(connection.diagnostics.some((d) => d.kind === "unhandledServerRequest" && d.method === "item/tool/call"));
  });

  test("a throwing handler gets an error answer, and the connection goes on", async () => {
    await using connection = await fake();
    const { peer } = connection;
    peer.onRequest("item/commandExecution/requestApproval", () => {
      throw new Error("approval store is offline");
    });
    const { reply } = await peer.request<{ reply: Record<string, unknown> }>("serverRequest", {
      method: "item/commandExecution/requestApproval",
    });
    assert.deepEqual(reply.error, { code: -32603, message: "approval store is offline" });
    assert.ok(connection.diagnostics.some((d) => d.kind === "serverRequestFailed"));
    peer.onRequest("item/commandExecution/requestApproval", async (params) => ({ decision: "decline", params }));
    const second = await peer.request<{ reply: Record<string, unknown> }>("serverRequest", {
      method: "item/commandExecution/requestApproval",
      params: { itemId: "i-1" },
    });
    assert.deepEqual(second.reply, { id: 1, result: { decision: "decline", params: { itemId: "i-1" } } });
  });

  test("a notification keeps its emittedAtMs", async () => {
    await using connection = await fake();
    const seen: unknown[] = [];
    connection.peer.onNotification((notification) => seen.push(notification));
    await connection.peer.request("notify", {});
    assert.deepEqual(seen, [
      { method: "thread/started", params: { thread: { id: "t-1" } }, emittedAtMs: 1_700_000_000_000 },
    ]);
  });

  test("a call the server never answers times out, saying the outcome is unknown", async () => {
    await using connection = await fake();
    const started = performance.now();
    const error = await connection.peer.request("silent", {}, { timeoutMs: 200 }).catch((err: unknown) => err);
    const elapsed = performance.now() - started;
    assert.ok(error instanceof RequestTimeoutError);
    assert.equal(error.timeoutMs, 200);
    assert.match(error.message, /outcome is unknown/);
    assert.ok(elapsed >= 195 && elapsed < 1_500, `timed out after ${elapsed} ms`);
    assert.equal(connection.peer.pendingCount, 0);
  });

  test("an aborted call rejects at once with RequestAbortedError", async () => {
    await using connection = await fake();
    const controller = new AbortController();
    const call = connection.peer.request("silent", {}, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user pressed stop")), 50);
    const error = await call.catch((err: unknown) => err);
    assert.ok(error instanceof RequestAbortedError);
    assert.equal(error.sent, true);
    assert.equal((error.cause as Error).message, "user pressed stop");
    assert.equal(connection.peer.pendingCount, 0);
  });

  test("close() with 1,000 calls pending rejects them all at once, and the process is gone", async () => {
    const { peer, transport } = await fake();
    const calls = Array.from({ length: 1_000 }, (_, i) => peer.request("silent", { i }));
    const settled = Promise.allSettled(calls);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    const closing = peer.close();
    const results = await settled;
    const rejectedIn = performance.now() - started;
    assert.equal(results.length, 1_000);
    for (const result of results) {
      assert.equal(result.status, "rejected");
      assert.ok(result.reason instanceof TransportClosedError);
      assert.equal(result.reason.reason, "closed");
    }
    assert.ok(rejectedIn < 200, `rejecting took ${rejectedIn} ms`);
    const info = await closing;
    assert.equal(info.reason, "closed");
    assert.equal(info.exitCode, 0);
    assert.strictEqual(peer.close(), peer.close());
    console.log(
      `1,000 pending calls rejected in ${rejectedIn.toFixed(1)} ms; close() took ${(performance.now() - started).toFixed(0)} ms`,
    );
    await assertGone(transport.pid);
  });

  test("close() escalates to SIGTERM, then SIGKILL, for a server that ignores both EOF and SIGTERM", async () => {
    const { peer, transport } = await fake({
      flags: ["--stubborn"],
      transport: { closeGraceMs: 150, killGraceMs: 150 },
    });
    await peer.request("echo", {});
    const started = performance.now();
    const info = await peer.close();
    const elapsed = performance.now() - started;
    assert.equal(info.reason, "closed");
    assert.equal(info.signal, "SIGKILL");
    assert.ok(elapsed >= 290 && elapsed < 2_000, `close took ${elapsed} ms`);
    await assertGone(transport.pid);
  });

  test("close() also ends the processes the server started (its process group)", async () => {
    const { peer, transport } = await fake({
      flags: ["--stubborn"],
      transport: { closeGraceMs: 100, killGraceMs: 100 },
    });
    const { pid } = await peer.request<{ pid: number }>("grandchild", {});
    assert.ok(isAlive(pid));
    await peer.close();
    assert.ok(await waitUntilGone(pid, 2_000), "the grandchild outlived close()");
    await assertGone(transport.pid);
  });

  test("a program that does not exist is a BinaryNotFoundError naming it", async () => {
    const error = await StdioTransport.start({ launchArgsOverride: ["/nonexistent/codex", "app-server"] }).catch(
      (err: unknown) => err,
    );
    assert.ok(error instanceof BinaryNotFoundError);
    assert.equal(error.path, "/nonexistent/codex");
    assert.match(error.message, /\/nonexistent\/codex.*ENOENT/);
  });

  test("a cwd that does not exist is an InvalidInputError naming it, not a missing binary", async () => {
    const error = await StdioTransport.start({ cwd: "/nonexistent/work-dir" }).catch((err: unknown) => err);
    assert.ok(error instanceof InvalidInputError, String(error));
    assert.match(error.message, /`cwd` "\/nonexistent\/work-dir" does not exist/);
  });
});
