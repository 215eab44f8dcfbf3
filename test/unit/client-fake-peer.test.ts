import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { waitFor } from "xstate";
import {
  AsyncCodex,
  ProtocolError,
  TransportClosedError,
  type AppServerConfig,
  type ClientDiagnostic,
  type Notification,
  type Turn,
} from "../../src/index.js";
import { FakeAppServer } from "../support/fake-app-server.js";
import { turnOf, WireLog } from "../support/wire-log.js";
import { within } from "../support/within.js";
import {
  agentDelta,
  agentMessage,
  itemCompleted,
  itemStarted,
  streamedMessage,
  turnCompleted,
  turnStarted,
  wireTurn,
} from "../support/wire-notifications.js";

/**
 * The async client against an in-process fake app-server (a MemoryTransport pair, no process): orderings and
 * failures the real binary does not produce on demand.
 */

const WAIT_MS = 2_000;

function fakeClient(server: FakeAppServer, config: AppServerConfig = {}): AsyncCodex {
  return new AsyncCodex({ transport: server.transport, requestTimeoutMs: 5_000, ...config });
}

async function collect(stream: AsyncIterable<Notification>): Promise<Notification[]> {
  const seen: Notification[] = [];
  for await (const notification of stream) seen.push(notification);
  return seen;
}

function deltasOf(notifications: readonly Notification[]): string[] {
  return notifications.flatMap((n) => (n.method === "item/agentMessage/delta" ? [n.params.delta] : []));
}

describe("AsyncCodex with a fake app-server", { timeout: 20_000 }, () => {
  it("takes serverInfo (name and version) from the initialize answer's userAgent", async () => {
    const server = new FakeAppServer();
    await using codex = fakeClient(server);
    await codex.start();
    assert.deepEqual(codex.metadata.serverInfo, { name: "fake_app_server", version: "9.8.7" });
    assert.equal(codex.metadata.userAgent, "fake_app_server/9.8.7 (unit test)");
  });

  it("fails start with a ProtocolError naming userAgent when the initialize answer has none", async () => {
    const server = new FakeAppServer();
    server.initializeResult = { codexHome: "/x", platformFamily: "unix", platformOs: "linux" };
    await using codex = fakeClient(server);
    await assert.rejects(
      codex.start(),
      (error: unknown) => error instanceof ProtocolError && /userAgent/.test(error.message),
    );
    assert.equal(
      codex.lifecycle.getSnapshot().value,
      "idle",
      "a failed start is not final: the next call starts again",
    );
    assert.ok(codex.lifecycle.getSnapshot().context.error instanceof ProtocolError);
    server.initializeResult = {
      ...(server.initializeResult as object),
      userAgent: "fake_app_server/9.8.7 (unit test)",
    };
    await codex.start();
    assert.equal(codex.lifecycle.getSnapshot().value, "ready");
    assert.equal(server.connections, 2);
  });

  it("close() before any call ends in closed, and later calls reject with TransportClosedError without connecting", async () => {
    const server = new FakeAppServer();
    const codex = fakeClient(server);
    await codex.close();
    assert.equal(codex.lifecycle.getSnapshot().value, "closed");
    await assert.rejects(codex.threadStart(), TransportClosedError);
    await assert.rejects(codex.start(), TransportClosedError);
    assert.equal(server.connections, 0);
  });

  for (const answer of ["at once", "after a delay"] as const) {
    it(`a turn/completed that arrives before the turn/start answer (answer ${answer}) still ends stream() and run()`, async () => {
      const server = new FakeAppServer();
      server.onTurnStart = async ({ threadId }, turnId) => {
        server.notify(turnStarted(threadId, turnId));
        for (const n of streamedMessage(threadId, turnId, "msg_early", ["Early ", "bird."])) server.notify(n);
        server.notify(turnCompleted(threadId, turnId, "completed", [agentMessage("msg_early", "Early bird.")]));
        if (answer === "after a delay") await delay(30);
        return { turn: wireTurn(turnId, "inProgress") };
      };
      const wire = new WireLog();
      await using codex = fakeClient(server, { trace: wire.hook });
      const thread = await codex.threadStart();
      const handle = await thread.turn("hi");
      const received = wire.received();
      const completedAt = received.findIndex((m) => m.method === "turn/completed");
      const answeredAt = received.findIndex((m) => (m.result as { turn?: unknown } | undefined)?.turn !== undefined);
      assert.ok(completedAt >= 0 && completedAt < answeredAt, "turn/completed came before the turn/start answer");
      const seen = await within(WAIT_MS, "the end of the stream", collect(handle.stream()));
      assert.deepEqual(
        seen.map((n) => n.method),
        [
          "turn/started",
          "item/started",
          "item/agentMessage/delta",
          "item/agentMessage/delta",
          "item/completed",
          "turn/completed",
        ],
      );
      const turn = await within(WAIT_MS, "run()", handle.run());
      assert.deepEqual([turn.id, turn.status], [handle.id, "completed"]);
      assert.equal(handle.actor.getSnapshot().value, "completed");

      const result = await within(WAIT_MS, "thread.run()", thread.run("again"));
      assert.equal(result.finalResponse, "Early bird.");
    });
  }

  it("routes the interleaved notifications of two turns on two threads to their own handles", async () => {
    const server = new FakeAppServer();
    await using codex = fakeClient(server);
    const [first, second] = await Promise.all([codex.threadStart(), codex.threadStart()]);
    const a = await first.turn("a");
    const b = await second.turn("b");
    const streams = [collect(a.stream()), collect(b.stream())];
    const chunks = { a: ["A1 ", "A2 ", "A3"], b: ["B1 ", "B2 ", "B3"] };
    const turns = [
      { threadId: first.id, turnId: a.id, item: "msg_a", chunks: chunks.a },
      { threadId: second.id, turnId: b.id, item: "msg_b", chunks: chunks.b },
    ];
    for (const t of turns) server.notify(turnStarted(t.threadId, t.turnId));
    for (const t of turns) server.notify(itemStarted(t.threadId, t.turnId, agentMessage(t.item, "")));
    for (let i = 0; i < 3; i++) {
      for (const t of turns) server.notify(agentDelta(t.threadId, t.turnId, t.item, t.chunks[i]!));
    }
    for (const t of [...turns].reverse()) {
      server.notify(itemCompleted(t.threadId, t.turnId, agentMessage(t.item, t.chunks.join(""))));
      server.notify(turnCompleted(t.threadId, t.turnId));
    }
    const [seenA, seenB] = await within(WAIT_MS, "both streams to end", Promise.all(streams));
    assert.ok(
      seenA!.every((n) => turnOf(n) === a.id),
      "turn A's stream holds only turn A's notifications",
    );
    assert.ok(
      seenB!.every((n) => turnOf(n) === b.id),
      "turn B's stream holds only turn B's notifications",
    );
    assert.deepEqual(deltasOf(seenA!), chunks.a);
    assert.deepEqual(deltasOf(seenB!), chunks.b);
    assert.equal(seenA!.at(-1)?.method, "turn/completed");
    assert.equal(seenB!.at(-1)?.method, "turn/completed");
    const [turnA, turnB] = await Promise.all([a.run(), b.run()]);
    assert.deepEqual([turnA.id, turnB.id], [a.id, b.id]);
  });

  it("when the app-server dies mid-turn: stream() throws and run() rejects with TransportClosedError, the client goes failed, later calls reject without respawning", async () => {
    const server = new FakeAppServer();
    const codex = fakeClient(server);
    try {
      const thread = await codex.threadStart();
      const handle = await thread.turn("go");
      server.notify(turnStarted(thread.id, handle.id));
      server.notify(itemStarted(thread.id, handle.id, agentMessage("msg_1", "")));
      server.notify(agentDelta(thread.id, handle.id, "msg_1", "partial"));
      const seen: string[] = [];
      const reading = (async () => {
        for await (const n of handle.stream()) {
          seen.push(n.method);
          if (n.method === "item/agentMessage/delta") await server.die();
        }
      })();
      const streamError = await within(
        WAIT_MS,
        "the stream to throw",
        reading.then(
          () => null,
          (error: unknown) => error,
        ),
      );
      assert.ok(streamError instanceof TransportClosedError, `stream() threw ${String(streamError)}`);
      assert.equal(streamError.exitCode, 101);
      assert.match(streamError.stderrTail, /fake crash/);
      assert.deepEqual(seen, ["turn/started", "item/started", "item/agentMessage/delta"]);
      await assert.rejects(within(WAIT_MS, "run() to settle", handle.run()), TransportClosedError);
      const failed = await within(
        WAIT_MS,
        "the lifecycle to fail",
        waitFor(codex.lifecycle, (s) => s.matches("failed")),
      );
      assert.ok(failed.context.error instanceof TransportClosedError);

      await assert.rejects(codex.threadStart(), TransportClosedError);
      await assert.rejects(thread.turn("again"), TransportClosedError);
      await assert.rejects(codex.models(), TransportClosedError);
      assert.equal(server.connections, 1, "the client did not start a new app-server");
    } finally {
      await within(WAIT_MS, "close() after the failure", codex.close());
    }
    assert.equal(codex.lifecycle.getSnapshot().value, "closed");
  });

  it("aborting stream()'s or run()'s signal stops the waiting with the abort reason; the turn goes on and a later run() returns it", async () => {
    const server = new FakeAppServer();
    await using codex = fakeClient(server);
    const thread = await codex.threadStart();
    const handle = await thread.turn("go");
    server.notify(turnStarted(thread.id, handle.id));
    const controller = new AbortController();
    const reason = new Error("the reader lost interest");
    const reading = (async () => {
      for await (const notification of handle.stream({ signal: controller.signal })) {
        if (notification.method === "turn/started") controller.abort(reason);
      }
    })();
    await assert.rejects(within(WAIT_MS, "the stream to stop", reading), (error: unknown) => error === reason);
    await assert.rejects(handle.run({ signal: AbortSignal.abort(reason) }), (error: unknown) => error === reason);
    assert.equal(handle.actor.getSnapshot().status, "active", "the turn still runs");
    for (const n of streamedMessage(thread.id, handle.id, "msg_1", ["done"])) server.notify(n);
    server.notify(turnCompleted(thread.id, handle.id));
    assert.equal((await within(WAIT_MS, "run()", handle.run())).status, "completed");
  });

  it("close() rejects a call still waiting for its answer (turn/start) with TransportClosedError", async () => {
    const server = new FakeAppServer();
    server.onTurnStart = () => new Promise(() => {});
    const codex = fakeClient(server);
    const thread = await codex.threadStart();
    const pending = thread.turn("never answered");
    await delay(10);
    await codex.close();
    await assert.rejects(within(WAIT_MS, "the pending turn/start to settle", pending), TransportClosedError);
  });

  it("a notification that fails its schema is reported as a diagnostic and still reaches the stream and the events", async () => {
    const server = new FakeAppServer();
    await using codex = fakeClient(server);
    const diagnostics: ClientDiagnostic[] = [];
    const events: Notification[] = [];
    codex.on("diagnostic", ({ data }) => {
      diagnostics.push(data);
    });
    codex.on("notification", ({ data }) => {
      events.push(data);
    });
    const thread = await codex.threadStart();
    const handle = await thread.turn("go");
    server.notify(turnStarted(thread.id, handle.id));
    server.notify(itemStarted(thread.id, handle.id, agentMessage("msg_1", "")));
    const malformed = {
      method: "item/agentMessage/delta",
      params: { turnId: handle.id, itemId: "msg_1", delta: "still here" },
    };
    server.notify(malformed);
    server.notify(itemCompleted(thread.id, handle.id, agentMessage("msg_1", "still here")));
    server.notify(turnCompleted(thread.id, handle.id));
    const seen = await within(WAIT_MS, "the end of the stream", collect(handle.stream()));
    assert.deepEqual(deltasOf(seen), ["still here"]);
    await delay(10);
    const invalid = diagnostics.filter((d) => d.kind === "invalidNotification");
    assert.equal(invalid.length, 1, `diagnostics: ${JSON.stringify(diagnostics)}`);
    assert.equal((invalid[0] as { method?: string }).method, "item/agentMessage/delta");
    assert.match(invalid[0]!.message, /threadId/);
    assert.ok(events.some((n) => n.method === "item/agentMessage/delta" && n.params.delta === "still here"));
  });

  it("a turn's deltas beyond maxBufferedNotifications are dropped and counted while nobody reads; items and turn/completed never are", async () => {
    const server = new FakeAppServer();
    await using codex = fakeClient(server, { maxBufferedNotifications: 4 });
    const thread = await codex.threadStart();
    const handle = await thread.turn("go");
    const chunks = Array.from({ length: 20 }, (_, i) => `d${i} `);
    server.notify(turnStarted(thread.id, handle.id));
    for (const n of streamedMessage(thread.id, handle.id, "msg_1", chunks)) server.notify(n);
    server.notify(turnCompleted(thread.id, handle.id));
    const turn = await within(
      WAIT_MS,
      "the turn's end",
      new Promise<Turn>((resolve) => handle.on("completed", ({ data }) => resolve(data))),
    );
    assert.equal(turn.status, "completed");

    const seen = await within(WAIT_MS, "the end of the stream", collect(handle.stream()));
    assert.equal(seen.at(-1)?.method, "turn/completed");
    const completedItem = seen.find((n) => n.method === "item/completed");
    assert.ok(completedItem?.method === "item/completed" && completedItem.params.item.type === "agentMessage");
    assert.equal(completedItem.params.item.text, chunks.join(""), "the completed item still carries the whole text");
    assert.ok(handle.droppedDeltas > 0, "some deltas were dropped");
    assert.equal(
      deltasOf(seen).length + handle.droppedDeltas,
      chunks.length,
      "every delta was either streamed or counted",
    );
  });

  it("dropping a turn's deltas is reported as a droppedNotifications diagnostic naming the turn", async () => {
    const server = new FakeAppServer();
    await using codex = fakeClient(server, { maxBufferedNotifications: 4 });
    const diagnostics: ClientDiagnostic[] = [];
    codex.on("diagnostic", ({ data }) => {
      diagnostics.push(data);
    });
    const thread = await codex.threadStart();
    const handle = await thread.turn("go");
    server.notify(turnStarted(thread.id, handle.id));
    for (const n of streamedMessage(
      thread.id,
      handle.id,
      "msg_1",
      Array.from({ length: 20 }, (_, i) => `d${i} `),
    )) {
      server.notify(n);
    }
    server.notify(turnCompleted(thread.id, handle.id));
    await within(WAIT_MS, "the turn's end", new Promise((resolve) => handle.on("completed", resolve)));
    await delay(10);
    assert.ok(handle.droppedDeltas > 0);
    const dropped = diagnostics.filter((d) => d.kind === "droppedNotifications");
    assert.ok(
      dropped.some((d) => (d as { turnId?: string }).turnId === handle.id),
      `expected a droppedNotifications diagnostic for turn ${handle.id}; got ${JSON.stringify(diagnostics)}`,
    );
  });

  it("deltas held for a turn whose turn/start answer is late are bounded too: dropped, counted and reported, turn/completed kept", async () => {
    const server = new FakeAppServer();
    const chunks = Array.from({ length: 20 }, (_, i) => `h${i} `);
    server.onTurnStart = async ({ threadId }, turnId) => {
      server.notify(turnStarted(threadId, turnId));
      for (const n of streamedMessage(threadId, turnId, "msg_1", chunks)) server.notify(n);
      server.notify(turnCompleted(threadId, turnId));
      await delay(30);
      return { turn: wireTurn(turnId, "inProgress") };
    };
    await using codex = fakeClient(server, { maxBufferedNotifications: 4 });
    const diagnostics: ClientDiagnostic[] = [];
    codex.on("diagnostic", ({ data }) => {
      diagnostics.push(data);
    });
    const thread = await codex.threadStart();
    const handle = await thread.turn("go");
    const seen = await within(WAIT_MS, "the end of the stream", collect(handle.stream()));
    assert.equal(seen.at(-1)?.method, "turn/completed");
    assert.ok(seen.some((n) => n.method === "item/completed"));
    assert.ok(handle.droppedDeltas > 0);
    assert.equal(deltasOf(seen).length + handle.droppedDeltas, chunks.length);
    assert.ok(
      diagnostics.some((d) => d.kind === "droppedNotifications" && (d as { turnId?: string }).turnId === handle.id),
    );
    assert.equal((await handle.run()).status, "completed");
  });
});
