import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AsyncCodex,
  InvalidInputError,
  TransportClosedError,
  type ClientDiagnostic,
  type Turn,
} from "../../src/index.js";
import type { Transport } from "../../src/transport/transport.js";
import { FakeAppServer } from "../support/fake-app-server.js";
import { agentDelta, agentMessage, itemStarted, turnCompleted, wireTurn } from "../support/wire-notifications.js";
import { within } from "../support/within.js";

test("timeouts a Node timer cannot keep are refused in the constructor, naming the option", () => {
  for (const [key, value] of [
    ["requestTimeoutMs", 2 ** 31],
    ["requestTimeoutMs", 1.5],
    ["approvalTimeoutMs", -5],
    ["closeGraceMs", Infinity],
  ] as const) {
    assert.throws(
      () => new AsyncCodex({ [key]: value }),
      (error: unknown) => {
        assert.ok(error instanceof InvalidInputError, `${key} ${value}`);
        assert.match(error.message, new RegExp(`\`${key}\``));
        return true;
      },
    );
  }
  assert.doesNotThrow(() => new AsyncCodex({ requestTimeoutMs: Infinity, approvalTimeoutMs: Infinity }));
});

test("close() settles even while a transport factory never delivers, and its signal tells the factory to give up", async () => {
  let signal: AbortSignal | undefined;
  const codex = new AsyncCodex({
    closeGraceMs: 50,
    killGraceMs: 50,
    transport: (options) => {
      signal = options.signal;
      return new Promise<Transport>(() => {});
    },
  });
  const started = codex.start().catch((error: unknown) => error);
  await new Promise((resolve) => setTimeout(resolve, 10));
  await within(5_000, "close() with a stuck start", codex.close());
  assert.equal(codex.lifecycle.getSnapshot().value, "closed");
  assert.equal(signal?.aborted, true);
  assert.ok((await started) instanceof Error);
});

test("a turn whose turn/start answer comes in the same tick as the end of the connection fails instead of waiting for ever", async () => {
  const server = new FakeAppServer();
  let endAfterTurnAnswer = false;
  const transport = async (options: { signal: AbortSignal }): Promise<Transport> => {
    const inner = await server.transport(options);
    return {
      listen: (listener) =>
        inner.listen({
          message: (message) => {
            listener.message(message);
            const result = (message as { result?: { turn?: unknown } }).result;
            if (endAfterTurnAnswer && result?.turn !== undefined) {
              listener.close({ reason: "exited", exitCode: 1, signal: null, stderrTail: "" });
            }
          },
          diagnostic: (diagnostic) => listener.diagnostic(diagnostic),
          close: (info) => listener.close(info),
        }),
      send: (message) => inner.send(message),
      close: () => inner.close(),
      get closeInfo() {
        return inner.closeInfo;
      },
      [Symbol.asyncDispose]: () => inner[Symbol.asyncDispose](),
    };
  };
  const codex = new AsyncCodex({ transport });
  try {
    const thread = await codex.threadStart();
    endAfterTurnAnswer = true;
    const handle = await thread.turn("hi");
    await assert.rejects(within(2_000, "run() after the connection ended", handle.run()), TransportClosedError);
  } finally {
    await codex.close();
  }
});

test("on('completed') added after the turn ended is called once with the turn, so waiting on it never hangs", async () => {
  const server = new FakeAppServer();
  const codex = new AsyncCodex({ transport: server.transport });
  try {
    const thread = await codex.threadStart();
    server.onTurnStart = (params, turnId) => {
      server.notify(turnCompleted(params.threadId, turnId, "completed", [agentMessage("m", "done")]));
      return { turn: wireTurn(turnId, "inProgress") };
    };
    const handle = await thread.turn("hi");
    await handle.run();
    const turn = await within(
      2_000,
      "late completed",
      new Promise<Turn>((resolve) => handle.on("completed", ({ data }) => resolve(data))),
    );
    assert.equal(turn.id, handle.id);
  } finally {
    await codex.close();
  }
});

test("breaking out of stream() stops keeping the turn's notifications: nothing piles up for nobody", async () => {
  const server = new FakeAppServer();
  const diagnostics: ClientDiagnostic[] = [];
  const codex = new AsyncCodex({ transport: server.transport, maxBufferedNotifications: 4 });
  codex.on("diagnostic", ({ data }) => void diagnostics.push(data));
  try {
    const thread = await codex.threadStart();
    const handle = await thread.turn("hi");
    server.notify(itemStarted(thread.id, handle.id, agentMessage("m", "")));
    for await (const _ of handle.stream()) break;
    for (let i = 0; i < 20; i++) server.notify(agentDelta(thread.id, handle.id, "m", `d${i}`));
    server.notify(turnCompleted(thread.id, handle.id));
    await handle.run();
    assert.equal(handle.droppedDeltas, 0, "the left stream keeps nothing, so it drops nothing");
    assert.deepEqual(
      diagnostics.filter((d) => d.kind === "droppedNotifications"),
      [],
    );
  } finally {
    await codex.close();
  }
});

test("a server request the server resolves itself ends the handler's signal, and is not reported as a failure", async () => {
  const server = new FakeAppServer();
  const diagnostics: ClientDiagnostic[] = [];
  let handlerSignal: AbortSignal | undefined;
  let requestId: string | number | undefined;
  const codex = new AsyncCodex({
    transport: server.transport,
    approvalHandler: (request) => {
      handlerSignal = request.signal;
      requestId = request.id;
      return new Promise(() => {});
    },
  });
  codex.on("diagnostic", ({ data }) => void diagnostics.push(data));
  try {
    const thread = await codex.threadStart();
    const params = { itemId: "i", threadId: thread.id, turnId: "turn_x", startedAtMs: 0, command: "ls" };
    const answer = server.request("item/commandExecution/requestApproval", params);
    await within(
      2_000,
      "the handler to be called",
      (async () => {
        while (handlerSignal === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
      })(),
    );
    server.notify({ method: "serverRequest/resolved", params: { threadId: thread.id, requestId } });
    assert.deepEqual(await within(2_000, "the answer", answer), { decision: "decline" });
    assert.equal(handlerSignal?.aborted, true);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      diagnostics.filter((d) => d.kind === "serverRequestFailed"),
      [],
    );
  } finally {
    await codex.close();
  }
});

test("run() consumes a turn nobody streams: a handle kept afterwards holds no notifications, and stream() says why it cannot read", async () => {
  const server = new FakeAppServer();
  const codex = new AsyncCodex({ transport: server.transport });
  try {
    const thread = await codex.threadStart();
    const handle = await thread.turn("hi");
    for (let i = 0; i < 50; i++) server.notify(agentDelta(thread.id, handle.id, "m", `d${i}`));
    server.notify(turnCompleted(thread.id, handle.id));
    await handle.run();
    assert.throws(() => handle.stream(), /cannot be read after run\(\): run\(\) consumed the turn/);
    const streamed = await thread.turn("again");
    const reading = (async () => {
      const methods: string[] = [];
      for await (const n of streamed.stream()) methods.push(n.method);
      return methods;
    })();
    server.notify(turnCompleted(thread.id, streamed.id));
    assert.equal((await streamed.run()).id, streamed.id, "run() after stream() still returns the turn");
    assert.deepEqual(await reading, ["turn/completed"]);
  } finally {
    await codex.close();
  }
});
