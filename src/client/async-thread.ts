import type { RequestOptions } from "../rpc/peer.js";
import { TurnFailedError } from "../errors/turn-failed-error.js";
import type { ThreadCompactStartResponse, ThreadReadResponse, ThreadSetNameResponse } from "../schema/index.js";
import { AsyncTurnHandle } from "./async-turn-handle.js";
import { startGoal, type AsyncGoalHandle } from "./goal.js";
import type { GoalOptions } from "./goal-objective.js";
import type { GoalRunResult } from "./goal-run-result.js";
import { toUserInputs, type Input } from "./input.js";
import type { ThreadCompactOptions, ThreadReadOptions, TurnOptions } from "./options.js";
import { runResultOf, type RunResult } from "./run-result.js";
import type { ApprovalHandler } from "./server-request.js";
import type { Session } from "./session.js";
import { turnParams } from "./settings.js";

/**
 * A conversation with Codex: start turns on it, read its history, rename or compact it. Returned by
 * `codex.threadStart()`, `threadResume()`, `threadFork()` and `threadUnarchive()`.
 *
 * @example
 * ```ts
 * const thread = await codex.threadStart({ model: "gpt-5.4" });
 * const { finalResponse } = await thread.run("Say hello in one sentence.");
 * ```
 */
export class AsyncThread {
  /** The thread's id (keep it to resume the thread later, from any client). */
  readonly id: string;
  readonly #session: Session;

  /** @internal Threads come from the client's `threadStart`/`threadResume`/`threadFork`/`threadUnarchive`. */
  constructor(session: Session, id: string) {
    this.#session = session;
    this.id = id;
  }

  /**
   * This thread's own approval handler, which wins over the client's `approvalHandler` for requests about
   * this thread; `undefined` to use the client's.
   *
   * @example
   * ```ts
   * thread.approvalHandler = allowCommands(["ls", "cat"]);
   * ```
   */
  get approvalHandler(): ApprovalHandler | undefined {
    return this.#session.serverRequests.threadHandler(this.id);
  }

  set approvalHandler(handler: ApprovalHandler | undefined) {
    this.#session.serverRequests.setThreadHandler(this.id, handler);
  }

  /**
   * Starts a turn (`turn/start`) and returns its handle as soon as the server accepts it. The input is checked
   * before anything is sent. On a thread whose turn is still running, the server feeds the input into that
   * turn, and the handle is that turn's.
   *
   * @throws {InvalidInputError} for empty or malformed input, an unknown `approvalMode` or `sandbox`, or the bypass
   * mode given with a sandbox or a `sandboxPolicy`.
   * @example
   * ```ts
   * const handle = await thread.turn("Explain this repo", { effort: "high", approvalMode: "denyAll" });
   * const turn = await handle.run();
   * ```
   */
  async turn(input: Input, options: TurnOptions = {}, requestOptions?: RequestOptions): Promise<AsyncTurnHandle> {
    const params = turnParams(options);
    const wire = toUserInputs(input);
    const live = await this.#session.startTurn({ ...params, threadId: this.id, input: wire }, requestOptions);
    return new AsyncTurnHandle(this.#session, live, this.id, live.turnId as string);
  }

  /**
   * Runs a turn to its end and returns its id, status, times, final answer, items and token usage. The input is
   * a string or any input kind (or a list of them), as for `turn`.
   *
   * @throws {TurnFailedError} when the turn fails (it carries the turn and the server's message).
   * @example
   * ```ts
   * const result = await thread.run("What is 2 + 2? Answer with the number only.");
   * console.log(result.finalResponse, result.status, result.durationMs, result.usage?.last.totalTokens);
   * ```
   */
  async run(input: Input, options: TurnOptions = {}, requestOptions?: RequestOptions): Promise<RunResult> {
    const handle = await this.turn(input, options, requestOptions);
    const turn = await handle.run({ signal: requestOptions?.signal });
    if (turn.status === "failed") throw new TurnFailedError({ threadId: this.id, turn });
    return runResultOf(turn, handle.usage);
  }

  /**
   * Starts a goal on this thread (`thread/goal/set`, active): the server then runs turns by itself until the goal
   * is complete, paused, blocked or out of budget or usage. The objective is checked first (not blank, at most
   * 4,000 characters), and the thread must be idle; an earlier goal of the thread is cleared. Goals need no
   * feature flag (codex's `goals` feature is on by default).
   *
   * @throws {InvalidInputError} for a bad objective or `tokenBudget`, or a thread that is running a turn.
   * @example
   * ```ts
   * const goal = await thread.startGoal("Make the test suite pass", { tokenBudget: 200_000 });
   * const result = await goal.run();
   * ```
   */
  startGoal(objective: string, options: GoalOptions = {}, requestOptions?: RequestOptions): Promise<AsyncGoalHandle> {
    return startGoal(this.#session, this.id, objective, options, requestOptions);
  }

  /**
   * Runs a goal to its end (`startGoal`, then the handle's `run()`) and returns its turns as one logical run,
   * usage summed.
   *
   * @throws {GoalNotCompletedError} when the goal ends `blocked`, `usageLimited` or `budgetLimited`;
   * {@link InvalidInputError} as for `startGoal`.
   * @example
   * ```ts
   * const { finalResponse, turnIds, usage } = await thread.runGoal("Write CHANGELOG.md for 1.2");
   * console.log(turnIds.length, usage?.last.totalTokens, finalResponse);
   * ```
   */
  async runGoal(objective: string, options: GoalOptions = {}, requestOptions?: RequestOptions): Promise<GoalRunResult> {
    const goal = await this.startGoal(objective, options, requestOptions);
    return goal.run({ signal: requestOptions?.signal });
  }

  /**
   * Reads the thread (`thread/read`); with `includeTurns: true`, its persisted turns and items too.
   *
   * @example
   * ```ts
   * const { thread: info } = await thread.read({ includeTurns: true });
   * console.log(info.turns.length);
   * ```
   */
  read(options: ThreadReadOptions = {}, requestOptions?: RequestOptions): Promise<ThreadReadResponse> {
    return this.#session.request("thread/read", { ...options, threadId: this.id }, requestOptions);
  }

  /**
   * Renames the thread (`thread/name/set`).
   *
   * @example
   * ```ts
   * await thread.setName("release notes 1.2");
   * ```
   */
  setName(name: string, requestOptions?: RequestOptions): Promise<ThreadSetNameResponse> {
    return this.#session.request("thread/name/set", { threadId: this.id, name }, requestOptions);
  }

  /**
   * Compacts the thread's context (`thread/compact/start`): the server summarises the history in a turn of
   * its own, with a `contextCompaction` item.
   *
   * @example
   * ```ts
   * await thread.compact();
   * ```
   */
  compact(options: ThreadCompactOptions = {}, requestOptions?: RequestOptions): Promise<ThreadCompactStartResponse> {
    return this.#session.request("thread/compact/start", { ...options, threadId: this.id }, requestOptions);
  }
}
