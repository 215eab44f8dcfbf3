import { InvalidInputError } from "../errors/invalid-input-error.js";

/**
 * The most characters the server takes in a goal's objective (codex 0.169.0 and 0.171.0 refuse more with
 * -32600).
 *
 * @example
 * ```ts
 * const objective = draft.trim().slice(0, MAX_GOAL_OBJECTIVE_LENGTH);
 * ```
 */
export const MAX_GOAL_OBJECTIVE_LENGTH = 4_000;

/**
 * Options of `thread.startGoal` and `thread.runGoal` (on `AsyncThread` and the sync `Thread`).
 *
 * @example
 * ```ts
 * const result = await thread.runGoal("Make the test suite pass", { tokenBudget: 200_000 });
 * ```
 */
export interface GoalOptions {
  /** The most tokens the goal may use; past it the goal ends `budgetLimited` (a `GoalNotCompletedError`). */
  tokenBudget?: number | undefined;
}

/**
 * Checks a goal's objective and options before anything is sent: the objective a string, not blank, at most
 * {@link MAX_GOAL_OBJECTIVE_LENGTH} characters once trimmed; `tokenBudget` a positive whole number. Returns the
 * objective trimmed.
 *
 * @throws {InvalidInputError} saying what is wrong and what to do.
 */
export function checkGoal(objective: unknown, options: GoalOptions): string {
  if (typeof objective !== "string")
    throw new InvalidInputError(`a goal's objective must be a string (got ${typeof objective}).`);
  const trimmed = objective.trim();
  if (trimmed === "") throw new InvalidInputError("a goal's objective is empty: say what the goal is.");
  // The server counts characters (code points), not UTF-16 units: a surrogate pair is one.
  const length = trimmed.length - (trimmed.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
  if (length > MAX_GOAL_OBJECTIVE_LENGTH) {
    throw new InvalidInputError(
      `a goal's objective has ${length} characters, more than the server's ${MAX_GOAL_OBJECTIVE_LENGTH}: shorten it, and give the details in a turn before the goal or in the developer instructions.`,
    );
  }
  const budget = options.tokenBudget;
  if (budget !== undefined && !(Number.isSafeInteger(budget) && budget > 0)) {
    throw new InvalidInputError(`tokenBudget must be a positive whole number of tokens (got ${String(budget)}).`);
  }
  return trimmed;
}
