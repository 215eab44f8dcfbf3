import type { Notification } from "../schema/index.js";
import type { NotificationBatch } from "./stream-batches.js";

/** Where a sync stream's reader takes its batches from: the worker-side stream of a turn or a goal run. */
export interface BatchSource {
  /** The next batch (blocks until one is ready or the stream has ended). */
  take(): NotificationBatch;
  /** Tells the worker the reader stopped before the end (a `break`, a throw); throws if the client is gone. */
  close(): void;
  /** Whether the client is closed (then there is no stream left to close). */
  readonly clientClosed: () => boolean;
}

/**
 * Caller side of a sync stream (the worker side is `StreamBatches`): yields every notification of the
 * batches `source` takes, in order, until a batch says the stream is done. A reader that stops early closes
 * the stream.
 */
export function* readBatches(source: BatchSource): Generator<Notification, void, undefined> {
  let batch: readonly Notification[] = [];
  let index = 0;
  let done = false;
  try {
    for (;;) {
      if (index < batch.length) {
        yield batch[index++] as Notification;
        continue;
      }
      if (done) return;
      ({ notifications: batch, done } = source.take());
      index = 0;
    }
  } finally {
    if (!done && !source.clientClosed()) {
      try {
        source.close();
      } catch {
        // the stream is gone with its client
      }
    }
  }
}
