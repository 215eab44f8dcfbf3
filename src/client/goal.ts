import { InvalidInputError } from "../errors/invalid-input-error.js";
import { TurnNotRunningError } from "../errors/turn-not-running-error.js";
import type { RequestOptions } from "../rpc/peer.js";
import type {
  Notification,
  ThreadGoal,
  ThreadGoalClearResponse,
  TurnInterruptResponse,
  TurnSteerResponse,
} from "../schema/index.js";
import { abortable } from "./abortable.js";
import type { TurnWaitOptions } from "./async-turn-handle.js";
import { checkGoal, type GoalOptions } from "./goal-objective.js";
import { GoalRun, type GoalRunPhase } from "./goal-run.js";
import { goalRunResultOf, type GoalRunResult } from "./goal-run-result.js";
import { toUserInputs, type Input } from "./input.js";
import { NotificationQueue } from "./notification-queue.js";
import type { ConnectionGone, Session } from "./session.js";

/**
 * A goal running on a thread (`thread/goal/set` with `status: "active"`): the server runs turns by itself — the
 * first at once, then a continuation after each — until the goal is complete, paused, blocked or out of budget
 * or usage. The handle presents them as one logical run. Returned by `thread.startGoal()`.
 *
 * @example
 * ```ts
 * const goal = await thread.startGoal("Make the test suite pass");
 * for await (const n of goal.stream()) if (n.method === "turn/started") console.log("turn", n.params.turn.id);
 * const result = await goal.run();
 * ```
 */
export class AsyncGoalHandle {
  /** The thread the goal runs on. */
  readonly threadId: string;
  /** The objective, as sent (trimmed). */
  readonly objective: string;
  readonly #session: Session;
  readonly #run: GoalRun;
  readonly #queue: NotificationQueue;
  readonly #stop: () => void;
  readonly #ended: Promise<void>;
  #end!: () => void;
  /** `listening` until the run ends (`ended`) or its app-server goes away first (`failed`, with `#failure`). */
  #outcome: "listening" | "ended" | "failed" = "listening";
  #failure: Error | null = null;
  /** Whether `interrupt()` paused the goal. */
  #paused = false;
  /** Stops watching the app-server the goal was set on. */
  #unbind: () => void = () => undefined;

  /** @internal Goals come from `thread.startGoal()`. */
  constructor(session: Session, threadId: string, objective: string) {
    this.#session = session;
    this.threadId = threadId;
    this.objective = objective;
    this.#run = new GoalRun(threadId);
    this.#queue = new NotificationQueue(session.maxBufferedNotifications);
    this.#ended = new Promise<void>((resolve) => (this.#end = resolve));
    this.#stop = session.onNotification((notification) => {
      if (!this.#run.observe(notification)) return;
      this.#queue.push(notification);
      if (this.#run.phase === "ended") this.#finish(null);
    });
  }

  /**
   * Where the run stands: `starting`, `turn`, `between` or `ended`.
   *
   * @example
   * ```ts
   * if (goal.phase === "turn") await goal.steer("Focus on the failing test first.");
   * ```
   */
  get phase(): GoalRunPhase {
    return this.#run.phase;
  }

  /**
   * The goal as the server last reported it (`thread/goal/updated`), or `null` before its first report.
   *
   * @example
   * ```ts
   * console.log(goal.goal?.status, goal.goal?.tokensUsed);
   * ```
   */
  get goal(): ThreadGoal | null {
    return this.#run.goal;
  }

  /**
   * How many best-effort deltas were dropped because nobody read the stream in time (past the client's
   * `maxBufferedNotifications`).
   *
   * @example
   * ```ts
   * if (goal.droppedDeltas > 0) console.warn(`${goal.droppedDeltas} deltas were dropped`);
   * ```
   */
  get droppedDeltas(): number {
    return this.#queue.dropped;
  }

  /**
   * The run's notifications — every turn's, and the goal's updates — in order, from the goal's start, ending
   * after the turn that ended the goal. It can be consumed once, and before `run()`; breaking out of the loop
   * does not stop the goal. If the client closes or its app-server is lost first, the loop throws that
   * `TransportClosedError`.
   *
   * @throws {AppServerError} when the stream is already being consumed, or `run()` consumed the run.
   * @example
   * ```ts
   * for await (const n of goal.stream()) {
   *   if (n.method === "item/agentMessage/delta") process.stdout.write(n.params.delta);
   * }
   * ```
   */
  stream(options: TurnWaitOptions = {}): AsyncIterableIterator<Notification> {
    return this.#queue.read(`the stream of the goal on thread ${this.threadId}`, options.signal);
  }

  /**
   * Waits for the goal to end and returns its turns as one {@link GoalRunResult}. A goal paused by `interrupt()`
   * gives status `interrupted`; one cleared gives the status of its last turn.
   *
   * @throws {GoalNotCompletedError} when the goal ended `blocked`, `usageLimited` or `budgetLimited`;
   * {@link TurnFailedError} when its last turn failed; `TransportClosedError` when the client closed, or its
   * app-server was lost, before the end; the signal's reason when the wait is stopped (the goal goes on).
   * @example
   * ```ts
   * const { finalResponse, usage, turnIds } = await goal.run();
   * ```
   */
  async run(options: TurnWaitOptions = {}): Promise<GoalRunResult> {
    await abortable(this.#ended, options.signal);
    this.#queue.consumeByRun();
    if (this.#failure !== null) throw this.#failure;
    return goalRunResultOf(this.#run, this.#paused);
  }

  /**
   * Adds input to the goal's running turn (`turn/steer`).
   *
   * @throws {TurnNotRunningError} when no turn of the goal runs now (between turns, or after the end).
   * @example
   * ```ts
   * await goal.steer("Keep the public API unchanged.");
   * ```
   */
  async steer(input: Input, options?: RequestOptions): Promise<TurnSteerResponse> {
    const wire = toUserInputs(input);
    const turnId = this.#run.currentTurnId;
    if (turnId === null) {
      throw new TurnNotRunningError(
        `no turn of the goal on thread ${this.threadId} is running (it is ${this.#run.phase}): steer while one runs, or start a turn or a goal.`,
        { threadId: this.threadId, turnId: this.#run.turns.at(-1)?.id ?? "" },
      );
    }
    return this.#session.request(
      "turn/steer",
      { threadId: this.threadId, expectedTurnId: turnId, input: wire },
      options,
    );
  }

  /**
   * Pauses the goal (`thread/goal/set` with `status: "paused"`) and interrupts its running turn (`turn/interrupt`):
   * the server starts no more turns, and `run()` gives status `interrupted`. Resume it with a new goal.
   * Interrupting an ended goal does nothing.
   *
   * @example
   * ```ts
   * await goal.interrupt();
   * const { status } = await goal.run(); // "interrupted"
   * ```
   */
  async interrupt(options?: RequestOptions): Promise<TurnInterruptResponse> {
    if (this.#run.phase === "ended") return {};
    this.#paused = true;
    await this.#session.request("thread/goal/set", { threadId: this.threadId, status: "paused" }, options);
    const turnId = this.#run.currentTurnId;
    if (turnId === null) return {};
    try {
      return await this.#session.request("turn/interrupt", { threadId: this.threadId, turnId }, options);
    } catch (error) {
      if (this.#run.currentTurnId !== turnId) return {}; // the turn ended meanwhile: nothing left to interrupt
      throw error;
    }
  }

  /**
   * Clears the goal (`thread/goal/clear`): the server starts no more turns; the run ends once its running turn
   * does, with that turn's status.
   *
   * @example
   * ```ts
   * await goal.clear();
   * ```
   */
  clear(options?: RequestOptions): Promise<ThreadGoalClearResponse> {
    return this.#session.request("thread/goal/clear", { threadId: this.threadId }, options);
  }

  /** @internal The goal is set on this app-server: the run fails if it goes away before the end. */
  bind(gone: Promise<ConnectionGone>): void {
    // `gone` lives as long as the connection: once the run has ended it must not keep the handle (and its items).
    let finish: ((error: Error) => void) | null = (error) => this.#finish(error);
    this.#unbind = () => (finish = null);
    void gone.then(({ error }) => finish?.(error));
  }

  /** @internal Stops listening: the goal was never set. */
  abandon(error: Error): void {
    this.#finish(error);
  }

  #finish(failure: Error | null): void {
    if (this.#outcome !== "listening") return;
    this.#stop();
    this.#unbind();
    if (this.#run.phase === "ended" || failure === null) {
      this.#outcome = "ended";
      this.#queue.end();
    } else {
      this.#outcome = "failed";
      this.#failure = failure;
      this.#queue.end(failure);
    }
    this.#end();
  }
}

/**
 * Starts a goal on an idle thread: checks the objective and options, then that the thread is idle (`thread/read`),
 * clears the thread's earlier goal, and sets the new one active, listening from before it is set.
 *
 * @throws {InvalidInputError} for a bad objective or budget, or a thread that is not idle.
 */
export async function startGoal(
  session: Session,
  threadId: string,
  objective: string,
  options: GoalOptions,
  requestOptions?: RequestOptions,
): Promise<AsyncGoalHandle> {
  const checked = checkGoal(objective, options);
  // The server marks a thread active a moment after it answers turn/start: this client's own turns count at once.
  const busy =
    session.runsTurnOn(threadId) ||
    (await session.request("thread/read", { threadId }, requestOptions)).thread.status.type === "active";
  if (busy) {
    throw new InvalidInputError(
      `thread ${threadId} is running a turn, not idle: wait for the turn to end (or interrupt it) before starting a goal.`,
    );
  }
  await session.request("thread/goal/clear", { threadId }, requestOptions);
  const handle = new AsyncGoalHandle(session, threadId, checked);
  try {
    const { gone } = await session.requestBound(
      "thread/goal/set",
      {
        threadId,
        objective: checked,
        status: "active",
        ...(options.tokenBudget === undefined ? {} : { tokenBudget: options.tokenBudget }),
      },
      requestOptions,
    );
    handle.bind(gone);
  } catch (error) {
    handle.abandon(error as Error);
    throw error;
  }
  return handle;
}
