import { InvalidInputError } from "../errors/invalid-input-error.js";

/**
 * What {@link RetryOnOverloadOptions.onRetry} is told before each wait.
 *
 * @example
 * ```ts
 * const onRetry = ({ attempt, delayMs, error }: OverloadRetry) =>
 *   console.warn(`attempt ${attempt} failed (${String(error)}); trying again in ${delayMs} ms`);
 * const { data } = await retryOnOverload(() => codex.models(), { onRetry });
 * ```
 */
export interface OverloadRetry {
  /** What the failed attempt threw: an error {@link isRetryableError} accepts. */
  readonly error: unknown;
  /** The number of the attempt that failed, from 1. */
  readonly attempt: number;
  /** How long `retryOnOverload` waits before the next attempt, jitter included. */
  readonly delayMs: number;
}

/**
 * Options of {@link retryOnOverload}. Every key is optional; the defaults are the Python SDK's. The client's
 * `retry` option takes the same keys, but `signal`.
 *
 * @example
 * ```ts
 * const options: RetryOnOverloadOptions = { attempts: 5, initialDelayMs: 100, maxDelayMs: 5_000, signal: AbortSignal.timeout(30_000) };
 * const { data } = await retryOnOverload(() => codex.threadList({ limit: 20 }), options);
 *
 * const patient = new AsyncCodex({ retry: { attempts: 5, maxDelayMs: 5_000 } }); // the client retries its reads
 * ```
 */
export interface RetryOnOverloadOptions {
  /** Calls in total, the first included: a whole number ≥ 1. Default `3`. */
  attempts?: number | undefined;
  /** The wait before the second call, in ms; it doubles before each further call. Default `250`. */
  initialDelayMs?: number | undefined;
  /** The cap on the doubling wait, in ms, applied before jitter (as in Python). Default `2000`. */
  maxDelayMs?: number | undefined;
  /** Each wait is scaled by a uniform factor in `[1 - jitter, 1 + jitter]`; from 0 to 1. Default `0.2`. */
  jitter?: number | undefined;
  /** Stops at once when aborted — during a call or a wait — and rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Called before each wait; an error it throws stops the retries and is what the call rejects with. */
  onRetry?: ((retry: OverloadRetry) => void | Promise<void>) | undefined;
  /** The source of randomness for the jitter, returning a number in `[0, 1)`. Default `Math.random`; for tests. */
  random?: (() => number) | undefined;
}

/**
 * The defaults of {@link retryOnOverload}, the Python SDK's `retry_on_overload` ones, in milliseconds.
 *
 * @example
 * ```ts
 * console.log(RETRY_ON_OVERLOAD_DEFAULTS); // { attempts: 3, initialDelayMs: 250, maxDelayMs: 2000, jitter: 0.2 }
 * await retryOnOverload(() => codex.threadList(), { attempts: RETRY_ON_OVERLOAD_DEFAULTS.attempts * 2 });
 * ```
 */
export const RETRY_ON_OVERLOAD_DEFAULTS = Object.freeze({
  attempts: 3,
  initialDelayMs: 250,
  maxDelayMs: 2_000,
  jitter: 0.2,
});

/** {@link RetryOnOverloadOptions} after checking, with every default filled in. */
export interface RetryOnOverloadSettings {
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: number;
  readonly signal: AbortSignal | undefined;
  readonly onRetry: ((retry: OverloadRetry) => void | Promise<void>) | undefined;
  readonly random: () => number;
}

/** The longest wait a timer can hold (about 24.9 days); longer waits are clamped to it. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * Checks the options of {@link retryOnOverload} and fills in the defaults.
 *
 * @throws {InvalidInputError} naming the first option that is wrong and what it accepts.
 */
export function checkRetryOnOverloadOptions(options: RetryOnOverloadOptions | undefined): RetryOnOverloadSettings {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checked at run time too: callers may be plain JavaScript or pass what the types forbid
  if (options === undefined || options === null) options = {};
  else if (typeof options !== "object") {
    throw new InvalidInputError(`retryOnOverload's options must be an object or undefined, not ${describe(options)}.`);
  }
  const defaults = RETRY_ON_OVERLOAD_DEFAULTS;
  const attempts = options.attempts ?? defaults.attempts;
  if (typeof attempts !== "number" || !Number.isSafeInteger(attempts) || attempts < 1) {
    throw invalid("attempts", "a whole number ≥ 1 (the calls in total, the first included)", attempts);
  }
  const initialDelayMs = checkDelay("initialDelayMs", options.initialDelayMs ?? defaults.initialDelayMs);
  const maxDelayMs = checkDelay("maxDelayMs", options.maxDelayMs ?? defaults.maxDelayMs);
  const jitter = options.jitter ?? defaults.jitter;
  if (typeof jitter !== "number" || !(jitter >= 0 && jitter <= 1)) {
    throw invalid("jitter", "a number from 0 to 1 (0.2 means ±20 %)", jitter);
  }
  const { signal, onRetry, random } = options;
  if (signal !== undefined && !isAbortSignal(signal)) throw invalid("signal", "an AbortSignal", signal);
  if (onRetry !== undefined && typeof onRetry !== "function") throw invalid("onRetry", "a function", onRetry);
  if (random !== undefined && typeof random !== "function") {
    throw invalid("random", "a function returning a number in [0, 1)", random);
  }
  return { attempts, initialDelayMs, maxDelayMs, jitter, signal, onRetry, random: random ?? Math.random };
}

/**
 * The wait after failed attempt number `attempt` (from 1), following the Python SDK's `retry_on_overload`:
 * `base = min(maxDelayMs, initialDelayMs × 2^(attempt − 1))`, then `base × (1 + jitter × (2r − 1))` with `r`
 * from `random()` — a uniform factor in `[1 − jitter, 1 + jitter]` — rounded to whole milliseconds.
 */
export function retryDelayMs(
  attempt: number,
  settings: Pick<RetryOnOverloadSettings, "initialDelayMs" | "maxDelayMs" | "jitter" | "random">,
): number {
  const base = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** (attempt - 1));
  const r = settings.random();
  if (typeof r !== "number" || !(r >= 0 && r <= 1)) {
    throw new InvalidInputError(`\`random\` must return a number in [0, 1), but it returned ${describe(r)}.`);
  }
  const factor = 1 + settings.jitter * (2 * r - 1);
  return Math.min(Math.max(0, Math.round(base * factor)), MAX_TIMER_DELAY_MS);
}

function checkDelay(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw invalid(name, "a finite number of milliseconds ≥ 0", value);
  }
  return value;
}

function isAbortSignal(value: unknown): value is AbortSignal {
  if (value instanceof AbortSignal) return true;
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<AbortSignal>;
  return (
    typeof candidate.aborted === "boolean" &&
    typeof candidate.throwIfAborted === "function" &&
    typeof candidate.addEventListener === "function" &&
    typeof candidate.removeEventListener === "function"
  );
}

function invalid(name: string, expected: string, value: unknown): InvalidInputError {
  return new InvalidInputError(
    `retryOnOverload: \`${name}\` must be ${expected}, not ${describe(value)}; pass a valid value or leave it out for the default.`,
  );
}

function describe(value: unknown): string {
  if (typeof value === "function") return "a function";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object" && value !== null) return Array.isArray(value) ? "an array" : "an object";
  return String(value);
}
