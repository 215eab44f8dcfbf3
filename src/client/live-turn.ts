import { createActor, type Actor, type InspectionEvent, type SnapshotFrom } from "xstate";
import { TurnLostError } from "../errors/turn-lost-error.js";
import {
  changesTurn,
  isDeltaNotification,
  turnMachine,
  type DeltaNotification,
  type TurnMachine,
} from "../machines/turn.js";
import type { Notification, Turn } from "../schema/index.js";
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
  /** Set while a lost turn waits for the server's account of it: its stream and `finished` wait too. */
  #recovering = false;
  /** Deltas delivered to the stream and events but not yet to the machine. */
  #deltas: DeltaNotification[] = [];
  readonly #resolve: (snapshot: FinishedTurn) => void;

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
    this.#resolve = resolve;
    this.actor.subscribe({
      next: (snapshot) => {
        if (snapshot.status !== "done" || this.#recovering) return;
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

  /** The turn's outcome can no longer be known (its notifications were dropped): it ends `lost` with `error`. */
  lose(error: Error): void {
    if (this.ended) return;
    this.#foldDeltas();
    this.#failure = error;
    this.actor.send({ type: "connection.lost", message: error.message });
  }

  /**
   * The connection ended while the turn ran: the turn ends `lost` at once, with a {@link TurnLostError} built
   * from what the client saw. With `recovering`, the stream and `run()` wait for {@link LiveTurn.recovered}
   * (the server's account, read after a restart) before they throw it.
   */
  loseConnection(cause: Error, recovering: boolean): TurnLostError | null {
    if (this.ended) return null;
    this.#foldDeltas();
    this.#recovering = true;
    this.actor.send({ type: "connection.lost", message: cause.message });
    const { threadId, turnId, items } = this.actor.getSnapshot().context;
    const error = new TurnLostError(
      `turn ${turnId ?? "(unknown)"} on thread ${threadId} was running when the connection to codex app-server ended, so its outcome is unknown (the server may have run some of it). Nothing was run again: look at err.items${recovering ? " and err.serverTurn" : ""} and decide whether to run it again. Cause: ${cause.message}`,
      { cause, threadId, turnId: turnId ?? "(unknown)", items },
    );
    this.#failure = error;
    if (!recovering) this.recovered(null);
    return error;
  }

  /** Whether the turn was lost and waits for {@link LiveTurn.recovered}. */
  get recovering(): boolean {
    return this.#recovering;
  }

  /** The server's account of a lost turn (or `null`): attached to its error, which the stream and `run()` now throw. */
  recovered(serverTurn: Turn | null): void {
    if (!this.#recovering) return;
    this.#recovering = false;
    if (this.#failure instanceof TurnLostError) this.#failure.serverTurn = serverTurn;
    this.queue.end(this.#failure ?? undefined);
    this.#resolve(this.actor.getSnapshot());
  }

  /**
   * Takes one notification routed to this turn. Deltas go to the stream and the events at once, and to the
   * machine as one `deltas` event per run of them: before the next other notification, or in a microtask —
   * so it is folded in before any listener, stream reader or other asynchronous code runs.
   */
  deliver(notification: Notification): void {
    if (this.ended) return;
    const delta = isDeltaNotification(notification);
    if (delta) {
      if (this.#deltas.length === 0) queueMicrotask(this.#foldDeltas);
      this.#deltas.push(notification);
    } else {
      this.#foldDeltas();
      if (notification.method === "turn/completed") this.#closeOpenItems(notification.params.turn.id);
    }
    const dropped = this.queue.dropped;
    this.queue.push(notification);
    if (dropped === 0 && this.queue.dropped > 0) this.#onDrop?.(this.turnId ?? "(unknown)");
    // After the push: a turn/completed ends the machine, and its end closes the queue.
    if (!delta && changesTurn(notification)) this.actor.send({ type: "notification", notification });
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
      };
      this.queue.push(closing);
      this.#emit("item", item);
    }
  }

  /** Sends the deltas not yet in the machine as one `deltas` event (one transition instead of one each). */
  readonly #foldDeltas = (): void => {
    if (this.#deltas.length === 0) return;
    const notifications = this.#deltas;
    this.#deltas = [];
    if (!this.ended) this.actor.send({ type: "deltas", notifications });
  };

  #emit<Name extends keyof TurnEventMap>(name: Name, data: TurnEventMap[Name]): void {
    this.events.emit(name, data);
  }
}
