import { GoalNotCompletedError } from "../errors/goal-not-completed-error.js";
import { TurnFailedError } from "../errors/turn-failed-error.js";
import type { ThreadGoal } from "../schema/index.js";
import type { GoalRun } from "./goal-run.js";
import { finalResponseOf, type RunResult } from "./run-result.js";

/**
 * What a goal run gives (`goal.run()`, `thread.runGoal()`): a {@link RunResult} over all its turns — the first
 * and every automatic continuation — as one logical run: `id` and `startedAt` of the first turn, `completedAt` of
 * the last, `durationMs` the turns' summed time (not the gaps between them), `items` of every turn in order,
 * `usage.last` summed over the turns, every model request of each (`usage.total` is the thread's running total); plus the turns' own ids and
 * the goal as the server last reported it. A goal paused or cleared before its first turn gives `id: ""`, no
 * items and `turnIds: []`.
 *
 * @example
 * ```ts
 * const { turnIds, goal, finalResponse, usage } = await thread.runGoal("Write CHANGELOG.md");
 * console.log(turnIds.length, goal?.status, usage?.last.totalTokens, finalResponse);
 * ```
 */
export interface GoalRunResult extends RunResult {
  /** The ids of the goal's turns, in order (the server's own ids; `id` is the first). */
  readonly turnIds: readonly string[];
  /** The goal as the server last reported it (`thread/goal/updated`). */
  readonly goal: ThreadGoal | null;
}

const NOT_COMPLETED: ReadonlySet<ThreadGoal["status"]> = new Set(["blocked", "usageLimited", "budgetLimited"]);

/**
 * The result of an ended goal run. `paused` says whether the client paused it (`interrupt()`): the run's status is
 * then `interrupted`.
 *
 * @throws {GoalNotCompletedError} when the goal ended `blocked`, `usageLimited` or `budgetLimited`;
 * {@link TurnFailedError} when its last turn failed.
 */
export function goalRunResultOf(run: GoalRun, paused: boolean): GoalRunResult {
  const { turns, goal, threadId } = run;
  const turnIds = turns.map((turn) => turn.id);
  if (goal !== null && NOT_COMPLETED.has(goal.status)) throw new GoalNotCompletedError({ threadId, goal, turnIds });
  const first = turns[0];
  const last = turns.at(-1);
  if (last?.status === "failed") throw new TurnFailedError({ threadId, turn: last });
  return {
    id: first?.id ?? "",
    status: paused || goal?.status === "paused" || last === undefined ? "interrupted" : last.status,
    startedAt: first?.startedAt ?? null,
    completedAt: last?.completedAt ?? null,
    durationMs: turns.every((turn) => typeof turn.durationMs === "number")
      ? turns.reduce((sum, turn) => sum + (turn.durationMs ?? 0), 0)
      : null,
    finalResponse: finalResponseOf(run.items),
    items: run.items,
    usage: run.usage(),
    turnIds,
    goal,
  };
}
