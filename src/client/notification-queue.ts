import { AppServerError } from "../errors/app-server-error.js";
import { isDeltaNotification } from "../machines/turn.js";
import type { Notification } from "../schema/index.js";

/**
 * One turn's notifications on their way to a single reader, in order. Bounded: once `limit` notifications
 * wait unread, further deltas are dropped and counted in `dropped`; every other notification (items,
 * errors, `turn/completed`) is always kept.
 */
export class NotificationQueue {
  readonly #limit: number;
  #items: Notification[] = [];
  #head = 0;
  #wake: (() => void) | null = null;
  #ended = false;
  #failure: Error | null = null;
  #reader: "none" | "stream" | "run" = "none";
  /** How many deltas were dropped because nobody read them in time. */
  dropped = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** How many notifications wait unread. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  push(notification: Notification): void {
    if (this.#ended) return;
    if (this.size >= this.#limit && isDeltaNotification(notification)) {
      this.dropped++;
      return;
    }
    this.#items.push(notification);
    this.#signal();
  }

  /** No more notifications will come; with `failure`, the reader gets it after the last one. */
  end(failure?: Error): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#failure = failure ?? null;
    this.#signal();
  }

  /** Drops everything unread and stops keeping more: the reader left (a `break`, an abort) before the end. */
  discard(): void {
    this.#items = [];
    this.#head = 0;
    this.end();
  }

  /**
   * `run()` returned the finished turn and no stream reads it: what was kept for a stream is dropped (a handle
   * held after `run()` then costs next to nothing), and a later `stream()` is refused.
   */
  consumeByRun(): void {
    if (this.#reader !== "none") return;
    this.#reader = "run";
    this.discard();
  }

  /**
   * The single reader. A second call throws: a turn's notifications can be read once.
   *
   * @throws {AppServerError} when the notifications are already being read.
   */
  read(what: string, signal?: AbortSignal): AsyncIterableIterator<Notification> {
    if (this.#reader === "run") {
      throw new AppServerError(
        `${what} cannot be read after run(): run() consumed the turn, as in the Python SDK. Call stream() before run() (run() then still returns the turn), or read the finished turn's items.`,
      );
    }
    if (this.#reader !== "none") {
      throw new AppServerError(
        `${what} can be consumed once and is already being consumed: keep one loop over it, or use the turn's events (on("delta"), on("item")) for a second listener.`,
      );
    }
    this.#reader = "stream";
    return this.#iterate(signal);
  }

  async *#iterate(signal: AbortSignal | undefined): AsyncIterableIterator<Notification> {
    const onAbort = () => this.#signal();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      for (;;) {
        signal?.throwIfAborted();
        if (this.#head < this.#items.length) {
          const next = this.#items[this.#head] as Notification;
          this.#items[this.#head++] = undefined as unknown as Notification;
          if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
            this.#items = this.#items.slice(this.#head);
            this.#head = 0;
          }
          yield next;
          continue;
        }
        if (this.#ended) {
          if (this.#failure !== null) throw this.#failure;
          return;
        }
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      if (!this.#ended) this.discard();
    }
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}
