import { checkGoal, type GoalOptions } from "../client/goal-objective.js";
import type { GoalRunResult } from "../client/goal-run-result.js";
import { toUserInputs, type Input } from "../client/input.js";
import type { ThreadCompactOptions, ThreadReadOptions, TurnOptions } from "../client/options.js";
import type { RunResult } from "../client/run-result.js";
import type { ApprovalHandler } from "../client/server-request.js";
import { turnParams } from "../client/settings.js";
import type { ThreadCompactStartResponse, ThreadReadResponse, ThreadSetNameResponse } from "../schema/index.js";
import type { ClientLink } from "./client-link.js";
import type { SyncRequestOptions } from "./operations.js";
import { GoalHandle } from "./goal-handle.js";
import { TurnHandle } from "./turn-handle.js";

/**
 * A conversation with Codex, synchronously: start turns on it, read its history, rename or compact it.
 * Returned by `codex.threadStart()`, `threadResume()`, `threadFork()` and `threadUnarchive()`.
 *
 * @example
 * ```ts
 * const thread = codex.threadStart({ model: "gpt-5.4" });
 * const { finalResponse } = thread.run("Say hello in one sentence.");
 * ```
 */
export class Thread {
  /** The thread's id (keep it to resume the thread later, from any client). */
  readonly id: string;
  readonly #link: ClientLink;

  /** @internal Threads come from the client's `threadStart`/`threadResume`/`threadFork`/`threadUnarchive`. */
  constructor(link: ClientLink, id: string) {
    this.#link = link;
    this.id = id;
  }

  /**
   * This thread's own approval handler, which wins over the client's for requests about this thread; runs
   * on the caller's thread and must answer synchronously. `undefined` to use the client's.
   *
   * @example
   * ```ts
   * thread.approvalHandler = allowCommands(["ls", "cat"]);
   * ```
   */
  get approvalHandler(): ApprovalHandler | undefined {
    return this.#link.threadHandler(this.id);
  }

  set approvalHandler(handler: ApprovalHandler | undefined) {
    this.#link.setThreadHandler(this.id, handler);
  }

  /**
   * Starts a turn (`turn/start`) and returns its handle as soon as the server accepts it. The input is checked
   * before anything is sent.
   *
   * @throws {InvalidInputError} for empty or malformed input.
   * @example
   * ```ts
   * const handle = thread.turn("Explain this repo", { effort: "high" });
   * const turn = handle.run();
   * ```
   */
  turn(input: Input, options: TurnOptions = {}, requestOptions?: SyncRequestOptions): TurnHandle {
    const params = turnParams(options);
    const wire = toUserInputs(input);
    const turnId = this.#link.invoke(
      "turn",
      [this.id, wire, params, requestOptions],
      this.#link.requestBudget(requestOptions),
    );
    return new TurnHandle(this.#link, this.id, turnId);
  }

  /**
   * Runs a turn to its end and returns its final answer, items and token usage. Blocks for as long as the
   * turn runs, at most the client's `turnTimeoutMs` (then a `TimeoutError`); approvals asked meanwhile go to
   * the approval handler.
   *
   * @throws {TurnFailedError} when the turn fails (it carries the turn and the server's message).
   * @example
   * ```ts
   * const result = thread.run("What is 2 + 2? Answer with the number only.");
   * console.log(result.finalResponse, result.usage?.last.totalTokens);
   * ```
   */
  run(input: Input, options: TurnOptions = {}, requestOptions?: SyncRequestOptions): RunResult {
    const params = turnParams(options);
    const wire = toUserInputs(input);
    return this.#link.invoke("run", [this.id, wire, params, requestOptions, this.#link.turnWait()], "untilDone");
  }

  /**
   * Starts a goal on this thread (`thread/goal/set`, active), as `AsyncThread.startGoal`: the server then runs
   * turns by itself until the goal is complete, paused, blocked or out of budget or usage. The objective is checked
   * first (not blank, at most 4,000 characters) and the thread must be idle. Goals need no feature flag.
   *
   * @throws {InvalidInputError} for a bad objective or `tokenBudget`, or a thread that is running a turn.
   * @example
   * ```ts
   * const goal = thread.startGoal("Make the test suite pass", { tokenBudget: 200_000 });
   * const result = goal.run();
   * ```
   */
  startGoal(objective: string, options: GoalOptions = {}, requestOptions?: SyncRequestOptions): GoalHandle {
    checkGoal(objective, options);
    const { key, objective: sent } = this.#link.invoke(
      "startGoal",
      [this.id, objective, options, requestOptions],
      this.#link.requestBudget(requestOptions),
    );
    return new GoalHandle(this.#link, this.id, key, sent);
  }

  /**
   * Runs a goal to its end and returns its turns as one logical run, usage summed. Blocks for as long as the goal
   * runs, at most the client's `turnTimeoutMs` (then a `TimeoutError`).
   *
   * @throws {GoalNotCompletedError} when the goal ends `blocked`, `usageLimited` or `budgetLimited`;
   * {@link InvalidInputError} as for `startGoal`.
   * @example
   * ```ts
   * const { finalResponse, turnIds, usage } = thread.runGoal("Write CHANGELOG.md for 1.2");
   * console.log(turnIds.length, usage?.last.totalTokens, finalResponse);
   * ```
   */
  runGoal(objective: string, options: GoalOptions = {}, requestOptions?: SyncRequestOptions): GoalRunResult {
    checkGoal(objective, options);
    return this.#link.invoke(
      "runGoal",
      [this.id, objective, options, requestOptions, this.#link.turnWait()],
      "untilDone",
    );
  }

  /**
   * Reads the thread (`thread/read`); with `includeTurns: true`, its persisted turns and items too.
   *
   * @example
   * ```ts
   * const { thread: info } = thread.read({ includeTurns: true });
   * console.log(info.turns.length);
   * ```
   */
  read(options: ThreadReadOptions = {}, requestOptions?: SyncRequestOptions): ThreadReadResponse {
    return this.#link.invoke("read", [this.id, options, requestOptions], this.#link.requestBudget(requestOptions));
  }

  /**
   * Renames the thread (`thread/name/set`).
   *
   * @example
   * ```ts
   * thread.setName("release notes 1.2");
   * ```
   */
  setName(name: string, requestOptions?: SyncRequestOptions): ThreadSetNameResponse {
    return this.#link.invoke("setName", [this.id, name, requestOptions], this.#link.requestBudget(requestOptions));
  }

  /**
   * Compacts the thread's context (`thread/compact/start`).
   *
   * @example
   * ```ts
   * thread.compact();
   * ```
   */
  compact(options: ThreadCompactOptions = {}, requestOptions?: SyncRequestOptions): ThreadCompactStartResponse {
    return this.#link.invoke("compact", [this.id, options, requestOptions], this.#link.requestBudget(requestOptions));
  }
}
