import type {
  Notification,
  ThreadGoal,
  ThreadGoalStatus,
  ThreadItem,
  ThreadTokenUsage,
  TokenUsageBreakdown,
  Turn,
} from "../schema/index.js";

/**
 * Where a goal run stands: `starting` (the goal is set, its first turn not started), `turn` (one of its turns
 * runs), `between` (a turn ended; the server may start the next), `ended` (no turn runs and the goal is complete,
 * paused, blocked, out of budget or usage, or cleared).
 *
 * @example
 * ```ts
 * if (goal.phase === "turn") await goal.steer("Focus on the failing test first.");
 * ```
 */
export type GoalRunPhase = "starting" | "turn" | "between" | "ended";

/** The goal statuses after which the server starts no more turns. */
const STOPPED: ReadonlySet<ThreadGoalStatus> = new Set([
  "paused",
  "blocked",
  "usageLimited",
  "budgetLimited",
  "complete",
]);

/**
 * The state of one goal run, fed with the notifications of its thread in order: the server's turns (the first
 * and every automatic continuation), their items and usage, the goal's updates. Pure: no I/O. Internal.
 *
 */
export class GoalRun {
  readonly threadId: string;
  phase: GoalRunPhase = "starting";
  /** The goal as last reported; `null` until the server reports the goal this run set. */
  goal: ThreadGoal | null = null;
  cleared = false;
  readonly turns: Turn[] = [];
  readonly items: ThreadItem[] = [];
  #current: string | null = null;
  /** The run's usage reports, one per model request (a turn may make several). */
  readonly #usage: ThreadTokenUsage[] = [];

  constructor(threadId: string) {
    this.threadId = threadId;
  }

  /** The goal's turn running now, if any. */
  get currentTurnId(): string | null {
    return this.#current;
  }

  /** Takes one notification; returns whether it belongs to the run (its thread's, and the run has not ended). */
  observe(notification: Notification): boolean {
    if (this.phase === "ended") return false;
    const params = notification.params as { threadId?: unknown } | undefined;
    if (params?.threadId !== this.threadId) return false;
    switch (notification.method) {
      case "turn/started":
        this.#current = notification.params.turn.id;
        this.phase = "turn";
        break;
      case "turn/completed":
        this.turns.push(notification.params.turn);
        if (this.#current === notification.params.turn.id) this.#current = null;
        if (this.#current === null) this.phase = "between";
        break;
      case "item/completed":
        this.items.push(notification.params.item);
        break;
      case "thread/tokenUsage/updated":
        this.#usage.push(notification.params.tokenUsage);
        break;
      case "thread/goal/updated":
        this.goal = notification.params.goal;
        if (this.goal.status === "active") this.cleared = false;
        break;
      case "thread/goal/cleared":
        // A clear counts once this run's goal was reported (not the clear of an earlier goal that started it).
        if (this.goal !== null) this.cleared = true;
        break;
      default:
        break;
    }
    if (this.#current === null && (this.cleared || (this.goal !== null && STOPPED.has(this.goal.status))))
      this.phase = "ended";
    return true;
  }

  /**
   * The usage of the whole run: `last` sums every report's `last` (the server reports each model request once,
   * so this is every turn's usage, all requests of each), `total` is the thread's latest total.
   */
  usage(): ThreadTokenUsage | null {
    const latest = this.#usage.at(-1);
    if (latest === undefined) return null;
    return { ...latest, last: this.#usage.map((report) => report.last).reduce(addUsage) };
  }
}

function addUsage(a: TokenUsageBreakdown, b: TokenUsageBreakdown): TokenUsageBreakdown {
  return {
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningOutputTokens: a.reasoningOutputTokens + b.reasoningOutputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
    ...(a.cacheWriteInputTokens === undefined && b.cacheWriteInputTokens === undefined
      ? {}
      : { cacheWriteInputTokens: (a.cacheWriteInputTokens ?? 0) + (b.cacheWriteInputTokens ?? 0) }),
  };
}
