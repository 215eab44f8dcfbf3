import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { AsyncCodex, type AppServerConfig, type ClientDiagnostic, type ClientSnapshot } from "../../src/index.js";
import { FakeAppServer } from "../support/fake-app-server.js";
import {
  agentDelta,
  agentMessage,
  itemCompleted,
  itemStarted,
  turnCompleted,
  turnStarted,
  wireTurn,
} from "../support/wire-notifications.js";

/** codex.snapshot() and codex.subscribe() against an in-process fake app-server. */

const SECRET = "sk-observe-test-key-0123456789abcdef";
/** A key shaped like nothing known and not in any env: only its field name can tell it is a secret. */
const LOGIN_KEY = "plain-login-key-not-in-env-42";

function fakeClient(server: FakeAppServer, config: AppServerConfig = {}): AsyncCodex {
  return new AsyncCodex({ transport: server.transport, requestTimeoutMs: 5_000, traceFile: false, ...config });
}

/** Polls until `check` holds, failing with `what` after 2 s. */
async function eventually(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within 2 s`);
    await delay(5);
  }
}

/** Waits until `predicate` holds for a snapshot (polling: the snapshot is synchronous). */
async function snapshotWhen(
  codex: AsyncCodex,
  predicate: (snapshot: ClientSnapshot) => boolean,
): Promise<ClientSnapshot> {
  let snapshot = codex.snapshot();
  await eventually("the snapshot to show it", () => predicate((snapshot = codex.snapshot())));
  return snapshot;
}

describe("codex.snapshot() and codex.subscribe()", { timeout: 20_000 }, () => {
  it("a snapshot before start shows an idle client and nothing else, as plain JSON", () => {
    const codex = fakeClient(new FakeAppServer());
    const snapshot = codex.snapshot();
    assert.equal(snapshot.client.state, "idle");
    assert.equal(snapshot.appServer, null);
    assert.deepEqual(
      [snapshot.threads, snapshot.runningTurns, snapshot.finishedTurns, snapshot.messages],
      [[], [], [], []],
    );
    assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
  });

  it("shows a turn as the machine has it: starting, streaming with its counts, then completed in the history", async () => {
    const server = new FakeAppServer();
    let answer!: () => void;
    server.onTurnStart = (params, turnId) =>
      new Promise((resolve) => (answer = () => resolve({ turn: wireTurn(turnId, "inProgress") })));
    await using codex = fakeClient(server);
    const thread = await codex.threadStart();
    const turning = thread.turn("hi");
    const starting = await snapshotWhen(codex, (s) =>
      s.pendingRequests.some((r) => r.method === "turn/start" && r.threadId === thread.id),
    );
    assert.equal(starting.runningTurns.length, 1);
    assert.equal(starting.runningTurns[0]!.state, "starting");
    assert.equal(starting.runningTurns[0]!.turnId, null);
    answer();
    const handle = await turning;
    server.notify(turnStarted(thread.id, handle.id));
    server.notify(itemStarted(thread.id, handle.id, agentMessage("m1", "")));
    for (const chunk of ["a", "b", "c"]) server.notify(agentDelta(thread.id, handle.id, "m1", chunk));
    const streaming = await snapshotWhen(codex, (s) => s.runningTurns[0]?.deltas === 3);
    assert.deepEqual(streaming.runningTurns[0]!.state, { running: "streaming" });
    assert.deepEqual(
      streaming.runningTurns[0]!.state,
      handle.actor.getSnapshot().value,
      "the snapshot says what the machine says",
    );
    assert.equal(streaming.runningTurns[0]!.turnId, handle.id);
    assert.equal(streaming.runningTurns[0]!.openItems, 1);
    assert.deepEqual(streaming.threads.find((t) => t.id === thread.id)?.runningTurnIds, [handle.id]);
    assert.equal(streaming.threads.find((t) => t.id === thread.id)?.model, "fake-model");
    assert.equal(streaming.appServer?.version, "9.8.7");
    server.notify(itemCompleted(thread.id, handle.id, agentMessage("m1", "abc")));
    server.notify(turnCompleted(thread.id, handle.id));
    await handle.run();
    const done = await snapshotWhen(codex, (s) => s.finishedTurns.length === 1);
    assert.equal(done.runningTurns.length, 0);
    assert.equal(done.finishedTurns[0]!.state, "completed");
    assert.equal(done.finishedTurns[0]!.items, 1);
    assert.ok(done.finishedTurns[0]!.endedAtMs! >= done.finishedTurns[0]!.startedAtMs);
    assert.deepEqual(done.totals.turnsFinished, 1);
    assert.ok(
      done.messages.some((m) => m.direction === "incoming" && m.kind === "response" && m.method === "turn/start"),
    );
  });

  it("keeps only the last maxFinishedTurns finished turns", async () => {
    const server = new FakeAppServer();
    server.onTurnStart = (params, turnId) => {
      setImmediate(() => server.notify(turnCompleted(params.threadId, turnId)));
      return { turn: wireTurn(turnId, "inProgress") };
    };
    await using codex = fakeClient(server, { maxFinishedTurns: 2, maxRecentMessages: 3 });
    const thread = await codex.threadStart();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const handle = await thread.turn(`turn ${i}`);
      await handle.run();
      ids.push(handle.id);
    }
    const snapshot = await snapshotWhen(codex, (s) => s.totals.turnsFinished === 5);
    assert.deepEqual(
      snapshot.finishedTurns.map((t) => t.turnId),
      ids.slice(-2),
    );
    assert.equal(snapshot.messages.length, 3);
    assert.equal(snapshot.threads[0]?.turns, 5);
  });

  it("lists a server request while its handler decides, and forgets it once answered", async () => {
    const server = new FakeAppServer();
    const { promise: decided, resolve: decide } = Promise.withResolvers<void>();
    await using codex = fakeClient(server, {
      approvalHandler: async () => {
        await decided;
        return { decision: "decline" };
      },
    });
    const thread = await codex.threadStart();
    const answer = server.request("item/commandExecution/requestApproval", {
      threadId: thread.id,
      turnId: "turn_9",
      itemId: "cmd_1",
      startedAtMs: 0,
      command: "ls",
    });
    const waiting = await snapshotWhen(codex, (s) => s.serverRequests.length === 1);
    assert.deepEqual(
      { ...waiting.serverRequests[0], ageMs: 0 },
      { id: 1, method: "item/commandExecution/requestApproval", threadId: thread.id, turnId: "turn_9", ageMs: 0 },
    );
    decide();
    await answer;
    await snapshotWhen(codex, (s) => s.serverRequests.length === 0);
  });

  it("never holds a secret: not the env, not a login's API key, not a key in an error message", async () => {
    const server = new FakeAppServer();
    await using codex = fakeClient(server, { env: { OPENAI_API_KEY: SECRET } });
    await codex.start();
    const login = codex
      .request("account/login/start", { type: "apiKey", apiKey: LOGIN_KEY })
      .catch((error: unknown) => error);
    await login; // the fake has no handler: method not found, after the request went out with the key
    server.notify({
      method: "error",
      params: {
        threadId: "t",
        turnId: "u",
        willRetry: false,
        // The provider quotes both keys; the login's is hidden only because the client remembered what it sent.
        error: { message: `401 for ${SECRET}, then for ${LOGIN_KEY}`, codexErrorInfo: null, additionalDetails: null },
      },
    });
    const snapshot = await snapshotWhen(codex, (s) => s.messages.some((m) => m.method === "error"));
    assert.ok(snapshot.messages.some((m) => m.method === "account/login/start" && m.kind === "request"));
    const text = JSON.stringify(snapshot);
    assert.ok(!text.includes(SECRET), "the env's key appears nowhere in the snapshot");
    assert.ok(!text.includes(LOGIN_KEY), "the login's key appears nowhere in the snapshot");
    assert.ok(!text.includes("OPENAI_API_KEY"), "nothing of the env appears");
    assert.match(text, /\[redacted\]/);
  });

  it("subscribe coalesces: a turn of 5,000 deltas calls the listener a few times, with the final state last", async () => {
    const server = new FakeAppServer();
    await using codex = fakeClient(server);
    const thread = await codex.threadStart();
    const handle = await thread.turn("go");
    const states: unknown[] = [];
    using _subscription = codex.subscribe(
      (snapshot) => void states.push(snapshot.finishedTurns.at(-1)?.state ?? snapshot.runningTurns[0]?.state),
      {
        intervalMs: 50,
      },
    );
    server.notify(itemStarted(thread.id, handle.id, agentMessage("m1", "")));
    for (let i = 0; i < 5_000; i++) {
      server.notify(agentDelta(thread.id, handle.id, "m1", "x"));
      if (i % 500 === 0) await delay(1);
    }
    server.notify(itemCompleted(thread.id, handle.id, agentMessage("m1", "x".repeat(5_000))));
    server.notify(turnCompleted(thread.id, handle.id));
    await handle.run();
    await eventually("the last snapshot", () => states.at(-1) === "completed");
    assert.ok(states.length >= 2 && states.length < 100, `${states.length} calls for 5,000 deltas`);
  });

  it("stops after unsubscribe (a function that is also Disposable) and after its signal aborts", async () => {
    const server = new FakeAppServer();
    await using codex = fakeClient(server);
    let calls = 0;
    const unsubscribe = codex.subscribe(
      () => {
        calls++;
      },
      { intervalMs: 0 },
    );
    const controller = new AbortController();
    let signalled = 0;
    codex.subscribe(
      () => {
        signalled++;
      },
      { intervalMs: 0, signal: controller.signal },
    );
    assert.equal(typeof unsubscribe, "function");
    assert.equal(typeof unsubscribe[Symbol.dispose], "function");
    await codex.threadStart();
    await eventually("a call", () => calls > 0 && signalled > 0);
    unsubscribe();
    controller.abort();
    const [before, signalledBefore] = [calls, signalled];
    await codex.threadStart();
    await delay(50);
    assert.equal(calls, before);
    assert.equal(signalled, signalledBefore);
  });

  it("a throwing listener is a listenerFailed diagnostic; the client and the other listeners go on", async () => {
    const server = new FakeAppServer();
    await using codex = fakeClient(server);
    const diagnostics: ClientDiagnostic[] = [];
    codex.on("diagnostic", ({ data }) => void diagnostics.push(data));
    codex.subscribe(
      () => {
        throw new Error("listener bug");
      },
      { intervalMs: 0 },
    );
    let calls = 0;
    codex.subscribe(
      () => {
        calls++;
      },
      { intervalMs: 0 },
    );
    const thread = await codex.threadStart();
    await eventually(
      "the diagnostic",
      () => diagnostics.some((d) => d.kind === "listenerFailed" && d.message.includes("listener bug")) && calls > 0,
    );
    assert.ok((await codex.threadStart()).id !== thread.id, "the client still works");
  });
});
