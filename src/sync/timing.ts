/** The longest one call waits in the worker before it answers "still waiting" (the caller then asks again). */
export const WAIT_SLICE_MS = 1_000;

/**
 * How much longer than {@link WAIT_SLICE_MS} the caller waits for any answer from the worker before it
 * gives up on the worker (only a worker whose event loop is stuck, or dead, takes that long).
 */
export const WORKER_ANSWER_MARGIN_MS = 30_000;

/** What a blocking request waits beyond its own timeout (the worker's timer fires first; this is the backstop). */
export const REQUEST_MARGIN_MS = 5_000;

/** How long a sync `run()` or `stream()` may block unless told otherwise: 1 hour. */
export const DEFAULT_TURN_TIMEOUT_MS = 3_600_000;
