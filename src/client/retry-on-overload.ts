import timers from "node:timers/promises";
import pRetry from "p-retry";
import { RetryLimitExceededError } from "../errors/app-server-rpc-error.js";
import { InvalidInputError } from "../errors/invalid-input-error.js";
import { isRetryableError } from "../errors/is-retryable-error.js";
import { SERVER_OVERLOADED_CODE } from "../errors/server-overloaded.js";
import { abortable } from "./abortable.js";
import { checkRetryOnOverloadOptions, retryDelayMs, type RetryOnOverloadOptions } from "./retry-on-overload-options.js";

export {
  RETRY_ON_OVERLOAD_DEFAULTS,
  type OverloadRetry,
  type RetryOnOverloadOptions,
} from "./retry-on-overload-options.js";

/**
 * Calls `fn` until it succeeds, retrying with exponential backoff and jitter while the app-server says it is
 * overloaded — the Python SDK's `retry_on_overload`, built on p-retry. Only what {@link isRetryableError}
 * accepts is retried: `ServerBusyError` (JSON-RPC `-32001` or an overload marker in `data`).
 *
 * - **Defaults** (Python's): 3 `attempts` in total; the wait before attempt n + 1 is
 *   `min(maxDelayMs, initialDelayMs × 2^(n − 1))` (250 ms, 500 ms, … capped at 2 s), scaled by a uniform
 *   factor in `[1 − jitter, 1 + jitter]` (±20 %), so a wait may exceed `maxDelayMs` by up to the jitter.
 * - **Any other error** (an `InvalidParamsError`, a timeout, a closed connection, a `TypeError`, a thrown
 *   non-Error — p-retry retries only `Error`s) propagates unchanged at once, without another call.
 * - **Out of attempts**: rejects with a {@link RetryLimitExceededError} whose `cause` is the last error, whose
 *   `code`, `rpcMessage`, `data` and `method` are the last error's, and whose message says how many calls were made.
 * - **`signal`**: an abort stops at once — before the first call, during a call (which is not waited for; pass
 *   `signal` on to the call to cancel it too), or during a wait — and rejects with `signal.reason` as is
 *   (what `AbortSignal.timeout()` and `fetch` use: a `TimeoutError` / `AbortError` `DOMException` unless
 *   `abort(reason)` gave one). An abort beats whatever the call threw.
 * - Only retry calls that are safe to make twice: reads and lists are; `turn/start` is not.
 *
 * `fn` receives the attempt number (from 1) and `signal`.
 *
 * @throws {InvalidInputError} when `fn` is not a function or an option is invalid; the message names it.
 * @example
 * ```ts
 * const { data } = await retryOnOverload((attempt, signal) => codex.threadList({ limit: 20 }, { signal }), {
 *   signal: AbortSignal.timeout(10_000),
 *   onRetry: ({ attempt, delayMs }) => console.warn(`overloaded (attempt ${attempt}); retrying in ${delayMs} ms`),
 * });
 * ```
 */
export async function retryOnOverload<T>(
  fn: (attempt: number, signal: AbortSignal | undefined) => T | PromiseLike<T>,
  options?: RetryOnOverloadOptions,
): Promise<T> {
  if (typeof fn !== "function") {
    throw new InvalidInputError("retryOnOverload: `fn` must be a function that makes the call to retry.");
  }
  const settings = checkRetryOnOverloadOptions(options);
  const { attempts, initialDelayMs, maxDelayMs, jitter, signal, onRetry } = settings;
  /** What the latest call threw, as it threw it. */
  let failure: { readonly thrown: unknown } | undefined;

  try {
    return await pRetry(
      async (attempt) => {
        try {
          return await abortable(new Promise<T>((resolve) => resolve(fn(attempt, signal))), signal);
        } catch (error) {
          failure = { thrown: error };
          throw error;
        }
      },
      {
        retries: attempts - 1,
        // p-retry's backoff is `minTimeout × factor^(n − 1)` capped at `maxTimeout`, and its `randomize` scales that
        // by [1, 2) with Math.random before the cap. Python's schedule caps first and then scales by [1 − jitter,
        // 1 + jitter], which no p-retry option expresses. So p-retry waits the schedule's floor — (1 − jitter) × the
        // capped doubling — and `shouldRetry` waits the random part above it, once the retry is decided.
        minTimeout: initialDelayMs * (1 - jitter),
        factor: 2,
        maxTimeout: maxDelayMs * (1 - jitter),
        randomize: false,
        signal,
        shouldRetry: async ({ error, attemptNumber, retryDelay }) => {
          if (!isRetryableError(error)) return false;
          const delayMs = retryDelayMs(attemptNumber, settings);
          await onRetry?.({ error, attempt: attemptNumber, delayMs });
          if (delayMs > retryDelay) await timers.setTimeout(delayMs - retryDelay, undefined, { signal });
          return true;
        },
      },
    );
  } catch (error) {
    // An abort wins, with the caller's reason (p-retry's own checks use it too; this covers an onRetry that threw
    // after aborting, and the jitter's wait, which rejects with an AbortError of its own).
    if (signal?.aborted) throw signal.reason;
    // p-retry retries only Errors: it replaces a thrown non-Error with a TypeError of its own and stops. The
    // caller gets what `fn` threw.
    if (failure !== undefined && !(failure.thrown instanceof Error)) throw failure.thrown;
    // p-retry rethrows the last call's error when the retries are used up; a retryable one means exactly that.
    if (error === failure?.thrown && isRetryableError(error)) throw retriesExhausted(error, attempts);
    throw error;
  }
}

function retriesExhausted(last: unknown, attempts: number): RetryLimitExceededError {
  const { code, rpcMessage, message, data, method, threadId } = last as {
    code?: unknown;
    rpcMessage?: unknown;
    message?: unknown;
    data?: unknown;
    method?: unknown;
    threadId?: unknown;
  };
  const serverMessage =
    typeof rpcMessage === "string" ? rpcMessage : typeof message === "string" ? message : "Server overloaded";
  const calls = attempts === 1 ? "1 attempt" : `${attempts} attempts`;
  return new RetryLimitExceededError(serverMessage, {
    code: typeof code === "number" ? code : SERVER_OVERLOADED_CODE,
    data,
    cause: last,
    method: typeof method === "string" ? method : undefined,
    params: typeof threadId === "string" ? { threadId } : undefined,
    shownMessage: `retryOnOverload gave up after ${calls}: the server was still overloaded (its last answer: ${JSON.stringify(serverMessage)})`,
    hint: "Wait longer before calling again, or allow more `attempts` or a longer `maxDelayMs`; `cause` holds the last error.",
  });
}
