import type { GoalRunPhase } from "../client/goal-run.js";
import type { GoalRunResult } from "../client/goal-run-result.js";
import { toUserInputs, type Input } from "../client/input.js";
import type {
  Notification,
  ThreadGoal,
  ThreadGoalClearResponse,
  TurnInterruptResponse,
  TurnSteerResponse,
} from "../schema/index.js";
import { readBatches } from "./batch-reader.js";
import type { ClientLink } from "./client-link.js";
import type { SyncRequestOptions, SyncTurnWaitOptions } from "./operations.js";

/**
 * A goal running on a thread, synchronously (the twin of `AsyncGoalHandle`): the server runs turns by itself
 * until the goal is complete, paused, blocked or out of budget or usage, and the handle presents them as one
 * run. Returned by `thread.startGoal()`.
 *
 * @example
 * ```ts
 * const goal = thread.startGoal("Make the test suite pass");
 * for (const n of goal.stream()) if (n.method === "turn/started") console.log("turn", n.params.turn.id);
 * const result = goal.run();
 * ```
 */
export class GoalHandle {
  /** The thread the goal runs on. */
  readonly threadId: string;
  /** The objective, as sent (trimmed). */
  readonly objective: string;
  readonly #link: ClientLink;
  readonly #key: string;

  /** @internal Goals come from `thread.startGoal()`. */
  constructor(link: ClientLink, threadId: string, key: string, objective: string) {
    this.#link = link;
    this.threadId = threadId;
    this.#key = key;
    this.objective = objective;
    link.holdTurn(this, key);
  }

  /**
   * Where the run stands: `starting`, `turn`, `between` or `ended`.
   *
   * @example
   * ```ts
   * if (goal.phase === "turn") goal.steer("Focus on the failing test first.");
   * ```
   */
  get phase(): GoalRunPhase {
    return this.#state().phase;
  }

  /**
   * The goal as the server last reported it, or `null` before its first report.
   *
   * @example
   * ```ts
   * console.log(goal.goal?.status, goal.goal?.tokensUsed);
   * ```
   */
  get goal(): ThreadGoal | null {
    return this.#state().goal;
  }

  /**
   * How many best-effort deltas were dropped because nobody read the stream in time.
   *
   * @example
   * ```ts
   * if (goal.droppedDeltas > 0) console.warn(`${goal.droppedDeltas} deltas were dropped`);
   * ```
   */
  get droppedDeltas(): number {
    return this.#state().droppedDeltas;
  }

  /**
   * The run's notifications — every turn's, and the goal's updates — in order, ending after the turn that ended
   * the goal; each step blocks until the next notification. It can be consumed once, before `run()`; breaking out
   * does not stop the goal.
   *
   * @throws {AppServerError} when the stream is already being consumed; `TransportClosedError` from the loop when
   * the client closes or its app-server is lost first.
   * @example
   * ```ts
   * for (const n of goal.stream()) {
   *   if (n.method === "item/agentMessage/delta") process.stdout.write(n.params.delta);
   * }
   * ```
   */
  stream(options: SyncTurnWaitOptions = {}): IterableIterator<Notification> {
    this.#link.invoke("goalStreamOpen", [this.#key, this.#link.turnWait(options)], this.#link.requestBudget());
    return this.#read();
  }

  /**
   * Blocks until the goal ends and returns its turns as one `GoalRunResult` (at most `timeoutMs`, default the
   * client's `turnTimeoutMs`; then a `TimeoutError`, and the goal goes on).
   *
   * @throws {GoalNotCompletedError} when the goal ended `blocked`, `usageLimited` or `budgetLimited`;
   * `TurnFailedError` when its last turn failed; `TransportClosedError` when the client closed first.
   * @example
   * ```ts
   * const { finalResponse, usage, turnIds } = goal.run();
   * ```
   */
  run(options: SyncTurnWaitOptions = {}): GoalRunResult {
    return this.#link.invoke("goalRun", [this.#key, this.#link.turnWait(options)], "untilDone");
  }

  /**
   * Adds input to the goal's running turn (`turn/steer`).
   *
   * @throws {TurnNotRunningError} when no turn of the goal runs now.
   * @example
   * ```ts
   * goal.steer("Keep the public API unchanged.");
   * ```
   */
  steer(input: Input, options?: SyncRequestOptions): TurnSteerResponse {
    const wire = toUserInputs(input);
    return this.#link.invoke("goalSteer", [this.#key, wire, options], this.#link.requestBudget(options));
  }

  /**
   * Pauses the goal and interrupts its running turn: `run()` then gives status `interrupted`, and no turn follows.
   *
   * @example
   * ```ts
   * goal.interrupt();
   * goal.run().status; // "interrupted"
   * ```
   */
  interrupt(options?: SyncRequestOptions): TurnInterruptResponse {
    return this.#link.invoke("goalInterrupt", [this.#key, options], this.#link.requestBudget(options));
  }

  /**
   * Clears the goal (`thread/goal/clear`): no more continuation turns; the run ends with its running turn.
   *
   * @example
   * ```ts
   * goal.clear();
   * ```
   */
  clear(options?: SyncRequestOptions): ThreadGoalClearResponse {
    return this.#link.invoke("goalClear", [this.#key, options], this.#link.requestBudget(options));
  }

  #state(): { phase: GoalRunPhase; goal: ThreadGoal | null; droppedDeltas: number } {
    return this.#link.invoke("goalState", [this.#key], this.#link.requestBudget());
  }

  #read(): Generator<Notification, void, undefined> {
    return readBatches({
      take: () => this.#link.invoke("goalStreamTake", [this.#key], "untilDone"),
      close: () => this.#link.invoke("goalStreamClose", [this.#key], this.#link.requestBudget()),
      clientClosed: () => this.#link.closed,
    });
  }
}
