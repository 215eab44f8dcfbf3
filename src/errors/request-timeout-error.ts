import { AppServerError } from "./app-server-error.js";

/**
 * A request got no answer in time. **Its outcome is unknown**: the server may have acted on it, may still,
 * or may have dropped it (under a burst it drops some requests without a word). An answer that arrives later
 * is ignored. Retry only what is safe to do twice.
 *
 * @example
 * ```ts
 * try {
 *   await codex.threadList({}, { timeoutMs: 5_000 });
 * } catch (err) {
 *   if (err instanceof RequestTimeoutError) console.warn(`${err.method}: no answer after ${err.timeoutMs} ms`);
 * }
 * ```
 */
export class RequestTimeoutError extends AppServerError {
  override name = "RequestTimeoutError";
  readonly method: string;
  readonly id: number | string;
  readonly timeoutMs: number;

  /** @param options The method called, its id, and how long it waited. */
  constructor(options: ErrorOptions & { method: string; id: number | string; timeoutMs: number }) {
    const { method, id, timeoutMs } = options;
    super(
      `${method} (id ${id}) got no answer from codex app-server within ${timeoutMs} ms; the outcome is unknown: ` +
        "the server may or may not have acted on it, and a late answer will be ignored. " +
        "If the call is slow rather than lost, raise `timeoutMs` for it or `requestTimeoutMs` for the client.",
      options,
    );
    this.method = method;
    this.id = id;
    this.timeoutMs = timeoutMs;
  }
}
