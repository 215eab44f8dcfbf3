import type { ThreadGoal } from "../schema/index.js";
import { AppServerError } from "./app-server-error.js";

const ADVICE: Readonly<Partial<Record<ThreadGoal["status"], string>>> = {
  blocked: "the model could not go on without more input: start a new goal that says more, or run a turn first",
  usageLimited: "the account's usage limit was reached: wait for it to reset, or use another account or plan",
  budgetLimited: "its tokenBudget was used up: start it again with a larger tokenBudget, or none",
};

/**
 * A goal ended without being achieved: `blocked`, `usageLimited` or `budgetLimited` (its `status`). A goal
 * handle's `run()` (and `thread.runGoal()`, on both clients) rejects with it; `goal` is the server's last report
 * of the goal, `turnIds` the turns it ran.
 *
 * @example
 * ```ts
 * try {
 *   await thread.runGoal("Make the test suite pass", { tokenBudget: 50_000 });
 * } catch (err) {
 *   if (err instanceof GoalNotCompletedError) console.error(err.status, err.goal.tokensUsed);
 * }
 * ```
 */
export class GoalNotCompletedError extends AppServerError {
  override name = "GoalNotCompletedError";
  readonly threadId: string;
  /** How the goal ended: `blocked`, `usageLimited` or `budgetLimited`. */
  readonly status: ThreadGoal["status"];
  /** The goal as the server last reported it. */
  readonly goal: ThreadGoal;
  /** The ids of the turns the goal ran, in order. */
  readonly turnIds: readonly string[];

  /** @param options The thread, the goal as last reported, the turns it ran, and the `cause` if any. */
  constructor(options: ErrorOptions & { threadId: string; goal: ThreadGoal; turnIds?: readonly string[] | undefined }) {
    const { threadId, goal, turnIds = [] } = options;
    super(
      `the goal on thread ${threadId} ended ${goal.status} after ${turnIds.length} turn(s) and ${goal.tokensUsed} tokens: ${ADVICE[goal.status] ?? "see its status"}.`,
      options,
    );
    this.threadId = threadId;
    this.status = goal.status;
    this.goal = goal;
    this.turnIds = turnIds;
  }
}
