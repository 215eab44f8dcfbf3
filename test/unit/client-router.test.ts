import assert from "node:assert/strict";
import { test } from "node:test";
import { LiveTurn } from "../../src/client/live-turn.js";
import { BufferLimitError } from "../../src/errors/index.js";
import { NotificationRouter } from "../../src/client/router.js";
import type { Notification } from "../../src/schema/index.js";

const delta = (threadId: string, turnId: string, text: string) =>
  ({ method: "item/agentMessage/delta", params: { threadId, turnId, itemId: "m", delta: text } }) as Notification;

function setUp(limits: { maxPendingTurns?: number; maxBufferedNotifications?: number } = {}) {
  const drops: string[] = [];
  const router = new NotificationRouter({
    maxPendingTurns: limits.maxPendingTurns ?? 8,
    maxBufferedNotifications: limits.maxBufferedNotifications ?? 100,
    onDrop: (turnId, count, why) => drops.push(`${turnId}:${count}:${why}`),
  });
  const live = () => new LiveTurn({ threadId: "thr", maxBufferedNotifications: 100, onListenerError: () => {} });
  return { router, drops, live };
}

test("a turn's notifications are held while a turn/start on its thread awaits its answer, then replayed in order", async () => {
  const { router, live } = setUp();
  router.expectTurn("thr");
  assert.equal(router.route(delta("thr", "t1", "a")), true);
  assert.equal(router.route(delta("thr", "t1", "b")), true);
  const turn = live();
  turn.accept("t1");
  router.register("t1", turn);
  router.turnStartSettled("thr");
  const texts: string[] = [];
  const stream = turn.queue.read("test");
  for (let i = 0; i < 2; i++) {
    const next = await stream.next();
    texts.push((next.value as Extract<Notification, { method: "item/agentMessage/delta" }>).params.delta);
  }
  assert.deepEqual(texts, ["a", "b"]);
  assert.equal(router.heldTurnCount, 0);
});

test("turns nobody on this client is starting are not held at all", () => {
  const { router } = setUp();
  assert.equal(router.route(delta("thr", "foreign", "x")), false);
  assert.equal(router.heldTurnCount, 0);
});

test("what is held for turns that never registered is let go when the thread's last turn/start settles", () => {
  const { router } = setUp();
  router.expectTurn("thr");
  router.expectTurn("thr");
  router.route(delta("thr", "other", "x"));
  router.turnStartSettled("thr");
  assert.equal(router.heldTurnCount, 1, "one turn/start still waits");
  router.turnStartSettled("thr");
  assert.equal(router.heldTurnCount, 0);
});

test("past maxPendingTurns the turn held longest is forgotten, with a drop report, and fails when it registers", async () => {
  const { router, drops, live } = setUp({ maxPendingTurns: 2 });
  router.expectTurn("thr");
  router.route(delta("thr", "t1", "x"));
  router.route(delta("thr", "t2", "x"));
  router.route(delta("thr", "t3", "x"));
  assert.equal(router.heldTurnCount, 2);
  assert.equal(drops.length, 1);
  assert.match(drops[0] ?? "", /^t1:1:/);
  const forgotten = live();
  forgotten.accept("t1");
  router.register("t1", forgotten);
  const finished = await forgotten.finished;
  assert.equal(finished.value, "lost", "a turn whose turn/completed may be lost must not wait for ever");
  assert.ok(forgotten.failure instanceof BufferLimitError, `got ${String(forgotten.failure)}`);
  assert.equal(forgotten.failure.limit, "maxPendingTurns");
  assert.equal(forgotten.failure.turnId, "t1");
  assert.match(forgotten.failure.message, /maxPendingTurns/);
});

test("held deltas past maxBufferedNotifications are dropped, but a turn/completed is still held", () => {
  const { router, drops } = setUp({ maxBufferedNotifications: 2 });
  router.expectTurn("thr");
  for (const text of ["a", "b", "c", "d"]) router.route(delta("thr", "t1", text));
  router.route({
    method: "turn/completed",
    params: { threadId: "thr", turn: { id: "t1", status: "completed", items: [] } },
  });
  const { live } = setUp();
  const turn = live();
  turn.accept("t1");
  router.register("t1", turn);
  assert.equal(turn.queue.dropped, 2);
  assert.equal(turn.queue.size, 3);
  assert.equal(turn.ended, true);
  assert.equal(drops.length, 1);
});
