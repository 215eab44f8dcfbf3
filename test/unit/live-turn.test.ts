import assert from "node:assert/strict";
import { test } from "node:test";
import { LiveTurn } from "../../src/client/live-turn.js";
import type { ThreadItem } from "../../src/schema/index.js";
import { agentDelta, agentMessage, itemStarted, turnCompleted } from "../support/wire-notifications.js";

const THREAD = "thr_1";
const TURN = "turn_1";

function running() {
  const turn = new LiveTurn({ threadId: THREAD, maxBufferedNotifications: 100, onListenerError: () => {} });
  turn.accept(TURN);
  turn.deliver(itemStarted(THREAD, TURN, agentMessage("msg_1", "")));
  let snapshots = 0;
  turn.actor.subscribe(() => snapshots++);
  return { turn, snapshots: () => snapshots };
}

const textOf = (item: ThreadItem | undefined) => (item?.type === "agentMessage" ? item.text : undefined);

test("deltas delivered together reach the machine as one transition, folded in before any listener runs", async () => {
  const { turn, snapshots } = running();
  const seenByListeners: (string | undefined)[] = [];
  turn.events.on("delta", () => {
    seenByListeners.push(textOf(turn.actor.getSnapshot().context.items[0]));
  });
  for (const text of ["Hel", "lo", "!"]) turn.deliver(agentDelta(THREAD, TURN, "msg_1", text));
  assert.equal(turn.queue.size, 4, "the stream has every delta at once");
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(snapshots(), 1, "three deltas, one transition");
  assert.deepEqual(seenByListeners, ["Hello!", "Hello!", "Hello!"]);
  assert.equal(turn.actor.getSnapshot().context.deltas, 3);
});

test("a turn/completed in the same read as deltas gets them first: an item left open keeps its streamed text", async () => {
  const { turn } = running();
  turn.deliver(agentDelta(THREAD, TURN, "msg_1", "Hel"));
  turn.deliver(agentDelta(THREAD, TURN, "msg_1", "lo"));
  turn.deliver(turnCompleted(THREAD, TURN, "interrupted"));
  const finished = await turn.finished;
  assert.equal(finished.value, "interrupted");
  assert.deepEqual(finished.context.closedItemIds, ["msg_1"]);
  assert.equal(textOf(finished.context.turn?.items[0]), "Hello");
  assert.equal(finished.context.deltas, 2);
});

test("a connection lost in the same read as deltas gets them first: the lost turn's items hold the text", () => {
  const { turn } = running();
  turn.deliver(agentDelta(THREAD, TURN, "msg_1", "partial"));
  const error = turn.loseConnection(new Error("the app-server died"), false);
  assert.equal(textOf(error?.items[0]), "partial");
  assert.equal(turn.actor.getSnapshot().value, "lost");
});
