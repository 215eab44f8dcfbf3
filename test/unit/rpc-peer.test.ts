import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import {
  InvalidInputError,
  InvalidParamsError,
  JsonRpcError,
  MethodNotFoundError,
  ProtocolError,
  RequestAbortedError,
  RequestTimeoutError,
  ServerBusyError,
  TransportClosedError,
} from "../../src/errors/index.js";
import type { ProtocolDiagnostic } from "../../src/rpc/diagnostic.js";
import { JsonRpcPeer, type JsonRpcPeerOptions } from "../../src/rpc/peer.js";
import type { TraceEvent } from "../../src/rpc/trace.js";
import { createMemoryTransportPair, type MemoryTransport } from "../../src/transport/memory-transport.js";
import type { TransportMessage } from "../../src/transport/transport.js";
import { requestCodex } from "../../src/client/rpc-error.js";

/** The server end as raw messages: what the client sent, and a way to send anything back. */
interface RawServer {
  readonly transport: MemoryTransport;
  next(): Promise<TransportMessage>;
  send(message: object): void;
}

function connect(options: JsonRpcPeerOptions = {}): {
  peer: JsonRpcPeer;
  server: RawServer;
  diagnostics: ProtocolDiagnostic[];
} {
  const [clientSide, serverSide] = createMemoryTransportPair();
  const inbox: TransportMessage[] = [];
  const waiters: Array<(message: TransportMessage) => void> = [];
  serverSide.listen({
    message: (message) => (waiters.length > 0 ? waiters.shift()!(message) : inbox.push(message)),
    diagnostic() {},
    close() {},
  });
  const server: RawServer = {
    transport: serverSide,
    next: () =>
      inbox.length > 0
        ? Promise.resolve(inbox.shift()!)
        : Promise.race([
            new Promise<TransportMessage>((resolve) => waiters.push(resolve)),
            delay(2_000, undefined, { ref: false }).then(() => assert.fail("the client sent nothing")),
          ]),
    send: (message) => serverSide.send(message),
  };
  const peer = new JsonRpcPeer(clientSide, options);
  const diagnostics: ProtocolDiagnostic[] = [];
  peer.onDiagnostic((diagnostic) => diagnostics.push(diagnostic));
  return { peer, server, diagnostics };
}

const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => assert.fail(`resolved with ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );

describe("JsonRpcPeer: calls", { timeout: 10_000 }, () => {
  test("sends requests with unique ids and no jsonrpc member, and matches answers by id in any order", async () => {
    const { peer, server } = connect();
    const first = peer.request("thread/list", { limit: 1 });
    const second = peer.request("model/list");
    const sent = [await server.next(), await server.next()];
    assert.deepEqual(sent, [
      { id: 1, method: "thread/list", params: { limit: 1 } },
      { id: 2, method: "model/list" },
    ]);
    server.send({ id: 2, result: { data: ["m"] } });
    server.send({ id: 1, result: { data: [] } });
    assert.deepEqual(await second, { data: ["m"] });
    assert.deepEqual(await first, { data: [] });
    assert.equal(peer.pendingCount, 0);
    await peer.close();
  });

  test("an error answer rejects with a plain JsonRpcError carrying code, message and data as sent", async () => {
    const { peer, server } = connect();
    const call = peer.request("thread/read", { threadId: "t-9" });
    const { id } = await server.next();
    server.send({
      id,
      error: { code: -32600, message: "Invalid request: missing field `includeTurns`", data: { at: 1 } },
    });
    const error = (await rejection(call)) as JsonRpcError;
    assert.equal(error.constructor, JsonRpcError, "the peer maps nothing: what a code means is for the layer above");
    assert.equal(error.code, -32600);
    assert.equal(error.rpcMessage, "Invalid request: missing field `includeTurns`");
    assert.deepEqual(error.data, { at: 1 });
    assert.equal(error.method, "thread/read");
    const busy = peer.request("thread/start", {});
    server.send({ id: (await server.next()).id, error: { code: -32001, message: "Server overloaded; retry later." } });
    const overloaded = (await rejection(busy)) as JsonRpcError;
    assert.equal(overloaded.constructor, JsonRpcError);
    assert.doesNotMatch(overloaded.message, /retryOnOverload|codex/i, "no codex wording in the peer");
    await peer.close();
  });

  test("the client layer maps the peer's plain error to the codex class, naming the method and thread", async () => {
    const { peer, server } = connect();
    const call = requestCodex(peer, "thread/read", { threadId: "t-9" });
    const { id } = await server.next();
    server.send({ id, error: { code: -32600, message: "Invalid request: missing field `includeTurns`" } });
    const error = await rejection(call);
    assert.ok(error instanceof InvalidParamsError);
    assert.equal(error.method, "thread/read");
    assert.equal(error.threadId, "t-9");
    assert.match(error.message, /^thread\/read on thread t-9: Invalid request: missing field `includeTurns`\./);
    const busy = requestCodex(peer, "thread/start", {});
    server.send({ id: (await server.next()).id, error: { code: -32001, message: "Server overloaded; retry later." } });
    assert.ok((await rejection(busy)) instanceof ServerBusyError);
    await peer.close();
  });

  test("an answer with neither result nor error rejects with ProtocolError", async () => {
    const { peer, server, diagnostics } = connect();
    const call = peer.request("x");
    server.send({ id: (await server.next()).id, error: "nope" });
    const error = await rejection(call);
    assert.ok(error instanceof ProtocolError);
    assert.equal(error.kind, "invalidResponse");
    assert.deepEqual(
      diagnostics.map((d) => d.kind),
      ["invalidResponse"],
    );
    await peer.close();
  });

  test("a call times out after its own timeoutMs, else the peer's requestTimeoutMs; a late answer is dropped", async () => {
    const { peer, server, diagnostics } = connect({ requestTimeoutMs: 80 });
    const started = performance.now();
    const byPeer = rejection(peer.request("slow/peer"));
    const byCall = rejection(peer.request("slow/call", {}, { timeoutMs: 30 }));
    const callError = await byCall;
    assert.ok(callError instanceof RequestTimeoutError);
    assert.equal(callError.timeoutMs, 30);
    const peerError = await byPeer;
    assert.ok(peerError instanceof RequestTimeoutError);
    assert.equal(peerError.method, "slow/peer");
    assert.ok(performance.now() - started >= 78);
    assert.match(peerError.message, /slow\/peer \(id 1\) got no answer .* within 80 ms; the outcome is unknown/);
    server.send({ id: 1, result: "too late" });
    await delay(10);
    assert.deepEqual(
      diagnostics.map((d) => [d.kind, "method" in d ? d.method : undefined]),
      [["lateResponse", "slow/peer"]],
    );
    await peer.close();
  });

  test("an abort before sending sends nothing; an abort after sending rejects at once and drops the answer", async () => {
    const { peer, server, diagnostics } = connect();
    const early = await rejection(peer.request("x", {}, { signal: AbortSignal.abort("stop") }));
    assert.ok(early instanceof RequestAbortedError);
    assert.equal(early.sent, false);
    assert.equal(early.cause, "stop");
    const controller = new AbortController();
    const call = rejection(peer.request("y", {}, { signal: controller.signal }));
    const sent = await server.next();
    assert.equal(sent.method, "y");
    controller.abort();
    const error = await call;
    assert.ok(error instanceof RequestAbortedError);
    assert.equal(error.sent, true);
    assert.equal(error.id, sent.id);
    server.send({ id: sent.id, result: {} });
    await delay(10);
    assert.deepEqual(
      diagnostics.map((d) => d.kind),
      ["lateResponse"],
    );
    await peer.close();
  });

  test("answers to unknown ids are diagnostics, including string ids and ids never issued", async () => {
    const { peer, server, diagnostics } = connect();
    server.send({ id: 41, result: {} });
    server.send({ id: "1", result: {} });
    server.send({ id: null, error: { code: -32700, message: "Parse error" } });
    server.send({ hello: "world" });
    await delay(10);
    assert.deepEqual(
      diagnostics.map((d) => d.kind),
      ["unknownResponse", "unknownResponse", "unknownResponse", "invalidResponse"],
    );
    await peer.close();
  });

  test("options are checked, and params JSON cannot carry are an InvalidInputError with nothing left pending", async () => {
    assert.throws(() => connect({ requestTimeoutMs: 0 }), InvalidInputError);
    assert.throws(() => connect({ requestTimeoutMs: 0 }), /`requestTimeoutMs` must be a whole number of milliseconds/);
    const { peer } = connect();
    for (const timeoutMs of [-1, 0, Number.NaN, 1.5, 2 ** 31]) {
      await assert.rejects(peer.request("x", {}, { timeoutMs }), InvalidInputError, `timeoutMs ${timeoutMs}`);
    }
    await assert.rejects(
      peer.request("x", {}, { timeoutMs: -1 }),
      /`timeoutMs` must be a whole number of milliseconds from 1 to 2147483647 \(or Infinity\)/,
    );
    const error = await rejection(peer.request("thread/start", { big: 1n }));
    assert.ok(error instanceof InvalidInputError);
    assert.match(error.message, /params of thread\/start cannot be sent as JSON/);
    assert.equal(peer.pendingCount, 0);
    await peer.close();
  });
});

describe("JsonRpcPeer: server requests and notifications", { timeout: 10_000 }, () => {
  test("a server request goes to its method's handler, whose result is the answer", async () => {
    const { peer, server } = connect();
    peer.onRequest<{ command: string }>("item/commandExecution/requestApproval", (params, context) => {
      assert.equal(context.method, "item/commandExecution/requestApproval");
      assert.equal(context.signal.aborted, false);
      return { decision: params.command === "ls" ? "accept" : "decline" };
    });
    server.send({ id: 0, method: "item/commandExecution/requestApproval", params: { command: "ls" } });
    server.send({ id: 1, method: "item/commandExecution/requestApproval", params: { command: "rm" } });
    assert.deepEqual(await server.next(), { id: 0, result: { decision: "accept" } });
    assert.deepEqual(await server.next(), { id: 1, result: { decision: "decline" } });
    await peer.close();
  });

  test("a method without a handler gets -32601, never {}; a removed handler counts as none", async () => {
    const { peer, server, diagnostics } = connect();
    const off = peer.onRequest("item/tool/call", () => ({ contentItems: [] }));
    off();
    server.send({ id: 5, method: "item/tool/call", params: {} });
    assert.deepEqual(await server.next(), {
      id: 5,
      error: { code: -32601, message: "Method not found: no handler for item/tool/call" },
    });
    assert.deepEqual(
      diagnostics.map((d) => d.kind),
      ["unhandledServerRequest"],
    );
    await peer.close();
  });

  test("a throwing handler answers -32603 with its message, a thrown JsonRpcError keeps its code and data", async () => {
    const { peer, server, diagnostics } = connect();
    peer.onRequest("a", () => {
      throw new Error("store offline");
    });
    peer.onRequest("b", async () => {
      throw new JsonRpcError("bad decision", { code: -32602, data: { field: "decision" } });
    });
    server.send({ id: 0, method: "a" });
    assert.deepEqual(await server.next(), { id: 0, error: { code: -32603, message: "store offline" } });
    server.send({ id: 1, method: "b" });
    assert.deepEqual(await server.next(), {
      id: 1,
      error: { code: -32602, message: "bad decision", data: { field: "decision" } },
    });
    assert.deepEqual(
      diagnostics.map((d) => d.kind),
      ["serverRequestFailed", "serverRequestFailed"],
    );
    const call = peer.request("still/working");
    server.send({ id: (await server.next()).id, result: 1 });
    assert.equal(await call, 1);
    await peer.close();
  });

  test("a server request whose id is neither a number nor a string is an invalidServerRequest diagnostic, unanswered", async () => {
    const { peer, server, diagnostics } = connect();
    let handled = 0;
    peer.onRequest("item/tool/call", () => void (handled += 1));
    server.send({ id: { nested: 1 }, method: "item/tool/call", params: {} });
    await delay(10);
    assert.equal(handled, 0);
    assert.equal(diagnostics.length, 1);
    const [diagnostic] = diagnostics;
    assert.ok(diagnostic?.kind === "invalidServerRequest", JSON.stringify(diagnostics));
    assert.equal(diagnostic.method, "item/tool/call");
    assert.deepEqual(diagnostic.id, { nested: 1 });
    await peer.close();
  });

  test("an answer the transport cannot send is a sendFailed diagnostic naming the request, and the peer goes on", async () => {
    const { peer, server, diagnostics } = connect();
    peer.onRequest("item/tool/call", () => ({ big: 1n }));
    server.send({ id: 9, method: "item/tool/call", params: {} });
    await delay(10);
    assert.equal(diagnostics.length, 1);
    const [diagnostic] = diagnostics;
    assert.ok(diagnostic?.kind === "sendFailed", JSON.stringify(diagnostics.map((d) => d.kind)));
    assert.equal(diagnostic.id, 9);
    assert.equal(diagnostic.method, "item/tool/call");
    assert.ok(diagnostic.error instanceof TypeError);
    assert.match(diagnostic.message, /answer to the server's item\/tool\/call request \(id 9\)/);
    const call = peer.request("still/working");
    server.send({ id: (await server.next()).id, result: 1 });
    assert.equal(await call, 1);
    await peer.close();
  });

  test("notifications reach every listener in order, untouched, and a throwing listener does not stop the others", async () => {
    const { peer, server, diagnostics } = connect();
    const seen: unknown[] = [];
    peer.onNotification(() => {
      throw new Error("listener bug");
    });
    peer.onNotification((notification) => seen.push(notification));
    server.send({ method: "turn/started", params: { turn: { id: "u" } }, emittedAtMs: 17 });
    server.send({ method: "item/agentMessage/delta", params: { delta: "hi" }, emittedAtMs: 18 });
    await delay(10);
    assert.deepEqual(seen, [
      { method: "turn/started", params: { turn: { id: "u" } }, emittedAtMs: 17 },
      { method: "item/agentMessage/delta", params: { delta: "hi" }, emittedAtMs: 18 },
    ]);
    assert.deepEqual(
      diagnostics.map((d) => d.kind),
      ["listenerFailed", "listenerFailed"],
    );
    await peer.close();
  });

  test("the trace hook sees every message both ways, with the elapsed time of answers", async () => {
    const events: TraceEvent[] = [];
    const { peer, server } = connect({ trace: (event) => events.push(event) });
    peer.onRequest("ping", () => "pong");
    const call = peer.request("thread/list", {});
    peer.notify("initialized");
    const sent = await server.next();
    await server.next();
    await delay(5);
    server.send({ method: "n", emittedAtMs: 1 });
    server.send({ id: 0, method: "ping" });
    server.send({ id: sent.id, result: [] });
    await call;
    await server.next();
    assert.deepEqual(
      events.map((e) => [e.direction, "method" in e.message ? e.message.method : `#${String(e.message.id)}`]),
      [
        ["outgoing", "thread/list"],
        ["outgoing", "initialized"],
        ["incoming", "n"],
        ["incoming", "ping"],
        ["incoming", "#1"],
        ["outgoing", "#0"],
      ],
    );
    const answer = events[4]!;
    assert.ok(answer.elapsedMs !== undefined && answer.elapsedMs >= 4, String(answer.elapsedMs));
    assert.ok(events[5]!.elapsedMs !== undefined);
    assert.ok(events.every((e) => Math.abs(e.atMs - Date.now()) < 5_000));
    await peer.close();
  });
});

describe("JsonRpcPeer: closing", { timeout: 10_000 }, () => {
  test("close() rejects every pending call at once, aborts handlers, and is idempotent", async () => {
    const { peer, server } = connect();
    let handlerSignal: AbortSignal | undefined;
    peer.onRequest("wait", (_params, { signal }) => {
      handlerSignal = signal;
      return new Promise(() => {});
    });
    server.send({ id: 0, method: "wait" });
    const calls = Array.from({ length: 1_000 }, (_, i) => rejection(peer.request("silent", { i })));
    await delay(5);
    const closing = peer.close();
    const errors = await Promise.all(calls);
    assert.ok(errors.every((e) => e instanceof TransportClosedError && e.reason === "closed"));
    assert.equal(peer.pendingCount, 0);
    assert.equal(handlerSignal?.aborted, true);
    assert.strictEqual(peer.close(), closing);
    assert.equal((await closing).reason, "closed");
    const after = await rejection(peer.request("later"));
    assert.ok(after instanceof TransportClosedError);
    assert.match(after.message, /later was not sent/);
    assert.throws(() => peer.notify("initialized"), TransportClosedError);
  });

  test("when the other end goes away, pending calls reject with its exit details, and `closed` resolves", async () => {
    const { peer, server } = connect();
    const call = rejection(peer.request("turn/start", { threadId: "t" }));
    await server.next();
    await server.transport.close({ exitCode: 101, stderrTail: "thread 'main' panicked at boom\n" });
    const error = await call;
    assert.ok(error instanceof TransportClosedError);
    assert.equal(error.reason, "exited");
    assert.equal(error.exitCode, 101);
    assert.match(error.message, /exited with code 101 .* turn\/start \(id 1\) was still waiting .* panicked at boom/s);
    assert.equal((await peer.closed).exitCode, 101);
    assert.equal(peer.closeInfo?.reason, "exited");
    assert.equal((await peer.close()).exitCode, 101);
  });

  test("an unknown method answered by a real-server-like -32600 is MethodNotFoundError (client layer)", async () => {
    const { peer, server } = connect();
    const call = rejection(requestCodex(peer, "thread/goal/set", {}));
    server.send({
      id: (await server.next()).id,
      error: {
        code: -32600,
        message: "Invalid request: unknown variant `thread/goal/set`, expected one of `initialize`, `thread/start`",
      },
    });
    assert.ok((await call) instanceof MethodNotFoundError);
    await peer.close();
  });
});

describe("JsonRpcPeer: listening", { timeout: 10_000 }, () => {
  test("messages a transport had queued before the peer existed reach listeners and handlers registered right after construction", async () => {
    const [clientSide, serverSide] = createMemoryTransportPair();
    serverSide.send({ method: "configWarning", params: { summary: "early" } });
    serverSide.send({ id: 0, method: "item/tool/call", params: {} });
    const answers: TransportMessage[] = [];
    serverSide.listen({ message: (message) => void answers.push(message), diagnostic: () => {}, close: () => {} });
    await delay(1); // both messages now wait in the client end's queue
    const peer = new JsonRpcPeer(clientSide);
    const seen: string[] = [];
    peer.onNotification((notification) => void seen.push(notification.method));
    peer.onRequest("item/tool/call", () => ({ contentItems: [], success: false }));
    await delay(10);
    assert.deepEqual(seen, ["configWarning"]);
    assert.deepEqual(answers, [{ id: 0, result: { contentItems: [], success: false } }]);
    await peer.close();
  });
});
