import { checkTimeout, MAX_TIMER_MS } from "../errors/check-timeout.js";
import { InvalidInputError } from "../errors/invalid-input-error.js";

/**
 * How long to wait before each restart attempt: `initialMs` before the first, multiplied by `factor` for each
 * further attempt, at most `maxMs`, and then moved by up to `jitter` (a fraction) either way so that many
 * clients that lost the same app-server do not all come back at the same moment.
 *
 * @example
 * ```ts
 * const backoff: RestartBackoff = { initialMs: 200, maxMs: 5_000, factor: 2, jitter: 0.2 };
 * ```
 */
export interface RestartBackoff {
  /** The wait before the first attempt. Default 500 ms. */
  readonly initialMs?: number | undefined;
  /** The longest wait. Default 30 000 ms. */
  readonly maxMs?: number | undefined;
  /** How much longer each wait is than the one before. Default 2. */
  readonly factor?: number | undefined;
  /** How far a wait may move either way, as a fraction of it (0 to 1). Default 0.2. */
  readonly jitter?: number | undefined;
}

/**
 * What the client does when its app-server dies without `close()` (`AppServerConfig.restart`): start a new
 * one (or redial, for a transport of your own), run the handshake again and go on — up to `maxRestarts`
 * attempts in a row, with a backoff before each. An app-server that then stays up for `resetAfterMs` has
 * earned a fresh count.
 *
 * @example
 * ```ts
 * const codex = new AsyncCodex({
 *   restart: { maxRestarts: 5, backoff: { initialMs: 500, maxMs: 30_000 }, resetAfterMs: 60_000 },
 * });
 * ```
 */
export interface RestartPolicy {
  /** How many attempts in a row before the client gives up and fails. Default 5; `Infinity` never gives up. */
  readonly maxRestarts?: number | undefined;
  /** The wait before each attempt. */
  readonly backoff?: RestartBackoff | undefined;
  /** How long an app-server must stay up before the attempt count starts again from zero. Default 60 000 ms. */
  readonly resetAfterMs?: number | undefined;
}

/**
 * A {@link RestartPolicy} with every default filled in, as the client lifecycle machine holds it.
 *
 * @example
 * ```ts
 * const policy: ResolvedRestartPolicy = resolveRestartPolicy(true)!;
 * policy.maxRestarts; // 5
 * ```
 */
export interface ResolvedRestartPolicy {
  readonly maxRestarts: number;
  readonly backoff: Required<{ readonly [K in keyof RestartBackoff]-?: number }>;
  readonly resetAfterMs: number;
}

/**
 * The defaults of `restart: true`: 5 attempts, 500 ms doubling to 30 s (±20 %), a fresh count after a minute up.
 *
 * @example
 * ```ts
 * console.log(DEFAULT_RESTART_POLICY.backoff.initialMs); // 500
 * ```
 */
export const DEFAULT_RESTART_POLICY: ResolvedRestartPolicy = Object.freeze({
  maxRestarts: 5,
  backoff: Object.freeze({ initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.2 }),
  resetAfterMs: 60_000,
});

const POLICY_KEYS = new Set(["maxRestarts", "backoff", "resetAfterMs"]);
const BACKOFF_KEYS = new Set(["initialMs", "maxMs", "factor", "jitter"]);

/**
 * Checks the `restart` option and fills in its defaults: `undefined` or `false` → `null` (off), `true` → the
 * defaults, an object → the defaults with its fields over them.
 *
 * @throws {InvalidInputError} naming the wrong field and what it must be.
 * @example
 * ```ts
 * resolveRestartPolicy({ maxRestarts: 3 }); // { maxRestarts: 3, backoff: { initialMs: 500, … }, resetAfterMs: 60000 }
 * resolveRestartPolicy({ maxRestarts: -1 }); // throws: `restart.maxRestarts` must be …
 * ```
 */
export function resolveRestartPolicy(restart: unknown): ResolvedRestartPolicy | null {
  if (restart === undefined || restart === false) return null;
  if (restart === true) return DEFAULT_RESTART_POLICY;
  if (restart === null || typeof restart !== "object" || Array.isArray(restart)) {
    throw new InvalidInputError(
      `\`restart\` must be a boolean or a restart policy ({ maxRestarts, backoff: { initialMs, maxMs, factor, jitter }, resetAfterMs }), got ${describe(restart)}.`,
    );
  }
  const policy = restart as RestartPolicy;
  for (const key of Object.keys(policy)) {
    if (!POLICY_KEYS.has(key)) {
      throw new InvalidInputError(
        `\`restart.${key}\` is not a restart option: use maxRestarts, backoff or resetAfterMs.`,
      );
    }
  }
  const maxRestarts = policy.maxRestarts ?? DEFAULT_RESTART_POLICY.maxRestarts;
  if (!(maxRestarts === Infinity || (Number.isInteger(maxRestarts) && maxRestarts >= 0))) {
    throw new InvalidInputError(
      `\`restart.maxRestarts\` must be a whole number of attempts (0 or more, or Infinity), got ${describe(policy.maxRestarts)}.`,
    );
  }
  const resetAfterMs =
    policy.resetAfterMs === undefined
      ? DEFAULT_RESTART_POLICY.resetAfterMs
      : checkTimeout(policy.resetAfterMs, "restart.resetAfterMs");
  const backoff = policy.backoff ?? {};
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checked at run time too: callers may be plain JavaScript or pass what the types forbid
  if (backoff === null || typeof backoff !== "object" || Array.isArray(backoff)) {
    throw new InvalidInputError(
      `\`restart.backoff\` must be an object ({ initialMs, maxMs, factor, jitter }), got ${describe(backoff)}.`,
    );
  }
  for (const key of Object.keys(backoff)) {
    if (!BACKOFF_KEYS.has(key)) {
      throw new InvalidInputError(
        `\`restart.backoff.${key}\` is not a backoff option: use initialMs, maxMs, factor or jitter.`,
      );
    }
  }
  const defaults = DEFAULT_RESTART_POLICY.backoff;
  const initialMs =
    backoff.initialMs === undefined ? defaults.initialMs : checkTimeout(backoff.initialMs, "restart.backoff.initialMs");
  const maxMs =
    backoff.maxMs === undefined
      ? Math.max(defaults.maxMs, initialMs)
      : checkTimeout(backoff.maxMs, "restart.backoff.maxMs");
  if (maxMs < initialMs) {
    throw new InvalidInputError(
      `\`restart.backoff.maxMs\` (${maxMs}) must not be below \`restart.backoff.initialMs\` (${initialMs}): the first wait would be longer than the longest.`,
    );
  }
  const factor = backoff.factor ?? defaults.factor;
  if (typeof factor !== "number" || !Number.isFinite(factor) || factor < 1) {
    throw new InvalidInputError(
      `\`restart.backoff.factor\` must be a number of 1 or more (1 waits the same each time), got ${describe(backoff.factor)}.`,
    );
  }
  const jitter = backoff.jitter ?? defaults.jitter;
  if (typeof jitter !== "number" || !(jitter >= 0 && jitter <= 1)) {
    throw new InvalidInputError(
      `\`restart.backoff.jitter\` must be a fraction from 0 to 1, got ${describe(backoff.jitter)}.`,
    );
  }
  return Object.freeze({ maxRestarts, resetAfterMs, backoff: Object.freeze({ initialMs, maxMs, factor, jitter }) });
}

/**
 * The wait before restart attempt `attempt` (1 for the first): `initialMs × factor^(attempt − 1)`, at most
 * `maxMs`, moved by up to `jitter` either way (`random` gives a number in [0, 1), as `Math.random` does).
 */
export function backoffDelayMs(
  policy: ResolvedRestartPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const { initialMs, maxMs, factor, jitter } = policy.backoff;
  const base = Math.min(maxMs, initialMs * factor ** Math.max(0, attempt - 1));
  const moved = base * (1 + jitter * (2 * random() - 1));
  return Math.min(MAX_TIMER_MS, Math.max(0, Math.round(moved)));
}

function describe(value: unknown): string {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checked at run time too: callers may be plain JavaScript or pass what the types forbid
  return JSON.stringify(value) ?? String(value);
}
