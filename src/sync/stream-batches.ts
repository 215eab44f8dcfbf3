import { setImmediate as nextMacrotask } from "node:timers/promises";
import type { Notification } from "../schema/index.js";

/** What one step of a sync stream brings across: the notifications ready now, and whether the stream ended. */
export interface NotificationBatch {
  readonly notifications: readonly Notification[];
  readonly done: boolean;
}

type Step =
  | { readonly kind: "value"; readonly value: Notification }
  | { readonly kind: "done" }
  | { readonly kind: "error"; readonly error: unknown };

const NOT_READY = Symbol("not ready");

/**
 * Worker side: reads a turn's `AsyncIterator` of notifications in batches, so that one call across the
 * bridge carries every notification already waiting instead of one. A batch waits for at least one
 * notification (or the end), then takes whatever else is ready without waiting.
 */
export class StreamBatches {
  readonly #iterator: AsyncIterator<Notification>;
  readonly #maxBatch: number;
  #pending: Promise<Step> | null = null;

  constructor(iterator: AsyncIterator<Notification>, maxBatch = 512) {
    this.#iterator = iterator;
    this.#maxBatch = maxBatch;
  }

  /** The next batch; rejects with the stream's error once the notifications before it have been taken. */
  async take(): Promise<NotificationBatch> {
    const notifications: Notification[] = [];
    let step = await this.#step();
    this.#pending = null;
    for (;;) {
      if (step.kind === "error") {
        if (notifications.length === 0) throw step.error;
        this.#pending = Promise.resolve(step);
        return { notifications, done: false };
      }
      if (step.kind === "done") {
        this.#pending = Promise.resolve(step);
        return { notifications, done: true };
      }
      notifications.push(step.value);
      if (notifications.length >= this.#maxBatch) return { notifications, done: false };
      const ready = await Promise.race([this.#step(), nextMacrotask(NOT_READY)]);
      if (ready === NOT_READY) return { notifications, done: false };
      this.#pending = null;
      step = ready;
    }
  }

  /** Stops reading (the turn goes on). */
  close(): void {
    void this.#iterator.return?.().catch(() => {});
  }

  #step(): Promise<Step> {
    this.#pending ??= this.#iterator.next().then(
      (result): Step => (result.done === true ? { kind: "done" } : { kind: "value", value: result.value }),
      (error: unknown): Step => ({ kind: "error", error }),
    );
    return this.#pending;
  }
}
