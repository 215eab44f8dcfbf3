import { ServerBusyError } from "./app-server-rpc-error.js";
import { isServerOverloaded } from "./server-overloaded.js";

/**
 * Whether `err` says the server was overloaded, so the same call may succeed after a backoff: a
 * {@link ServerBusyError} (and its subclass `RetryLimitExceededError`), or any error carrying a numeric JSON-RPC
 * `code` of `-32001` or an overload marker in its `data` (errors that crossed a worker boundary and lost their
 * class still qualify). A timeout, an abort or a closed connection is not retryable: its outcome is unknown.
 *
 * @example
 * ```ts
 * import pRetry from "p-retry";
 *
 * const thread = await pRetry(() => codex.threadStart(), {
 *   retries: 3,
 *   shouldRetry: ({ error }) => isRetryableError(error),
 * });
 * ```
 */
export function isRetryableError(err: unknown): boolean {
  if (err instanceof ServerBusyError) return true;
  if (typeof err !== "object" || err === null) return false;
  const { code, data } = err as { code?: unknown; data?: unknown };
  return typeof code === "number" && isServerOverloaded(code, data);
}
