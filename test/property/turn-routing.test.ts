import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { setImmediate as nextMacrotask, setTimeout as delay } from "node:timers/promises";
import fc from "fast-check";
import { AsyncCodex, type Notification, type TurnStatus } from "../../src/index.js";
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
import { CaseCounter, runs } from "./support/settings.js";

/**
 * The client's routing (router + turn machine) against random interleavings of several turns' notifications,
 * as a fake app-server sends them: each turn's own events in order, but mixed with the other turns', its
 * `turn/completed` anywhere relative to the others (early), sometimes twice, and its `turn/start` answer
 * anywhere in its own sequence (so notifications, `turn/completed` included, can come before it). Each turn
 * must see exactly its own events, in order, up to its first `turn/completed`, end in the status that
 * `turn/completed` says, and every agent message's deltas must add up to its `item/completed` text.
 */

const counter = new CaseCounter();
after(() => console.log(counter.report("turn routing property cases")));

interface TurnSpec {
  messages: string[][];
  status: Exclude<TurnStatus, "inProgress">;
  duplicateTerminal: boolean;
  /** Where the turn/start answer goes among the turn's notifications (0: before all of them). */
  answerAt: number;
}

const turnSpec: fc.Arbitrary<TurnSpec> = fc.record({
  messages: fc.array(
    fc.array(fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }),
    { minLength: 1, maxLength: 2 },
  ),
  status: fc.constantFrom("completed", "interrupted", "failed"),
  duplicateTerminal: fc.boolean(),
  answerAt: fc.nat({ max: 20 }),
});

/** The notifications of one turn, in the order the server sends them. */
function turnNotifications(threadId: string, turnId: string, spec: TurnSpec): Notification[] {
  const items = spec.messages.map((chunks, i) => ({ id: `msg_${turnId}_${i}`, chunks }));
  const completed = turnCompleted(threadId, turnId, spec.status);
  if (spec.status === "failed") {
    (completed.params as { turn: { error: unknown } }).turn.error = {
      message: "scripted failure",
      codexErrorInfo: null,
      additionalDetails: null,
    };
  }
  const events: Notification[] = [turnStarted(threadId, turnId)];
  for (const { id, chunks } of items) {
    events.push(itemStarted(threadId, turnId, agentMessage(id, "")));
    for (const chunk of chunks) events.push(agentDelta(threadId, turnId, id, chunk));
    events.push(itemCompleted(threadId, turnId, agentMessage(id, chunks.join(""))));
  }
  events.push(completed);
  if (spec.duplicateTerminal) events.push(completed);
  return events;
}

type Step = { kind: "notify"; notification: Notification } | { kind: "answer"; turnId: string };

/** Merges the turns' step lists, each kept in order, picking the next turn with `picks`. */
function interleave(lists: Step[][], picks: readonly number[]): Step[] {
  const queues = lists.map((list) => [...list]);
  const merged: Step[] = [];
  let pick = 0;
  for (;;) {
    const open = queues.filter((queue) => queue.length > 0);
    if (open.length === 0) return merged;
    merged.push(open[(picks[pick++] ?? 0) % open.length]!.shift()!);
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2_000; i += 1) {
    if (condition()) return;
    await delay(1);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function collect(stream: AsyncIterable<Notification>): Promise<Notification[]> {
  const seen: Notification[] = [];
  for await (const notification of stream) seen.push(notification);
  return seen;
}

async function runCase(specs: readonly TurnSpec[], picks: readonly number[]): Promise<void> {
  const server = new FakeAppServer();
  const answers = new Map<string, () => void>();
  const arrived: { threadId: string; turnId: string }[] = [];
  server.onTurnStart = (params, turnId) =>
    new Promise((resolve) => {
      answers.set(turnId, () => resolve({ turn: wireTurn(turnId, "inProgress") }));
      arrived.push({ threadId: params.threadId, turnId });
    });
  await using codex = new AsyncCodex({ transport: server.transport, requestTimeoutMs: 10_000 });
  const threads = await Promise.all(specs.map(() => codex.threadStart()));
  const starting = threads.map((thread, i) => thread.turn(`turn ${i}`));
  await until(() => arrived.length === specs.length, "every turn/start");

  const expected = new Map<string, { spec: TurnSpec; events: Notification[] }>();
  const lists = threads.map((thread, i) => {
    const spec = specs[i]!;
    const { turnId } = arrived.find((a) => a.threadId === thread.id)!;
    const events = turnNotifications(thread.id, turnId, spec);
    expected.set(turnId, { spec, events: events.slice(0, spec.duplicateTerminal ? -1 : undefined) });
    const steps: Step[] = events.map((notification) => ({ kind: "notify", notification }));
    steps.splice(Math.min(spec.answerAt, steps.length), 0, { kind: "answer", turnId });
    return steps;
  });
  for (const step of interleave(lists, picks)) {
    if (step.kind === "answer") {
      answers.get(step.turnId)!();
      await nextMacrotask();
    } else {
      server.notify(step.notification);
    }
  }

  const handles = await Promise.all(starting);
  // A turn that never ends is a failure of this case, not a hang of the suite.
  const signal = AbortSignal.timeout(10_000);
  for (const handle of handles) {
    const want = expected.get(handle.id)!;
    const seen = await collect(handle.stream({ signal }));
    assert.deepEqual(
      seen.map((n) => ({ method: n.method, params: n.params })),
      want.events.map((n) => ({ method: n.method, params: n.params })),
      `turn ${handle.id} sees exactly its own notifications, in order, up to its first turn/completed`,
    );
    const turn = await handle.run({ signal });
    assert.equal(turn.status, want.spec.status, `turn ${handle.id} ends as its turn/completed says`);
    const texts = turn.items.flatMap((item) => (item.type === "agentMessage" ? [item.text] : []));
    assert.deepEqual(
      texts,
      want.spec.messages.map((chunks) => chunks.join("")),
      "the turn's items are its messages",
    );
    for (const completed of seen) {
      if (completed.method !== "item/completed" || completed.params.item.type !== "agentMessage") continue;
      const { id, text } = completed.params.item;
      const deltas = seen.flatMap((n) =>
        n.method === "item/agentMessage/delta" && n.params.itemId === id ? [n.params.delta] : [],
      );
      assert.equal(deltas.join(""), text, "the deltas add up to the item/completed text");
    }
  }
  counter.add(`${specs.length} turn(s)`);
}

describe("router and turn machine against random interleavings of several turns", { timeout: 600_000 }, () => {
  it("each turn sees exactly its own events in order and ends as its turn/completed says", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(turnSpec, { minLength: 1, maxLength: 4 })
          .chain((specs) => fc.tuple(fc.constant(specs), fc.array(fc.nat(), { minLength: 80, maxLength: 80 }))),
        async ([specs, picks]) => runCase(specs, picks),
      ),
      runs(40, 2_000),
    );
  });
});
