import assert from "node:assert/strict";
import { test } from "node:test";
import { AsyncCodex, InvalidInputError, RetryLimitExceededError, ServerBusyError } from "../../src/index.js";
import { JsonRpcError } from "../../src/errors/index.js";
import { JsonRpcPeer } from "../../src/rpc/peer.js";
import { createMemoryTransportPair } from "../../src/transport/memory-transport.js";

function overloadedServer(failuresBeforeSuccess: number) {
  const [clientSide, serverSide] = createMemoryTransportPair();
  const server = new JsonRpcPeer(serverSide);
  const calls: Record<string, number> = {};
  const count = (method: string) => (calls[method] = (calls[method] ?? 0) + 1);
  server.onRequest("initialize", () => ({
    userAgent: "fake_server/9.9.9",
    codexHome: "/tmp/fake",
    platformFamily: "unix",
    platformOs: "linux",
  }));
  for (const method of ["thread/list", "turn/start"]) {
    server.onRequest(method, () => {
      if (count(method) <= failuresBeforeSuccess)
        throw new JsonRpcError("Server overloaded; retry later.", { code: -32001 });
      return method === "thread/list"
        ? { data: [], nextCursor: null }
        : { turn: { id: "t", status: "inProgress", items: [] } };
    });
  }
  return { transport: () => clientSide, calls, server };
}

test("with retry on, an overloaded read is retried until it succeeds", async () => {
  const fake = overloadedServer(2);
  const codex = new AsyncCodex({ transport: fake.transport, retry: { initialDelayMs: 1, maxDelayMs: 2 } });
  try {
    assert.deepEqual(await codex.threadList(), { data: [], nextCursor: null });
    assert.equal(fake.calls["thread/list"], 3);
  } finally {
    await codex.close();
  }
});

test("with retry on, a request that changes something is never retried", async () => {
  const fake = overloadedServer(1);
  const codex = new AsyncCodex({ transport: fake.transport, retry: { initialDelayMs: 1, maxDelayMs: 2 } });
  try {
    await assert.rejects(codex.request("turn/start", { threadId: "x", input: [] }), ServerBusyError);
    assert.equal(fake.calls["turn/start"], 1);
  } finally {
    await codex.close();
  }
});

test("with retry on, running out of attempts gives RetryLimitExceededError carrying the last overload", async () => {
  const fake = overloadedServer(10);
  const codex = new AsyncCodex({ transport: fake.transport, retry: { attempts: 2, initialDelayMs: 1, maxDelayMs: 2 } });
  try {
    await assert.rejects(codex.threadList(), (error: unknown) => {
      assert.ok(error instanceof RetryLimitExceededError);
      assert.ok(error.cause instanceof ServerBusyError);
      return true;
    });
    assert.equal(fake.calls["thread/list"], 2);
  } finally {
    await codex.close();
  }
});

test("retry is off by default: one overload is one failure", async () => {
  const fake = overloadedServer(1);
  const codex = new AsyncCodex({ transport: fake.transport });
  try {
    await assert.rejects(codex.threadList(), ServerBusyError);
    assert.equal(fake.calls["thread/list"], 1);
  } finally {
    await codex.close();
  }
});

test("a wrong retry option fails in the constructor, naming the option", () => {
  assert.throws(
    () => new AsyncCodex({ retry: { attempts: 0 } }),
    (error: unknown) => {
      assert.ok(error instanceof InvalidInputError);
      assert.match(error.message, /`attempts`/);
      return true;
    },
  );
  assert.throws(
    () => new AsyncCodex({ retry: "yes" as never }),
    /`retry` must be a boolean or retryOnOverload options/,
  );
});
