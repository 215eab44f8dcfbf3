import assert from "node:assert/strict";
import { test } from "node:test";
import { createActor } from "xstate";
import { changesTurn, turnMachine, type TurnEvent } from "../../src/machines/turn.js";
import { serverNotifications } from "../../src/schema/generated-methods.js";
import type { Notification, ThreadItem } from "../../src/schema/index.js";

const threadId = "thr_1";
const turnId = "turn_1";

function note(method: string, params: Record<string, unknown>): TurnEvent {
  return { type: "notification", notification: { method, params } as unknown as Notification };
}
const turnStarted = () => note("turn/started", { threadId, turn: { id: turnId, status: "inProgress", items: [] } });
const itemStarted = (id: string) =>
  note("item/started", { threadId, turnId, startedAtMs: 0, item: { type: "agentMessage", id, text: "" } });
const delta = (itemId: string, text: string) =>
  note("item/agentMessage/delta", { threadId, turnId, itemId, delta: text });
const itemCompleted = (id: string, text: string) =>
  note("item/completed", { threadId, turnId, completedAtMs: 0, item: { type: "agentMessage", id, text } });
const turnCompleted = (status: string, items: unknown[] = [], error: unknown = null, itemsView = "summary") =>
  note("turn/completed", { threadId, turn: { id: turnId, status, items, error, itemsView } });

function textOf(item: ThreadItem | undefined): string | undefined {
  return item?.type === "agentMessage" ? item.text : undefined;
}

function start() {
  const errors: unknown[] = [];
  const actor = createActor(turnMachine, { input: { threadId } });
  actor.subscribe({ error: (err) => errors.push(err) });
  actor.start();
  return { actor, errors };
}

test("a text turn goes starting → started → streaming → completed, keeping the completed items", () => {
  const { actor, errors } = start();
  assert.equal(actor.getSnapshot().value, "starting");
  actor.send({ type: "turn.accepted", turnId });
  assert.deepEqual(actor.getSnapshot().value, { running: "started" });
  actor.send(turnStarted());
  assert.deepEqual(actor.getSnapshot().value, { running: "started" });
  actor.send(itemStarted("msg_1"));
  assert.deepEqual(actor.getSnapshot().value, { running: "streaming" });
  actor.send(delta("msg_1", "Hel"));
  actor.send(delta("msg_1", "lo"));
  assert.deepEqual(actor.getSnapshot().context.openItemIds, ["msg_1"]);
  assert.equal(textOf(actor.getSnapshot().context.items[0]), "Hello");
  actor.send(itemCompleted("msg_1", "Hello"));
  actor.send(turnCompleted("completed", [{ type: "agentMessage", id: "msg_1", text: "Hello" }]));
  const snap = actor.getSnapshot();
  assert.equal(snap.value, "completed");
  assert.equal(snap.status, "done");
  assert.equal(snap.context.turn?.status, "completed");
  assert.equal(snap.context.items.length, 1);
  assert.deepEqual(snap.context.closedItemIds, []);
  assert.deepEqual(errors, []);
});

test("a turn/completed that arrives before the turn/start answer still completes the turn and names its id", () => {
  const { actor } = start();
  actor.send(turnStarted());
  actor.send(itemStarted("msg_1"));
  actor.send(itemCompleted("msg_1", "hi"));
  actor.send(turnCompleted("completed", []));
  const snap = actor.getSnapshot();
  assert.equal(snap.value, "completed");
  assert.equal(snap.context.turnId, turnId);
  assert.deepEqual(
    snap.context.turn?.items.map((i) => i.id),
    ["msg_1"],
  );
  actor.send({ type: "turn.accepted", turnId });
  assert.equal(actor.getSnapshot().value, "completed");
});

test("progress before turn/started moves straight to streaming", () => {
  const { actor } = start();
  actor.send(itemStarted("msg_1"));
  assert.deepEqual(actor.getSnapshot().value, { running: "streaming" });
  actor.send({ type: "turn.accepted", turnId });
  assert.equal(actor.getSnapshot().context.turnId, turnId);
  assert.deepEqual(actor.getSnapshot().value, { running: "streaming" });
});

test("an interrupted turn closes the items the server left open, with the text streamed so far", () => {
  const { actor } = start();
  actor.send({ type: "turn.accepted", turnId });
  actor.send(itemStarted("msg_1"));
  actor.send(delta("msg_1", "partial "));
  actor.send(delta("msg_1", "answer"));
  assert.equal(actor.getSnapshot().can({ type: "interrupt" }), true);
  actor.send({ type: "interrupt" });
  assert.equal(actor.getSnapshot().context.interruptRequested, true);
  actor.send(turnCompleted("interrupted", []));
  const snap = actor.getSnapshot();
  assert.equal(snap.value, "interrupted");
  assert.deepEqual(snap.context.closedItemIds, ["msg_1"]);
  assert.deepEqual(snap.context.openItemIds, []);
  assert.equal(textOf(snap.context.turn?.items[0]), "partial answer");
  assert.equal(snap.can({ type: "interrupt" }), false);
  assert.equal(snap.can({ type: "steer" }), false);
});

test("a failed turn records the error the server will not retry", () => {
  const { actor } = start();
  actor.send({ type: "turn.accepted", turnId });
  actor.send(note("error", { threadId, turnId, willRetry: true, error: { message: "retrying" } }));
  assert.equal(actor.getSnapshot().context.error, null);
  actor.send(note("error", { threadId, turnId, willRetry: false, error: { message: "provider said 500" } }));
  actor.send(turnCompleted("failed", [], null));
  const snap = actor.getSnapshot();
  assert.equal(snap.value, "failed");
  assert.equal(snap.context.error?.message, "provider said 500");
});

test("the server's own turn error wins over an earlier error notification", () => {
  const { actor } = start();
  actor.send({ type: "turn.accepted", turnId });
  actor.send(note("error", { threadId, turnId, willRetry: false, error: { message: "first" } }));
  actor.send(turnCompleted("failed", [], { message: "final word" }));
  assert.equal(actor.getSnapshot().context.error?.message, "final word");
});

test("a rejected turn/start fails the turn with the server's message", () => {
  const { actor } = start();
  actor.send({ type: "turn.rejected", message: "thread not found: thr_1" });
  const snap = actor.getSnapshot();
  assert.equal(snap.value, "failed");
  assert.equal(snap.context.error?.message, "thread not found: thr_1");
});

test("a lost connection ends a running turn as lost (its outcome unknown) and closes its open items", () => {
  const { actor } = start();
  actor.send({ type: "turn.accepted", turnId });
  actor.send(itemStarted("msg_1"));
  actor.send({ type: "connection.lost", message: "app-server exited" });
  const snap = actor.getSnapshot();
  assert.equal(snap.value, "lost");
  assert.equal(snap.status, "done");
  assert.deepEqual(snap.context.closedItemIds, ["msg_1"]);
  assert.equal(snap.context.error?.message, "app-server exited");
});

test("steer is accepted only while the turn runs and its id is known", () => {
  const { actor } = start();
  assert.equal(actor.getSnapshot().can({ type: "steer" }), false);
  actor.send({ type: "turn.accepted", turnId });
  actor.send({ type: "steer" });
  actor.send({ type: "steer" });
  assert.equal(actor.getSnapshot().context.steers, 2);
  actor.send(turnCompleted("completed"));
  assert.equal(actor.getSnapshot().can({ type: "steer" }), false);
});

test("notifications that change nothing leave the state alone", () => {
  const { actor } = start();
  actor.send({ type: "turn.accepted", turnId });
  actor.send(note("account/rateLimits/updated", { rateLimits: {} }));
  actor.send(note("thread/status/changed", { threadId, status: { type: "active" } }));
  assert.deepEqual(actor.getSnapshot().value, { running: "started" });
});

test("the turn keeps the token usage the server last reported for it", () => {
  const { actor } = start();
  actor.send({ type: "turn.accepted", turnId });
  const usage = (n: number) => ({
    last: { inputTokens: n, cachedInputTokens: 0, outputTokens: 1, reasoningOutputTokens: 0, totalTokens: n + 1 },
    total: { inputTokens: n, cachedInputTokens: 0, outputTokens: 1, reasoningOutputTokens: 0, totalTokens: n + 1 },
  });
  actor.send(note("thread/tokenUsage/updated", { threadId, turnId, tokenUsage: usage(5) }));
  actor.send(note("thread/tokenUsage/updated", { threadId, turnId, tokenUsage: usage(9) }));
  assert.equal(actor.getSnapshot().context.usage?.last.inputTokens, 9);
});

test("the finished turn carries every item the client saw, not the server's one-item summary", () => {
  const { actor } = start();
  actor.send({ type: "turn.accepted", turnId });
  actor.send(itemStarted("msg_1"));
  actor.send(itemCompleted("msg_1", "first"));
  actor.send(itemStarted("msg_2"));
  actor.send(itemCompleted("msg_2", "second"));
  actor.send(turnCompleted("completed", [{ type: "agentMessage", id: "msg_2", text: "second" }]));
  const turn = actor.getSnapshot().context.turn;
  assert.deepEqual(
    turn?.items.map((item) => item.id),
    ["msg_1", "msg_2"],
  );
  assert.equal(turn?.itemsView, "full");
});

test("a turn/completed that says its items are full is kept as the server sent it", () => {
  const { actor } = start();
  actor.send({ type: "turn.accepted", turnId });
  const served = [{ type: "agentMessage", id: "msg_9", text: "all" }];
  actor.send(turnCompleted("completed", served, null, "full"));
  assert.deepEqual(actor.getSnapshot().context.turn?.items, served);
});

test("items stay in the order they started: a message abandoned by a steer comes before the answer that followed", () => {
  const { actor } = start();
  actor.send({ type: "turn.accepted", turnId });
  actor.send(itemStarted("msg_abandoned"));
  actor.send(delta("msg_abandoned", "half"));
  actor.send({ type: "steer" });
  actor.send(itemStarted("msg_answer"));
  actor.send(itemCompleted("msg_answer", "Steered answer."));
  actor.send(turnCompleted("completed", [{ type: "agentMessage", id: "msg_answer", text: "Steered answer." }]));
  const snap = actor.getSnapshot();
  assert.deepEqual(
    snap.context.turn?.items.map((item) => item.id),
    ["msg_abandoned", "msg_answer"],
  );
  assert.deepEqual(snap.context.closedItemIds, ["msg_abandoned"]);
  assert.equal(textOf(snap.context.turn?.items[0]), "half");
});

test("a `deltas` event folds a run of deltas exactly as sending each one does", () => {
  const events: TurnEvent[] = [
    { type: "turn.accepted", turnId },
    itemStarted("msg_1"),
    itemStarted("msg_2"),
    delta("msg_1", "Hel"),
    note("item/reasoning/textDelta", { threadId, turnId, itemId: "rs_1", contentIndex: 0, delta: "hmm" }),
    delta("msg_2", "Bye"),
    delta("msg_1", "lo"),
    note("item/commandExecution/outputDelta", { threadId, turnId, itemId: "cmd_1", delta: "ok\n" }),
  ];
  const oneByOne = start();
  for (const event of events) oneByOne.actor.send(event);
  const batched = start();
  for (const event of events.slice(0, 3)) batched.actor.send(event);
  const notifications = events.slice(3).map((event) => (event as { notification: Notification }).notification);
  batched.actor.send({ type: "deltas", notifications } as TurnEvent);
  assert.deepEqual(batched.actor.getSnapshot().context, oneByOne.actor.getSnapshot().context);
  assert.deepEqual(batched.actor.getSnapshot().value, oneByOne.actor.getSnapshot().value);
  const { items, deltas } = batched.actor.getSnapshot().context;
  assert.deepEqual(items.map(textOf), ["Hello", "Bye"]);
  assert.equal(deltas, 5, "every …/delta and …Delta notification counts, reasoning and command output included");
});

test("a `deltas` event with agent text starts streaming; one with only other output leaves the state alone", () => {
  const reasoning = note("item/reasoning/textDelta", { threadId, turnId, itemId: "rs_1", contentIndex: 0, delta: "…" });
  const text = delta("msg_1", "Hi");
  const deltasOf = (...events: TurnEvent[]) =>
    ({
      type: "deltas",
      notifications: events.map((event) => (event as { notification: Notification }).notification),
    }) as TurnEvent;
  const onlyReasoning = start();
  onlyReasoning.actor.send({ type: "turn.accepted", turnId });
  onlyReasoning.actor.send(deltasOf(reasoning));
  assert.deepEqual(onlyReasoning.actor.getSnapshot().value, { running: "started" });
  assert.equal(onlyReasoning.actor.getSnapshot().context.deltas, 1);
  const withText = start();
  withText.actor.send({ type: "turn.accepted", turnId });
  withText.actor.send(deltasOf(text));
  assert.deepEqual(withText.actor.getSnapshot().value, { running: "streaming" });
  const after = start();
  after.actor.send({ type: "turn.accepted", turnId });
  after.actor.send(turnCompleted("completed"));
  after.actor.send(deltasOf(text));
  assert.equal(after.actor.getSnapshot().context.deltas, 0, "a finished turn takes no more deltas");
});

test("changesTurn names every notification the machine reacts to: any other leaves a running turn exactly as it was", () => {
  const running = (): ReturnType<typeof start>["actor"] => {
    const { actor } = start();
    actor.send({ type: "turn.accepted", turnId });
    actor.send(itemStarted("msg_1"));
    return actor;
  };
  const methods = Object.keys(serverNotifications) as Notification["method"][];
  assert.ok(methods.length > 40, `${methods.length} notification methods in the protocol`);
  for (const method of methods) {
    const notification = {
      method,
      params: { threadId, turnId, itemId: "msg_1", delta: "x" },
    } as unknown as Notification;
    if (changesTurn(notification)) continue;
    const actor = running();
    const before = actor.getSnapshot();
    actor.send({ type: "notification", notification });
    assert.equal(actor.getSnapshot(), before, `${method} changed the turn, but changesTurn says it cannot`);
  }
  for (const event of [turnStarted(), itemCompleted("msg_1", "x"), delta("msg_1", "x"), turnCompleted("completed")]) {
    const { notification } = event as { notification: Notification };
    assert.equal(changesTurn(notification), true, notification.method);
  }
});
