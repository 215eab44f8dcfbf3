import { BufferLimitError } from "../errors/buffer-limit-error.js";
import { isDeltaNotification } from "../machines/turn.js";
import type { Notification } from "../schema/index.js";
import type { LiveTurn } from "./live-turn.js";

const FORGOTTEN_KEPT = 1_024;

/** Options of {@link NotificationRouter}. */
export interface NotificationRouterOptions {
  /** How many turns' notifications are held while their `turn/start` answer is on its way. */
  readonly maxPendingTurns: number;
  /** How many notifications one such turn holds before its deltas are dropped. */
  readonly maxBufferedNotifications: number;
  /** Told when held notifications had to be dropped. */
  readonly onDrop: (turnId: string, count: number, why: string) => void;
}

interface Held {
  readonly threadId: string;
  readonly notifications: Notification[];
  dropped: number;
}

/**
 * The turn id a notification belongs to: `params.turnId`, or `params.turn.id` for `turn/started` and
 * `turn/completed`; `null` for thread- and client-wide notifications.
 */
export function turnIdOf(notification: Notification): string | null {
  const params = notification.params as { turnId?: unknown; turn?: { id?: unknown } } | undefined;
  if (typeof params?.turnId === "string") return params.turnId;
  const id = params?.turn?.id;
  return typeof id === "string" ? id : null;
}

/**
 * Routes turn notifications to their {@link LiveTurn} by turn id. Notifications for a turn that is not
 * registered yet, on a thread with a `turn/start` still waiting for its answer (they can come before the
 * answer, `turn/completed` included), are held and replayed, in order, when the turn registers; what is held
 * for other turns is let go when the thread's last `turn/start` settles. Turns nobody on this client started
 * (a compaction, say) are not held at all. Held notifications are bounded: per turn, deltas past
 * `maxBufferedNotifications` are dropped (other notifications are kept); across turns, past `maxPendingTurns`
 * the turn held longest is forgotten.
 */
export class NotificationRouter {
  readonly #turns = new Map<string, LiveTurn>();
  readonly #held = new Map<string, Held>();
  readonly #starting = new Map<string, number>();
  /** Turns whose held notifications were forgotten: registering one fails it rather than let it wait for ever. */
  readonly #forgotten = new Set<string>();
  readonly #options: NotificationRouterOptions;

  constructor(options: NotificationRouterOptions) {
    this.#options = options;
  }

  /** How many turns are registered. */
  get turnCount(): number {
    return this.#turns.size;
  }

  /** How many unregistered turns have notifications held. */
  get heldTurnCount(): number {
    return this.#held.size;
  }

  /** A `turn/start` on this thread was sent: hold its turns' notifications until the answer. */
  expectTurn(threadId: string): void {
    this.#starting.set(threadId, (this.#starting.get(threadId) ?? 0) + 1);
  }

  /** A `turn/start` on this thread was answered (or failed); call after registering its turn. */
  turnStartSettled(threadId: string): void {
    const left = (this.#starting.get(threadId) ?? 1) - 1;
    if (left > 0) {
      this.#starting.set(threadId, left);
      return;
    }
    this.#starting.delete(threadId);
    for (const [turnId, held] of this.#held) if (held.threadId === threadId) this.#held.delete(turnId);
  }

  /** Delivers a notification to its turn, holds it for a turn still to come, or returns `false`. */
  route(notification: Notification): boolean {
    const turnId = turnIdOf(notification);
    if (turnId === null) return false;
    const turn = this.#turns.get(turnId);
    if (turn !== undefined) {
      turn.deliver(notification);
      return true;
    }
    const threadId = (notification.params as { threadId?: unknown }).threadId;
    if (typeof threadId !== "string" || !this.#starting.has(threadId)) return false;
    this.#hold(turnId, threadId, notification);
    return true;
  }

  /** Registers a turn under its id and replays what was held for it. */
  register(turnId: string, turn: LiveTurn): void {
    if (this.#forgotten.delete(turnId)) {
      turn.lose(
        new BufferLimitError(
          `the notifications of turn ${turnId} were dropped while its turn/start answer was on its way (more than maxPendingTurns turns waited): its outcome is unknown. Raise maxPendingTurns, or read the thread with thread.read({ includeTurns: true }).`,
          { limit: "maxPendingTurns", turnId },
        ),
      );
      return;
    }
    this.#turns.set(turnId, turn);
    const held = this.#held.get(turnId);
    if (held === undefined) return;
    this.#held.delete(turnId);
    for (const notification of held.notifications) turn.deliver(notification);
    if (held.dropped > 0) turn.queue.dropped += held.dropped;
  }

  /** Whether a turn of this client runs on the thread, or a `turn/start` on it waits for its answer. */
  hasTurnOn(threadId: string): boolean {
    if (this.#starting.has(threadId)) return true;
    for (const turn of this.#turns.values()) if (turn.actor.getSnapshot().context.threadId === threadId) return true;
    return false;
  }

  /** The registered turn with this id. */
  get(turnId: string): LiveTurn | undefined {
    return this.#turns.get(turnId);
  }

  /** Forgets a turn (it ended). */
  unregister(turnId: string, turn: LiveTurn): void {
    if (this.#turns.get(turnId) === turn) this.#turns.delete(turnId);
  }

  /** Every registered turn, for a connection that ended. */
  turns(): IterableIterator<LiveTurn> {
    return this.#turns.values();
  }

  /** Forgets everything. */
  clear(): void {
    this.#turns.clear();
    this.#held.clear();
    this.#starting.clear();
    this.#forgotten.clear();
  }

  #hold(turnId: string, threadId: string, notification: Notification): void {
    let held = this.#held.get(turnId);
    if (held === undefined) {
      if (this.#held.size >= this.#options.maxPendingTurns) {
        const [oldest, dropped] = this.#held.entries().next().value as [string, Held];
        this.#held.delete(oldest);
        this.#forgotten.add(oldest);
        if (this.#forgotten.size > FORGOTTEN_KEPT)
          this.#forgotten.delete(this.#forgotten.values().next().value as string);
        this.#options.onDrop(
          oldest,
          dropped.notifications.length,
          "too many turns were waiting for their turn/start answer",
        );
      }
      held = { threadId, notifications: [], dropped: 0 };
      this.#held.set(turnId, held);
    }
    if (held.notifications.length >= this.#options.maxBufferedNotifications && isDeltaNotification(notification)) {
      held.dropped++;
      if (held.dropped === 1)
        this.#options.onDrop(turnId, 1, "the turn's held notifications reached maxBufferedNotifications");
      return;
    }
    held.notifications.push(notification);
  }
}
