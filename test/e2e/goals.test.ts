import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { waitFor } from "xstate";
import {
  AsyncCodex,
  AsyncThread,
  GoalNotCompletedError,
  InvalidInputError,
  InvalidRequestError,
  TransportClosedError,
  TurnNotRunningError,
  type Notification,
} from "../../src/index.js";
import {
  createOfflineEnvironment,
  httpErrorReply,
  inputTexts,
  textReply,
  type OfflineEnvironment,
  type StreamReply,
} from "../../src/testing/index.js";
import { offlineClient } from "../support/offline-client.js";
import type { WireLog } from "../support/wire-log.js";

// Goals against the real app-server, offline. Once a goal is active the server runs turns by itself; the model
// ends the goal with its `update_goal` tool. Goals need no feature flag: codex's `goals` feature is on by default (none is set here).

let offline: OfflineEnvironment;
let codex: AsyncCodex;
let wire: WireLog;

const updateGoal = (status: string): StreamReply => ({
  kind: "stream",
  output: [{ type: "function_call", name: "update_goal", arguments: { status } }],
  usage: { inputTokens: 40, outputTokens: 4 },
});

/** Runs a plain turn after a goal's run and checks that the thread holds the goal's turns, then it: none between. */
async function assertNoTurnAfter(thread: AsyncThread, goalTurnIds: readonly string[], after: string): Promise<void> {
  offline.provider.setFallback(textReply("Plain turn."));
  const plain = await thread.run(`A plain turn after the ${after}.`);
  const { thread: stored } = await thread.read({ includeTurns: true });
  assert.deepEqual(
    stored.turns.map((turn) => turn.id),
    [...goalTurnIds, plain.id],
    `no continuation turn started after the ${after}`,
  );
}

describe("goals on the real app-server", { timeout: 120_000 }, () => {
  before(async () => {
    offline = await createOfflineEnvironment();
    ({ codex, wire } = offlineClient(offline));
    await codex.start();
  });

  beforeEach(() => {
    offline.provider.reset();
    offline.provider.setFallback(textReply("Still working.", { usage: { inputTokens: 10, outputTokens: 2 } }));
  });

  after(async () => {
    await codex?.close();
    await offline?.close();
  });

  it("a goal that needs two continuation turns is one run: three turns, their items, usage summed", async () => {
    offline.provider.enqueue(
      textReply("Step one done.", { usage: { inputTokens: 100, outputTokens: 10 } }),
      textReply("Step two done.", { usage: { inputTokens: 200, outputTokens: 20 } }),
      updateGoal("complete"),
      textReply("The goal is achieved.", { usage: { inputTokens: 300, outputTokens: 30 } }),
    );
    const thread = await codex.threadStart();
    const result = await thread.runGoal("Do the three steps, then mark the goal complete.");
    assert.equal(result.turnIds.length, 3, "the first turn and two continuations");
    assert.equal(result.status, "completed");
    assert.equal(result.goal?.status, "complete");
    assert.equal(result.finalResponse, "The goal is achieved.");
    assert.equal(result.id, result.turnIds[0]);
    const texts = result.items.filter((item) => item.type === "agentMessage").map((item) => item.text);
    assert.deepEqual(texts, ["Step one done.", "Step two done.", "The goal is achieved."]);
    // The usage, summed: what the provider was told to report for each model request of the three turns (the
    // third turn makes two: the update_goal call, then the answer) — the thread's total, as the thread is new.
    const perRequest = [100 + 10, 200 + 20, 40 + 4, 300 + 30];
    const summed = perRequest.reduce((a, b) => a + b, 0);
    assert.equal(result.usage?.last.totalTokens, summed, "every request of every turn, summed");
    assert.equal(result.usage?.total.totalTokens, summed);
    const lastReport = wire
      .notifications()
      .filter(
        (n): n is Extract<Notification, { method: "thread/tokenUsage/updated" }> =>
          n.method === "thread/tokenUsage/updated",
      )
      .filter((n) => result.turnIds.includes(n.params.turnId))
      .at(-1);
    assert.equal(lastReport?.params.tokenUsage.total.totalTokens, summed, "the wire agrees");
    assert.ok(result.completedAt! >= result.startedAt!);
  });

  it("a goal that runs out of its token budget rejects with GoalNotCompletedError (budgetLimited)", async () => {
    const thread = await codex.threadStart();
    await assert.rejects(thread.runGoal("Keep going for ever.", { tokenBudget: 30 }), (error: unknown) => {
      assert.ok(error instanceof GoalNotCompletedError, String(error));
      assert.equal(error.status, "budgetLimited");
      assert.match(error.message, /larger tokenBudget/);
      return true;
    });
  });

  it("a goal the model declares blocked rejects with GoalNotCompletedError (blocked)", async () => {
    offline.provider.enqueue(updateGoal("blocked"), textReply("I am blocked."));
    const thread = await codex.threadStart();
    await assert.rejects(
      thread.runGoal("Something impossible."),
      (error: unknown) => error instanceof GoalNotCompletedError && error.status === "blocked",
    );
  });

  it("a goal whose account hits its usage limit rejects with GoalNotCompletedError (usageLimited)", async () => {
    const usageLimit = httpErrorReply(429, {
      body: { error: { type: "usage_limit_reached", message: "You have hit your usage limit.", plan_type: "plus" } },
    });
    offline.provider.enqueue(textReply("First step done."), usageLimit, usageLimit, usageLimit, usageLimit);
    const thread = await codex.threadStart();
    await assert.rejects(thread.runGoal("Work until the usage limit."), (error: unknown) => {
      assert.ok(error instanceof GoalNotCompletedError, String(error));
      assert.equal(error.status, "usageLimited");
      assert.match(error.message, /usage limit was reached/);
      return true;
    });
  });

  it("interrupt() pauses the goal: the run ends interrupted and no further turn starts", async () => {
    offline.provider.setFallback(textReply("Working slowly on it.", { deltas: 20, deltaDelayMs: 50 }));
    const thread = await codex.threadStart();
    const goal = await thread.startGoal("Work slowly for a long time.");
    const seen: string[] = [];
    for await (const notification of goal.stream()) {
      seen.push(notification.method);
      if (notification.method === "item/agentMessage/delta") break;
    }
    assert.ok(seen.includes("turn/started"), "the stream has the goal's first turn");
    await goal.interrupt();
    const result = await goal.run();
    assert.equal(result.status, "interrupted");
    assert.equal(result.goal?.status, "paused");
    assert.equal(goal.phase, "ended");
    await assertNoTurnAfter(thread, result.turnIds, "pause");
  });

  it("steer() adds input to the goal's running turn; between turns and after the end it is a TurnNotRunningError", async () => {
    offline.provider.enqueue(
      textReply("Working on the first step.", { deltas: 20, deltaDelayMs: 50 }),
      updateGoal("complete"),
      textReply("Done, keeping the API as it is."),
    );
    const thread = await codex.threadStart();
    const goal = await thread.startGoal("Refactor the parser.");
    for await (const notification of goal.stream()) {
      if (notification.method === "item/agentMessage/delta") break;
    }
    assert.equal(goal.phase, "turn");
    await goal.steer("Keep the public API unchanged.");
    const result = await goal.run();
    assert.equal(result.goal?.status, "complete");
    const steered = offline.provider.responsesRequests.some((request) =>
      inputTexts(request).includes("Keep the public API unchanged."),
    );
    assert.ok(steered, "a later model request of the goal carries the steered input");
    await assert.rejects(goal.steer("Too late."), TurnNotRunningError);
  });

  it("clear() stops the goal: the run ends with its running turn, and no turn follows", async () => {
    offline.provider.setFallback(textReply("Working slowly on it.", { deltas: 20, deltaDelayMs: 50 }));
    const thread = await codex.threadStart();
    const goal = await thread.startGoal("Work slowly for a long time.");
    for await (const notification of goal.stream()) {
      if (notification.method === "item/agentMessage/delta") break;
    }
    await goal.clear();
    const result = await goal.run();
    assert.equal(result.status, "completed", "the running turn ran to its end");
    assert.equal(result.turnIds.length, 1);
    await assertNoTurnAfter(thread, result.turnIds, "clear");
  });

  it("an app-server killed under a goal rejects run() with TransportClosedError, also when the restart option brings up a new one", async () => {
    const { codex: restarting } = offlineClient(offline, {
      restart: { maxRestarts: 2, backoff: { initialMs: 50, maxMs: 200, jitter: 0 } },
    });
    offline.provider.setFallback(textReply("Working slowly on it.", { deltas: 20, deltaDelayMs: 50 }));
    try {
      const thread = await restarting.threadStart();
      const goal = await thread.startGoal("Work until the app-server dies.");
      const running = goal.run();
      running.catch(() => undefined);
      for await (const notification of goal.stream()) {
        if (notification.method === "item/agentMessage/delta") break;
      }
      assert.ok(restarting.pid !== null);
      process.kill(-restarting.pid, "SIGKILL");
      await assert.rejects(running, (error: unknown) => {
        assert.ok(error instanceof TransportClosedError, String(error));
        assert.notEqual(error.reason, "closed", "lost, not closed by the client");
        return true;
      });
      await waitFor(restarting.lifecycle, (state) => state.matches("ready") && state.context.restarts >= 1);
    } finally {
      await restarting.close();
    }
  });

  it("the objective and budget are checked before anything is sent; 4,000 characters is the server's limit", async () => {
    const thread = await codex.threadStart();
    const sent = wire.sentMethods().length;
    await assert.rejects(thread.startGoal("   "), InvalidInputError);
    await assert.rejects(thread.startGoal("x".repeat(4_001)), /4001 characters, more than the server's 4000/);
    await assert.rejects(thread.startGoal("😀".repeat(4_001)), /4001 characters/);
    await assert.rejects(thread.startGoal("ok", { tokenBudget: -5 }), InvalidInputError);
    await assert.rejects(thread.startGoal("ok", { tokenBudget: 1.5 }), InvalidInputError);
    assert.equal(wire.sentMethods().length, sent, "nothing was sent");
    offline.provider.enqueue(updateGoal("complete"), textReply("Done."));
    const result = await thread.runGoal(` ${"x".repeat(4_000)} `);
    assert.equal(result.goal?.objective.length, 4_000, "the server takes 4,000 characters (trimmed)");
  });

  it("a thread running a turn is not idle: startGoal rejects before setting anything", async () => {
    offline.provider.enqueue(textReply("A long answer.", { deltas: 30, deltaDelayMs: 50 }));
    const busy = await codex.threadStart();
    const handle = await busy.turn("Talk for a while.");
    const sent = wire.sentMethods().length;
    await assert.rejects(busy.startGoal("Something else."), (error: unknown) => {
      assert.ok(error instanceof InvalidInputError, String(error));
      assert.match(error.message, /running a turn, not idle: wait for the turn to end \(or interrupt it\)/);
      return true;
    });
    assert.ok(!wire.sentMethods().slice(sent).includes("thread/goal/set"), "no goal was set");
    assert.equal((await handle.run()).status, "completed");
  });

  it("closing the client while a goal runs rejects run() and ends the stream with TransportClosedError", async () => {
    const { codex: closing } = offlineClient(offline);
    offline.provider.setFallback(textReply("Working slowly on it.", { deltas: 20, deltaDelayMs: 50 }));
    try {
      const thread = await closing.threadStart();
      const goal = await thread.startGoal("Work until the client closes.");
      const stream = goal.stream();
      await stream.next();
      await closing.close();
      await assert.rejects(goal.run(), TransportClosedError);
      await assert.rejects(async () => {
        for await (const _ of stream) {
          // drain what came before the close
        }
      }, TransportClosedError);
    } finally {
      await closing.close();
    }
  });
});

describe("goals switched off in codex's config", { timeout: 60_000 }, () => {
  it("thread/goal/* is refused, and the error says how to switch goals on", async () => {
    const off = await createOfflineEnvironment({ config: { features: { goals: false } } });
    const { codex: client } = offlineClient(off);
    try {
      const thread = await client.threadStart();
      await assert.rejects(thread.runGoal("Anything."), (error: unknown) => {
        assert.ok(error instanceof InvalidRequestError, String(error));
        assert.match(error.message, /goals feature is disabled/);
        assert.match(error.message, /features\.goals=true/);
        return true;
      });
    } finally {
      await client.close();
      await off.close();
    }
  });
});
