import { InvalidInputError } from "../errors/invalid-input-error.js";
import type { TraceFileOptions } from "./trace-file.js";

/** How many finished turns a snapshot keeps, unless `maxFinishedTurns` says otherwise. */
export const DEFAULT_MAX_FINISHED_TURNS = 100;
/** How many recent messages a snapshot keeps, unless `maxRecentMessages` says otherwise. */
export const DEFAULT_MAX_RECENT_MESSAGES = 50;

/**
 * The options of `AsyncCodex` and `Codex` that decide what the client lets you watch: its trace file,
 * OpenTelemetry spans, and how much history `codex.snapshot()` keeps.
 *
 * @example
 * ```ts
 * const codex = new AsyncCodex({
 *   traceFile: "/var/tmp/codex-trace.jsonl", // or CODEX_APP_SERVER_TRACE=/var/tmp/codex-trace.jsonl
 *   maxFinishedTurns: 20,
 *   openTelemetry: false,
 * });
 * ```
 */
export interface ObserveConfig {
  /**
   * Appends a JSON Lines trace of every message, both ways, to this file (direction, kind, id, method, time,
   * elapsed time, size; with `{ path, payloads: true }` the redacted payloads too). API keys, tokens,
   * `Authorization` values and everything under `env` are redacted. When not set, the environment variable
   * `CODEX_APP_SERVER_TRACE=/path/file.jsonl` switches it on (and `CODEX_APP_SERVER_TRACE_PAYLOADS=1` adds the
   * payloads); `false` keeps it off whatever the environment says.
   */
  traceFile?: string | TraceFileOptions | false | undefined;
  /**
   * Spans for each request and each turn when `@opentelemetry/api` is installed (it is an optional peer
   * dependency, loaded once a tracer provider is registered, before the start or after it), with the W3C trace
   * context sent to the app-server in each request. Default `true`; `false` never loads it.
   */
  openTelemetry?: boolean | undefined;
  /** How many finished turns `codex.snapshot()` keeps (the oldest go first). Default 100; 0 keeps none. */
  maxFinishedTurns?: number | undefined;
  /** How many of the last messages `codex.snapshot()` keeps. Default 50; 0 keeps none. */
  maxRecentMessages?: number | undefined;
}

/**
 * Checks the {@link ObserveConfig} options of a config.
 *
 * @throws {InvalidInputError} naming the first wrong option.
 */
export function checkObserveConfig(config: ObserveConfig): void {
  for (const key of ["maxFinishedTurns", "maxRecentMessages"] as const) {
    const value = config[key];
    if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 0)) {
      throw new InvalidInputError(
        `\`${key}\` must be a whole number ≥ 0, got ${(JSON.stringify(value) as string | undefined) ?? typeof value}.`,
      );
    }
  }
  if (config.openTelemetry !== undefined && typeof config.openTelemetry !== "boolean") {
    throw new InvalidInputError(`\`openTelemetry\` must be a boolean, got ${JSON.stringify(config.openTelemetry)}.`);
  }
}
