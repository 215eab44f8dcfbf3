import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ServerRequest } from "../../src/client/server-request.js";
import { AppServerError } from "../../src/errors/index.js";
import { ServerRequestRelay } from "../../src/sync/server-request-relay.js";
import { toWire } from "../../src/sync/wire-error.js";

function approval(threadId: string, signal = new AbortController().signal): ServerRequest {
  return {
    method: "item/commandExecution/requestApproval",
    params: { threadId, turnId: "turn-1", itemId: "item-1", command: "touch x" },
    id: 7,
    threadId,
    turnId: "turn-1",
    availableDecisions: null,
    signal,
  } as unknown as ServerRequest;
}

describe("the worker's relay holds server requests for the caller's approval handler", { timeout: 5_000 }, () => {
  test("with no handler on the caller's side, the request gets the default answer at once, and is not held", async () => {
    const relay = new ServerRequestRelay(false);
    assert.equal(await relay.handler(approval("thread-1")), undefined);
    assert.equal(relay.take(), undefined);
  });

  test("a held request waits until the caller takes it, without its signal, and resolves with the caller's answer", async () => {
    const relay = new ServerRequestRelay(true);
    const answered = relay.handler(approval("thread-1"));
    await relay.arrival();
    const taken = relay.take();
    assert.ok(taken !== undefined);
    assert.equal(taken.request.method, "item/commandExecution/requestApproval");
    assert.equal("signal" in taken.request, false);
    assert.doesNotThrow(() => structuredClone(taken.request));
    relay.answer(taken.key, { kind: "answer", value: { decision: "accept" } });
    assert.deepEqual(await answered, { decision: "accept" });
  });

  test("the caller's default answer resolves undefined (the async client then fails closed); a failure rejects with its class", async () => {
    const relay = new ServerRequestRelay(true);
    const first = relay.handler(approval("thread-1"));
    relay.answer(relay.take()!.key, { kind: "default" });
    assert.equal(await first, undefined);
    const second = relay.handler(approval("thread-1"));
    relay.answer(relay.take()!.key, { kind: "failed", error: toWire(new AppServerError("handler exploded")) });
    await assert.rejects(
      Promise.resolve(second),
      (error: unknown) => error instanceof AppServerError && error.message === "handler exploded",
    );
  });

  test("a thread's own forwarding covers that thread only", async () => {
    const relay = new ServerRequestRelay(false);
    relay.forward("thread-1", true);
    void relay.handler(approval("thread-1"));
    assert.equal(await relay.handler(approval("thread-2")), undefined);
    assert.equal(relay.take()?.request.threadId, "thread-1");
    relay.forward("thread-1", false);
    assert.equal(await relay.handler(approval("thread-1")), undefined);
  });

  test("a request settled before the caller takes it (resolved, turn ended, timed out) is dropped unseen", async () => {
    const relay = new ServerRequestRelay(true);
    const controller = new AbortController();
    const answered = relay.handler(approval("thread-1", controller.signal));
    controller.abort();
    assert.equal(await answered, undefined);
    assert.equal(relay.take(), undefined);
  });

  test("clear() gives every held request the default answer", async () => {
    const relay = new ServerRequestRelay(true);
    const waiting = relay.handler(approval("thread-1"));
    const handedOut = relay.handler(approval("thread-1"));
    relay.take();
    relay.clear();
    assert.deepEqual(await Promise.all([waiting, handedOut]), [undefined, undefined]);
  });
});
