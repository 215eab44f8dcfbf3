import assert from "node:assert/strict";
import { test } from "node:test";
import { checkGoal } from "../../src/client/goal-objective.js";
import { GoalRun } from "../../src/client/goal-run.js";
import { goalRunResultOf } from "../../src/client/goal-run-result.js";
import { GoalNotCompletedError, InvalidInputError } from "../../src/index.js";
import type { Notification, ThreadGoal, ThreadGoalStatus, Turn } from "../../src/schema/index.js";

const threadId = "thread-1";
const goal = (status: ThreadGoalStatus): ThreadGoal => ({
  threadId,
  objective: "ship it",
  status,
  tokensUsed: 10,
  timeUsedSeconds: 1,
  createdAt: 1,
  updatedAt: 1,
});
const turn = (id: string, durationMs: number): Turn =>
  ({ id, status: "completed", items: [], startedAt: 100, completedAt: 101, durationMs }) as unknown as Turn;
const usage = (turnId: string, tokens: number, total: number) =>
  ({
    method: "thread/tokenUsage/updated",
    params: {
      threadId,
      turnId,
      tokenUsage: {
        last: {
          totalTokens: tokens,
          inputTokens: tokens,
          cachedInputTokens: 0,
          outputTokens: 0,
          reasoningOutputTokens: 0,
        },
        total: {
          totalTokens: total,
          inputTokens: total,
          cachedInputTokens: 0,
          outputTokens: 0,
          reasoningOutputTokens: 0,
        },
        modelContextWindow: null,
      },
    },
  }) as Notification;
const started = (id: string) => ({ method: "turn/started", params: { threadId, turn: turn(id, 0) } }) as Notification;
const completed = (id: string, ms: number) =>
  ({ method: "turn/completed", params: { threadId, turn: turn(id, ms) } }) as Notification;
const updated = (status: ThreadGoalStatus) =>
  ({ method: "thread/goal/updated", params: { threadId, goal: goal(status) } }) as Notification;

test("checkGoal trims, and counts characters as the server does (a surrogate pair is one)", () => {
  assert.equal(checkGoal("  ship it  ", {}), "ship it");
  assert.equal(checkGoal("😀".repeat(4_000), {}).length, 8_000);
  assert.throws(() => checkGoal("😀".repeat(4_001), {}), /4001 characters/);
  assert.throws(() => checkGoal(` ${"x".repeat(4_001)} `, {}), InvalidInputError);
  assert.throws(() => checkGoal(" \n ", {}), /empty/);
  assert.throws(() => checkGoal(42, {}), /must be a string/);
  assert.throws(() => checkGoal("ok", { tokenBudget: 0 }), /positive whole number/);
});

test("a run's turns become one result: usage summed, durations summed, first id, last completion", () => {
  const run = new GoalRun(threadId);
  for (const n of [updated("active"), started("a"), usage("a", 10, 10), completed("a", 5)]) run.observe(n);
  assert.equal(run.phase, "between");
  for (const n of [started("b"), usage("b", 20, 30), usage("b", 25, 55), updated("complete")]) run.observe(n);
  assert.equal(run.phase, "turn", "the goal is complete, but its turn still runs");
  run.observe(completed("b", 7));
  assert.equal(run.phase, "ended");
  assert.equal(run.observe(started("c")), false, "nothing after the end belongs to the run");
  const result = goalRunResultOf(run, false);
  assert.deepEqual(result.turnIds, ["a", "b"]);
  assert.equal(result.id, "a");
  assert.equal(result.usage?.last.totalTokens, 55, "every report (one per model request), summed");
  assert.equal(result.usage?.total.totalTokens, 55);
  assert.equal(result.durationMs, 12);
});

test("a clear of an earlier goal does not end the run; a blocked goal is a GoalNotCompletedError", () => {
  const run = new GoalRun(threadId);
  run.observe({ method: "thread/goal/cleared", params: { threadId } });
  assert.equal(run.phase, "starting");
  for (const n of [updated("active"), started("a"), updated("blocked"), completed("a", 1)]) run.observe(n);
  assert.equal(run.phase, "ended");
  assert.throws(
    () => goalRunResultOf(run, false),
    (error: unknown) => {
      assert.ok(error instanceof GoalNotCompletedError);
      assert.equal(error.status, "blocked");
      assert.deepEqual(error.turnIds, ["a"]);
      return true;
    },
  );
});

test("another thread's notifications do not belong to the run", () => {
  const run = new GoalRun(threadId);
  assert.equal(run.observe({ method: "turn/started", params: { threadId: "other", turn: turn("x", 0) } }), false);
  assert.equal(run.phase, "starting");
});
