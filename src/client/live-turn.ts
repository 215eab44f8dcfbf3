import { createActor, type Actor, type InspectionEvent, type SnapshotFrom } from "xstate";
import { turnMachine, type TurnMachine } from "../machines/turn.js";
import type { Notification } from "../schema/index.js";
import { AsyncEvents } from "./events.js";
import { NotificationQueue } from "./notification-queue.js";
import type { TurnEventMap } from "./turn-events.js";

/** A turn's snapshot once its machine has stopped. */
export type FinishedTurn = SnapshotFrom<TurnMachine>;

/** Options of {@link LiveTurn}. */
export interface LiveTurnOptions {
  readonly threadId: string;
  readonly maxBufferedNotifications: number;
  readonly inspect?: ((event: InspectionEvent) => void) | undefined;
  /** Reports an error thrown by an event listener (it must not break the turn). */
  readonly onListenerError: (error: unknown) => void;
  /** Told once, when the stream's queue first drops a delta. */
  readonly onDrop?: ((turnId: string) => void) | undefined;
}

/**
 * One turn while it runs on the client: its machine, the queue that feeds `stream()`, and its events. The
 * router delivers the turn's notifications here; everything the handle answers is read from the machine.
 */
export class LiveTurn {
  readonly actor: Actor<TurnMachine>;
  readonly queue: NotificationQueue;
  readonly events: AsyncEvents<TurnEventMap>;
  /** Resolves with the final snapshot when the turn ends, however it ends. */
  readonly finished: Promise<FinishedTurn>;
  readonly #onListenerError: (error: unknown) => void;
  readonly #onDrop: ((turnId: string) => void) | undefined;
  #failure: Error | null = null;

  constructor(options: LiveTurnOptions) {
    this.queue = new NotificationQueue(options.maxBufferedNotifications);
    this.#onListenerError = options.onListenerError;
    this.#onDrop = options.onDrop;
    this.events = new AsyncEvents<TurnEventMap>((error) => this.listenerFailed(error));
    this.actor = createActor(turnMachine, {
      input: { threadId: options.threadId },
      ...(options.inspect === undefined ? {} : { inspect: options.inspect }),
    });
    const { promise, resolve } = Promise.withResolvers<FinishedTurn>();
    this.finished = promise;
    this.actor.subscribe({
      next: (snapshot) => {
        if (snapshot.status !== "done") return;
        this.queue.end(this.#failure ?? undefined);
        const turn = snapshot.context.turn;
        if (turn !== null) this.#emit("completed", turn);
        resolve(snapshot);
      },
      error: (error) => {
        this.#failure = error instanceof Error ? error : new Error(String(error));
        this.queue.end(this.#failure);
        resolve(this.actor.getSnapshot());
      },
    });
    this.actor.start();
  }

  /** Why the turn ended without a `turn/completed` (the connection ended), if it did. */
  get failure(): Error | null {
    return this.#failure;
  }

  /** Reports an error thrown by one of the turn's event listeners (it must not break the turn). */
  listenerFailed(error: unknown): void {
    this.#onListenerError(error);
  }

  /** The turn id, once known. */
  get turnId(): string | null {
    return this.actor.getSnapshot().context.turnId;
  }

  /** Whether the turn has ended. */
  get ended(): boolean {
    return this.actor.getSnapshot().status !== "active";
  }

  /** `turn/start` answered: the turn runs under `turnId`. */
  accept(turnId: string): void {
    this.actor.send({ type: "turn.accepted", turnId });
  }

  /** `turn/start` failed: the turn never ran. */
  reject(message: string): void {
    this.actor.send({ type: "turn.rejected", message });
  }

  /** The connection ended: the turn fails, and its stream ends with `error`. */
  lose(error: Error): void {
    if (this.ended) return;
    this.#failure = error;
    this.actor.send({ type: "connection.lost", message: error.message });
  }

  /** Takes one notification routed to this turn. */
  deliver(notification: Notification): void {
    if (this.ended) return;
    if (notification.method === "turn/completed") this.#closeOpenItems(notification.params.turn.id);
    const dropped = this.queue.dropped;
    this.queue.push(notification);
    if (dropped === 0 && this.queue.dropped > 0) this.#onDrop?.(this.turnId ?? "(unknown)");
    this.actor.send({ type: "notification", notification });
    switch (notification.method) {
      case "item/agentMessage/delta":
        this.#emit("delta", { itemId: notification.params.itemId, delta: notification.params.delta });
        break;
      case "item/completed":
        this.#emit("item", notification.params.item);
        break;
      case "error":
        if (!notification.params.willRetry) this.#emit("error", notification.params.error);
        break;
    }
  }

  /**
   * Before `turn/completed`, closes the items the server left open (it never completes a partly streamed
   * message after an interrupt): the stream and `item` listeners see an `item/completed` for each, with the
   * text streamed so far.
   */
  #closeOpenItems(turnId: string): void {
    const { items, openItemIds, threadId } = this.actor.getSnapshot().context;
    if (openItemIds.length === 0) return;
    for (const item of items.filter((candidate) => openItemIds.includes(candidate.id))) {
      const closing: Notification = {
        method: "item/completed",
        params: { threadId, turnId, item, completedAtMs: Date.now() },
      } as Notification;
      this.queue.push(closing);
      this.#emit("item", item);
    }
  }

  #emit<Name extends keyof TurnEventMap>(name: Name, data: TurnEventMap[Name]): void {
    this.events.emit(name, data);
  }
}
