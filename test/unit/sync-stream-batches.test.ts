import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { NotificationQueue } from "../../src/client/notification-queue.js";
import type { Notification } from "../../src/schema/index.js";
import { StreamBatches } from "../../src/sync/stream-batches.js";

const delta = (text: string) =>
  ({ method: "item/agentMessage/delta", params: { delta: text } }) as unknown as Notification;
const completed = { method: "turn/completed", params: {} } as unknown as Notification;

describe("a sync stream step carries every notification already waiting", { timeout: 5_000 }, () => {
  test("notifications waiting together come in one batch; the end comes with the last", async () => {
    const queue = new NotificationQueue(100);
    const batches = new StreamBatches(queue.read("test"));
    queue.push(delta("a"));
    queue.push(delta("b"));
    queue.push(completed);
    queue.end();
    const batch = await batches.take();
    assert.deepEqual(
      batch.notifications.map((n) => n.method),
      ["item/agentMessage/delta", "item/agentMessage/delta", "turn/completed"],
    );
    assert.equal(batch.done, true);
    assert.deepEqual(await batches.take(), { notifications: [], done: true });
  });

  test("a step waits for the first notification, then does not wait for more", async () => {
    const queue = new NotificationQueue(100);
    const batches = new StreamBatches(queue.read("test"));
    const step = batches.take();
    await delay(20);
    queue.push(delta("late"));
    assert.deepEqual(await step, { notifications: [delta("late")], done: false });
    const next = batches.take();
    queue.push(delta("later"));
    assert.deepEqual(await next, { notifications: [delta("later")], done: false });
  });

  test("a batch holds at most maxBatch notifications; nothing is lost between batches", async () => {
    const queue = new NotificationQueue(100);
    const batches = new StreamBatches(queue.read("test"), 2);
    for (const text of ["1", "2", "3"]) queue.push(delta(text));
    queue.end();
    assert.equal((await batches.take()).notifications.length, 2);
    assert.deepEqual(await batches.take(), { notifications: [delta("3")], done: true });
  });

  test("when the stream fails, the notifications before the failure come first, then the error", async () => {
    const queue = new NotificationQueue(100);
    const batches = new StreamBatches(queue.read("test"));
    queue.push(delta("a"));
    queue.end(new Error("connection lost"));
    assert.deepEqual(await batches.take(), { notifications: [delta("a")], done: false });
    await assert.rejects(batches.take(), /connection lost/);
  });
});
