import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  AppServerError,
  finalResponseOf,
  TransportClosedError,
  TurnFailedError,
  TurnNotRunningError,
  type AsyncCodex,
  type AsyncThread,
  type Notification,
  type ThreadItem,
} from "../../src/index.js";
import {
  createOfflineEnvironment,
  httpErrorReply,
  inputTexts,
  messagesReply,
  textReply,
  turnMetadata,
  type OfflineEnvironment,
  type RecordedRequest,
} from "../../src/testing/index.js";
import { offlineClient } from "../support/offline-client.js";
import { killProcessesUsingHome, processesUsingHome } from "../support/processes.js";
import { turnOf, type WireLog } from "../support/wire-log.js";
import { within } from "../support/within.js";
import { nextEvent } from "../support/next-event.js";

/**
 * Turns on the real app-server, offline, through one AsyncCodex: stream(), run(), thread.run(), a failed
 * turn, interrupt, steer, and close() while a turn runs.
 */

const WAIT_MS = 15_000;

let offline: OfflineEnvironment;
let codex: AsyncCodex;
let wire: WireLog;
let thread: AsyncThread;

function words(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`).join(" ");
}

function methodAndParams(notification: Notification): { method: string; params: unknown } {
  return { method: notification.method, params: notification.params };
}

function agentMessages(items: readonly ThreadItem[]): Extract<ThreadItem, { type: "agentMessage" }>[] {
  return items.filter((item): item is Extract<ThreadItem, { type: "agentMessage" }> => item.type === "agentMessage");
}

function requestsOfTurn(turnId: string): RecordedRequest[] {
  return offline.provider.responsesRequests.filter((request) => turnMetadata(request)?.turn_id === turnId);
}

describe("AsyncCodex turns against the real app-server", { timeout: 60_000 }, () => {
  before(async () => {
    offline = await createOfflineEnvironment();
    ({ codex, wire } = offlineClient(offline));
    thread = await codex.threadStart();
  });

  after(async () => {
    await codex?.close();
    killProcessesUsingHome(offline.home.path);
    await offline.close();
  });

  it("stream() yields exactly this turn's notifications in wire order, even with another thread's turn running, and ends right after turn/completed", async () => {
    const other = await codex.threadStart();
    const mine = "Stream this turn.";
    const reply = (request: RecordedRequest) =>
      inputTexts(request).at(-1) === mine
        ? textReply(words("mine", 6), { deltas: 6, deltaDelayMs: 15 })
        : textReply(words("other", 6), { deltas: 6, deltaDelayMs: 15 });
    offline.provider.enqueue(reply, reply);
    const otherHandle = await other.turn("Run beside it.");
    const handle = await thread.turn(mine);
    const seen: Notification[] = [];
    for await (const notification of handle.stream()) seen.push(notification);
    await within(WAIT_MS, "the other turn", otherHandle.run());

    const expected = wire.notifications().filter((n) => turnOf(n) === handle.id);
    assert.deepEqual(seen.map(methodAndParams), expected.map(methodAndParams));
    assert.equal(seen.at(-1)?.method, "turn/completed");
    assert.equal(seen.filter((n) => n.method === "turn/completed").length, 1);
    const deltas = seen.flatMap((n) => (n.method === "item/agentMessage/delta" ? [n.params.delta] : []));
    assert.equal(deltas.join(""), words("mine", 6));
    assert.ok(
      wire.notifications().some((n) => turnOf(n) === otherHandle.id && n.method === "item/agentMessage/delta"),
      "the other turn did stream meanwhile",
    );
  });

  it("stream() can be consumed once: a second consumer gets an error that says so", async () => {
    const handle = await thread.turn("Consume me twice.");
    const first = handle.stream();
    await assert.rejects(
      async () => {
        for await (const _ of handle.stream()) break;
      },
      (error: unknown) => error instanceof AppServerError && /consumed once/.test(error.message),
    );
    let count = 0;
    for await (const _ of first) count++;
    assert.ok(count > 0);
  });

  it("breaking out of the stream loop does not lose the turn: run() still returns it, completed, with the whole text", async () => {
    const text = words("slow", 10);
    offline.provider.enqueue(textReply(text, { deltas: 10, deltaDelayMs: 20 }));
    const handle = await thread.turn("Stream slowly, I will stop reading.");
    let deltas = 0;
    for await (const notification of handle.stream()) {
      if (notification.method === "item/agentMessage/delta" && ++deltas === 1) break;
    }
    const turn = await within(WAIT_MS, "run()", handle.run());
    assert.deepEqual([turn.id, turn.status], [handle.id, "completed"]);
    assert.deepEqual(
      agentMessages(turn.items).map((item) => item.text),
      [text],
    );
  });

  it("turn.run() returns the completed Turn", async () => {
    offline.provider.enqueue(textReply("Run me.", { deltas: 2 }));
    const handle = await thread.turn("Just run.");
    const turn = await within(WAIT_MS, "run()", handle.run());
    assert.equal(turn.id, handle.id);
    assert.equal(turn.status, "completed");
    assert.equal(turn.error, null);
    assert.deepEqual(
      agentMessages(turn.items).map((item) => item.text),
      ["Run me."],
    );
    assert.equal(handle.actor.getSnapshot().value, "completed");
  });

  it("thread.run() gives the final answer, the turn's items and usage equal to the provider's numbers", async () => {
    offline.provider.enqueue(
      messagesReply(
        [
          { type: "message", text: "Let me think.", phase: "commentary" },
          { type: "message", text: "The answer is 4.", phase: "final_answer" },
        ],
        { usage: { inputTokens: 123, cachedInputTokens: 7, outputTokens: 45, reasoningOutputTokens: 3 } },
      ),
    );
    const result = await thread.run("What is 2 + 2?");
    assert.equal(result.finalResponse, "The answer is 4.");
    assert.deepEqual(
      agentMessages(result.items).map((item) => [item.text, item.phase]),
      [
        ["Let me think.", "commentary"],
        ["The answer is 4.", "final_answer"],
      ],
    );
    const last = result.usage?.last;
    assert.deepEqual(
      last && [
        last.inputTokens,
        last.cachedInputTokens,
        last.outputTokens,
        last.reasoningOutputTokens,
        last.totalTokens,
      ],
      [123, 7, 45, 3, 168],
    );
  });

  it("a turn failed by the provider (HTTP 500) ends failed with the server's message: handle.run() returns it, thread.run() rejects with TurnFailedError", async () => {
    offline.provider.enqueue(httpErrorReply(500), httpErrorReply(500));
    const handle = await thread.turn("This will fail.");
    const errors: string[] = [];
    handle.on("error", ({ data }) => {
      errors.push(data.message);
    });
    const seen: Notification[] = [];
    for await (const notification of handle.stream()) seen.push(notification);
    const turn = await within(WAIT_MS, "run()", handle.run());
    assert.equal(turn.status, "failed");
    const message = turn.error?.message ?? "";
    assert.ok(message.length > 0, "the failed turn carries the server's message");
    const errorNotification = seen.find((n) => n.method === "error");
    assert.ok(errorNotification?.method === "error");
    assert.equal(errorNotification.params.error.message, message);
    assert.equal(errorNotification.params.willRetry, false);
    assert.equal(handle.actor.getSnapshot().value, "failed");
    assert.deepEqual(errors, [message], "the turn's `error` event saw it");

    await assert.rejects(thread.run("This will fail too."), (error: unknown) => {
      assert.ok(error instanceof TurnFailedError, `rejected with ${String(error)}`);
      assert.equal(error.turn.status, "failed");
      assert.equal(error.threadId, thread.id);
      assert.ok(error.message.includes(error.turn.error?.message ?? "<no message>"));
      return true;
    });
  });

  it("interrupt() of a slow turn ends it interrupted within a second, closes the partly streamed message, and a follow-up turn works", async () => {
    const text = words("long", 40);
    offline.provider.enqueue(textReply(text, { deltas: 40, deltaDelayMs: 100 }));
    const handle = await thread.turn("Stream for a long time.");
    const seen: Notification[] = [];
    const firstDelta = Promise.withResolvers<void>();
    const reading = (async () => {
      for await (const notification of handle.stream()) {
        seen.push(notification);
        if (notification.method === "item/agentMessage/delta") firstDelta.resolve();
      }
    })();
    await within(WAIT_MS, "the first delta", firstDelta.promise);
    await handle.interrupt();
    const turn = await within(1_000, "the interrupted turn's end", handle.run());
    await within(WAIT_MS, "the end of the stream", reading);
    assert.equal(turn.status, "interrupted");

    const [partial] = agentMessages(turn.items);
    assert.ok(partial, "the turn's items hold the partly streamed message");
    assert.ok(
      partial.text.length > 0 && partial.text.length < text.length && text.startsWith(partial.text),
      `partial text ${JSON.stringify(partial.text)}`,
    );
    assert.deepEqual(handle.actor.getSnapshot().context.closedItemIds, [partial.id]);
    const closing = seen.findIndex((n) => n.method === "item/completed" && n.params.item.id === partial.id);
    assert.ok(closing >= 0 && closing < seen.length - 1, "the stream closed the message before turn/completed");
    assert.equal(seen.at(-1)?.method, "turn/completed");
    assert.deepEqual(await handle.interrupt(), {}, "interrupting an ended turn does nothing");

    offline.provider.enqueue(textReply("Back again."));
    assert.equal((await thread.run("Are you there?")).finalResponse, "Back again.");
  });

  it("steer() reaches the provider as a second request of the turn carrying both texts", async () => {
    const original = "Write a long story.";
    offline.provider.enqueue(
      textReply(words("story", 30), { deltas: 30, deltaDelayMs: 50 }),
      textReply("Steered answer."),
    );
    const handle = await thread.turn(original);
    for await (const notification of handle.stream()) {
      if (notification.method === "item/agentMessage/delta") break;
    }
    const steered = await handle.steer("Change of plan: keep it short.");
    assert.equal(steered.turnId, handle.id);
    const turn = await within(WAIT_MS, "run()", handle.run());
    assert.equal(turn.status, "completed");
    assert.ok(agentMessages(turn.items).some((item) => item.text === "Steered answer."));
    const requests = requestsOfTurn(handle.id);
    assert.equal(requests.length, 2);
    const texts = inputTexts(requests[1]!);
    assert.ok(
      texts.includes(original) && texts.includes("Change of plan: keep it short."),
      `second request texts: ${JSON.stringify(texts)}`,
    );
    await assert.rejects(handle.steer("Too late."), TurnNotRunningError);
  });

  it("after steer(), the turn's items stay in the order they started, so its final answer is the steered one, not the message it abandoned", async () => {
    offline.provider.enqueue(
      textReply(words("abandoned", 30), { deltas: 30, deltaDelayMs: 50 }),
      textReply("Steered answer."),
    );
    const handle = await thread.turn("Start something long.");
    for await (const notification of handle.stream()) {
      if (notification.method === "item/agentMessage/delta") break;
    }
    await handle.steer("Stop, answer briefly.");
    const turn = await within(WAIT_MS, "run()", handle.run());
    const texts = agentMessages(turn.items).map((item) => item.text);
    assert.equal(texts.at(-1), "Steered answer.", `agent messages in items: ${JSON.stringify(texts)}`);
    assert.equal(finalResponseOf(turn.items), "Steered answer.");
  });

  it("two thread.run() calls on one thread share the running turn, and both get the answer the turn ended with", async () => {
    const shared = await codex.threadStart();
    offline.provider.enqueue(
      textReply(words("first", 30), { deltas: 30, deltaDelayMs: 50 }),
      textReply("Answer to both."),
    );
    const firstDelta = nextEvent(codex, "item/agentMessage/delta", ({ data }) => data.threadId === shared.id);
    const first = shared.run("Start a long answer.");
    await within(WAIT_MS, "the first delta", firstDelta);
    const second = await within(WAIT_MS, "the second run", shared.run("And answer this too."));
    const firstResult = await within(WAIT_MS, "the first run", first);
    assert.equal(second.finalResponse, "Answer to both.");
    assert.equal(firstResult.finalResponse, "Answer to both.");
  });

  it("close() while a turn streams: the stream throws and run() rejects with TransportClosedError, and no process remains", async () => {
    offline.provider.enqueue(textReply(words("endless", 40), { deltas: 40, deltaDelayMs: 100 }));
    const handle = await thread.turn("Keep going while I close.");
    const reading = (async () => {
      for await (const notification of handle.stream()) {
        if (notification.method === "item/agentMessage/delta") void codex.close();
      }
    })();
    await assert.rejects(within(WAIT_MS, "the stream to end", reading), TransportClosedError);
    await assert.rejects(within(WAIT_MS, "run() to settle", handle.run()), TransportClosedError);
    await within(WAIT_MS, "close()", codex.close());
    assert.equal(codex.lifecycle.getSnapshot().value, "closed");
    assert.deepEqual(processesUsingHome(offline.home.path), []);
    await assert.rejects(thread.turn("After close."), TransportClosedError);
  });
});
