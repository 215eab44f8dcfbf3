import type { InspectionEvent } from "xstate";
import { checkTimeout } from "../errors/check-timeout.js";
import { InvalidInputError } from "../errors/invalid-input-error.js";
import { resolveRestartPolicy, type RestartPolicy } from "../machines/restart-policy.js";
import type { ObserveConfig } from "../observe/observe-config.js";
import type { TraceHook } from "../rpc/trace.js";
import { checkConnectTarget, type ConnectTarget } from "../transport/connect.js";
import type { Transport } from "../transport/transport.js";
import { checkRetryOnOverloadOptions, type RetryOnOverloadOptions } from "./retry-on-overload-options.js";
import type { ApprovalHandler } from "./server-request.js";

/**
 * How to start and talk to the app-server. Every field is optional: the defaults start the installed
 * `@openai/codex` binary with the user's own configuration.
 *
 * @example
 * ```ts
 * const codex = new AsyncCodex({
 *   configOverrides: ['model="gpt-5.4"'],
 *   cwd: "/repo",
 *   requestTimeoutMs: 60_000,
 * });
 * ```
 */
export interface AppServerConfig extends ObserveConfig {
  /** A `codex` executable; default: the installed `@openai/codex` (its native binary first). */
  codexBin?: string | undefined;
  /** The whole command line, program first, used verbatim (`codexBin` and `configOverrides` are then ignored). */
  launchArgsOverride?: readonly string[] | undefined;
  /** Config entries (`key=value`, values in TOML), each passed as `--config <entry>` before `app-server`. */
  configOverrides?: readonly string[] | undefined;
  /** The app-server's working directory. Default: this process's. */
  cwd?: string | undefined;
  /** Variables merged over `process.env`; a variable set to `undefined` is removed. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** The longest line accepted from the app-server, in bytes. Default 64 MiB. */
  maxLineBytes?: number | undefined;
  /** How long `close()` waits for the app-server to exit after ending its stdin, before SIGTERM. Default 2000 ms. */
  closeGraceMs?: number | undefined;
  /** How long `close()` then waits after SIGTERM, before SIGKILL. Default 2000 ms. */
  killGraceMs?: number | undefined;
  /** How much of the end of stderr to keep for errors, in bytes. Default 64 KiB. */
  stderrTailBytes?: number | undefined;
  /** Sees everything the app-server writes to stderr (its log), as it comes. */
  onStderr?: ((text: string) => void) | undefined;
  /**
   * Connects some other way than spawning `codex app-server` on stdio: a function that returns a connected
   * `Transport` (a WebSocket or unix socket of your own, or an in-memory peer in tests). When set, the
   * launch fields (`codexBin`, `launchArgsOverride`, `configOverrides`, `cwd`, `env`) are not used. Its
   * `signal` aborts when the client is closed while connecting: give up then (a transport that arrives late
   * is closed at once).
   */
  transport?: ((options: { signal: AbortSignal }) => Transport | Promise<Transport>) | undefined;
  /**
   * Connects to an app-server that is already listening instead of starting a child: `"ws://HOST:PORT"`,
   * `"unix:///ABS/PATH"`, `"daemon"` (the codex daemon of `env.CODEX_HOME`, else this process's `CODEX_HOME`,
   * else `~/.codex`), or `{ url, token | tokenFile | bearer, handshakeTimeoutMs, maxMessageBytes }`. The launch
   * fields (`codexBin`, `launchArgsOverride`, `configOverrides`, `cwd`) are then not used; closing the client
   * closes the connection, not the server. See docs/remote-app-servers.md.
   */
  connect?: ConnectTarget | undefined;
  /** `clientInfo.name` sent in `initialize`. Default `"codex_app_server_ts"`. */
  clientName?: string | undefined;
  /** `clientInfo.title`. Default `"Codex App Server TypeScript SDK"`. */
  clientTitle?: string | undefined;
  /** `clientInfo.version`. Default: this package's version. */
  clientVersion?: string | undefined;
  /**
   * Ask for the experimental API (`capabilities.experimentalApi` in `initialize`): the server then accepts the
   * methods and fields of the `--experimental` schema, typed in `codex-app-server/protocol/experimental`
   * (call them with `experimentalRequests(codex).request(…)`). Default `false`: the stable protocol, which is
   * what `codex.request()` is typed by; without it the server refuses experimental methods and fields.
   */
  experimentalApi?: boolean | undefined;
  /** Notification methods the server should not send at all (`capabilities.optOutNotificationMethods`). */
  optOutNotificationMethods?: readonly string[] | undefined;
  /**
   * Keep one more app-server started and initialised in the background, so that the next start of a client
   * with the same launch config (another client, or a restart) takes it instead of waiting for a spawn and
   * `initialize` (≈ 0.1–0.3 s). Costs one idle app-server process (its memory, and its start's CPU while the
   * client is busy); it ends when the last client of that config closes. Not with `transport`. Default `false`.
   * See docs/configuration.md.
   */
  prewarm?: boolean | undefined;
  /** How long any request waits for its answer unless the call says otherwise. Default 120 000 ms. */
  requestTimeoutMs?: number | undefined;
  /**
   * Answers the app-server's requests: command and file-change approvals, permission requests, questions for
   * the user, tool calls. Default: {@link declineAll}, which fails closed — nothing is approved that you did
   * not approve. A thread's own handler (`thread.approvalHandler`) wins over this one.
   */
  approvalHandler?: ApprovalHandler | undefined;
  /** How long the approval handler may take before the request is declined. Default 600 000 ms (10 min). */
  approvalTimeoutMs?: number | undefined;
  /**
   * Retries requests that only read (`thread/list`, `thread/read`, `model/list`, … — see `IDEMPOTENT_METHODS`)
   * when the server is overloaded (`-32001`), with {@link retryOnOverload}: `true` for its defaults (3 attempts,
   * 250 ms doubling to 2 s, ±20 % jitter), or its options. Default off. Requests that change something are
   * never retried by the client. `timeoutMs` applies to each attempt.
   */
  retry?: boolean | Omit<RetryOnOverloadOptions, "signal"> | undefined;
  /**
   * What to do when the app-server dies without `close()` (crashed, killed, OOM): `true` to start a new one
   * with the defaults of {@link RestartPolicy} (5 attempts in a row, 500 ms doubling to 30 s, ±20 %), or a
   * policy; default off, and the client fails (`failed`) at the first loss. With a policy, the client waits
   * out the backoff, starts a new app-server (or calls `transport` again), runs the handshake and goes on:
   * its thread handles keep working (each is resumed on the new app-server by the first call that needs it;
   * ephemeral threads fail with `ThreadLostError`), and turns that were running end `lost` with
   * `TurnLostError`, never rerun. After `maxRestarts` failed attempts it fails with `RestartsExhaustedError`.
   */
  restart?: boolean | RestartPolicy | undefined;
  /** Sees every JSON-RPC message, both ways, with timing. */
  trace?: TraceHook | undefined;
  /** An XState inspection observer, attached to the client's lifecycle actor and every turn's actor. */
  inspect?: ((event: InspectionEvent) => void) | undefined;
  /**
   * How many unread notifications a turn keeps for its `stream()`. Once that many wait unread, further
   * best-effort deltas are dropped (counted in `handle.droppedDeltas`, and reported once as a diagnostic);
   * other notifications — items, errors, `turn/completed` — are never dropped. Default 10 000.
   */
  maxBufferedNotifications?: number | undefined;
  /**
   * How many turns' notifications are held while their `turn/start` answer is still on its way (they are
   * replayed once it comes). Past it, the oldest such turn's notifications are dropped. Default 256.
   */
  maxPendingTurns?: number | undefined;
}

const STRING_LISTS = ["launchArgsOverride", "configOverrides", "optOutNotificationMethods"] as const;
const STRINGS = ["codexBin", "cwd", "clientName", "clientTitle", "clientVersion"] as const;
const POSITIVE_NUMBERS = ["maxLineBytes", "stderrTailBytes", "maxBufferedNotifications", "maxPendingTurns"] as const;
const TIMEOUTS = ["closeGraceMs", "killGraceMs"] as const;
const TIMEOUTS_OR_INFINITY = ["requestTimeoutMs", "approvalTimeoutMs"] as const;
const FUNCTIONS = ["trace", "inspect", "onStderr", "transport", "approvalHandler"] as const;

/**
 * Checks an {@link AppServerConfig} before anything is spawned, so that a wrong option fails at once with a
 * message that names it.
 *
 * @throws {InvalidInputError} naming the first wrong option.
 */
export function checkConfig(config: AppServerConfig): AppServerConfig {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checked at run time too: callers may be plain JavaScript or pass what the types forbid
  if (config === null || typeof config !== "object") {
    throw new InvalidInputError(`the config must be an object (AppServerConfig), got ${String(config)}.`);
  }
  const fail = (key: string, expected: string) => {
    throw new InvalidInputError(
      `\`${key}\` must be ${expected}, got ${shown((config as Record<string, unknown>)[key])}.`,
    );
  };
  for (const key of STRINGS) {
    const value = config[key];
    if (value !== undefined && (typeof value !== "string" || value.length === 0)) fail(key, "a non-empty string");
  }
  for (const key of STRING_LISTS) {
    const value = config[key];
    if (value !== undefined && (!Array.isArray(value) || !value.every((entry) => typeof entry === "string"))) {
      fail(key, "an array of strings");
    }
  }
  for (const key of POSITIVE_NUMBERS) {
    const value = config[key];
    if (value !== undefined && (typeof value !== "number" || Number.isNaN(value) || value <= 0)) {
      fail(key, "a positive number");
    }
  }
  for (const key of TIMEOUTS) if (config[key] !== undefined) checkTimeout(config[key], key);
  for (const key of TIMEOUTS_OR_INFINITY) if (config[key] !== undefined) checkTimeout(config[key], key, true);
  for (const key of FUNCTIONS) {
    const value = config[key];
    if (value !== undefined && typeof value !== "function") fail(key, "a function");
  }
  if (config.experimentalApi !== undefined && typeof config.experimentalApi !== "boolean") {
    fail("experimentalApi", "a boolean");
  }
  if (config.retry !== undefined && typeof config.retry !== "boolean") {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checked at run time too: callers may be plain JavaScript or pass what the types forbid
    if (config.retry === null || typeof config.retry !== "object")
      fail("retry", "a boolean or retryOnOverload options");
    checkRetryOnOverloadOptions(config.retry);
  }
  resolveRestartPolicy(config.restart);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checked at run time too: callers may be plain JavaScript or pass what the types forbid
  if (config.env !== undefined && (config.env === null || typeof config.env !== "object")) {
    fail("env", "an object of strings");
  }
  if (config.connect !== undefined) {
    if (config.transport !== undefined) {
      throw new InvalidInputError("`connect` and `transport` both say how to reach the app-server: give only one.");
    }
    checkConnectTarget(config.connect);
  }
  if (config.prewarm !== undefined && typeof config.prewarm !== "boolean") fail("prewarm", "a boolean");
  if (config.prewarm === true && (config.transport !== undefined || config.connect !== undefined)) {
    throw new InvalidInputError(
      "`prewarm` starts spare app-servers itself, so it cannot be used with `transport` or `connect`: drop one of them.",
    );
  }
  return config;
}

/**
 * How a refused value is shown in an error: numbers, booleans and `null` as they are, anything else by its
 * type alone — a string or an object may hold a token or an API key.
 */
function shown(value: unknown): string {
  if (value === null || typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "an array";
  return `a value of type ${typeof value}`;
}
