import { closeSync, openSync, writeSync } from "node:fs";
import { InvalidInputError } from "../errors/invalid-input-error.js";
import { redactSecrets, redactValue } from "../errors/redact.js";
import type { TraceEvent } from "../rpc/trace.js";
import { jsonOf, type MessageRecord } from "./message-record.js";

/** The environment variable that switches the trace file on without a change of code: a path to append to. */
export const TRACE_ENV = "CODEX_APP_SERVER_TRACE";
/** Set to `1` (with {@link TRACE_ENV}) to write the messages' payloads too, redacted. */
export const TRACE_PAYLOADS_ENV = "CODEX_APP_SERVER_TRACE_PAYLOADS";

/**
 * Where and how the client writes its JSON Lines trace: the config's `traceFile`.
 *
 * @example
 * ```ts
 * const codex = new AsyncCodex({ traceFile: { path: "/var/tmp/codex-trace.jsonl", payloads: true } });
 * ```
 */
export interface TraceFileOptions {
  /** The file to append to (created if missing; its folder must exist). */
  readonly path: string;
  /**
   * Also write each message's `params`, `result` or `error`, with secrets redacted. Default `false`: only
   * direction, kind, id, method, time, elapsed time and size (and an error's code and message).
   */
  readonly payloads?: boolean | undefined;
}

/**
 * The trace file to write, from the config's `traceFile` and the environment: an explicit `false` switches it
 * off, a path or options switch it on, and when the config says nothing `CODEX_APP_SERVER_TRACE=/path` does.
 *
 * @throws {InvalidInputError} when `traceFile` is neither a non-empty path, options with one, nor `false`.
 */
export function traceFileOf(
  traceFile: string | TraceFileOptions | false | undefined,
  env: Readonly<Record<string, string | undefined>>,
): TraceFileOptions | null {
  if (traceFile === false) return null;
  if (traceFile === undefined) {
    const path = env[TRACE_ENV];
    if (path === undefined || path === "") return null;
    return { path, payloads: env[TRACE_PAYLOADS_ENV] === "1" };
  }
  if (typeof traceFile === "string" && traceFile !== "") return { path: traceFile, payloads: false };
  const given: unknown = traceFile; // checked as it comes: a config may be plain JavaScript
  if (
    typeof given === "object" &&
    given !== null &&
    typeof traceFile === "object" &&
    typeof traceFile.path === "string" &&
    traceFile.path !== ""
  ) {
    if (traceFile.payloads !== undefined && typeof traceFile.payloads !== "boolean") {
      throw new InvalidInputError(
        `\`traceFile.payloads\` must be a boolean, got ${JSON.stringify(traceFile.payloads)}.`,
      );
    }
    return { path: traceFile.path, payloads: traceFile.payloads ?? false };
  }
  throw new InvalidInputError(
    `\`traceFile\` must be a file path, { path, payloads? } or false, got ${(JSON.stringify(traceFile) as string | undefined) ?? typeof traceFile}.`,
  );
}

/** One line of the trace file. */
export interface TraceLine {
  /** ISO time. */
  readonly at: string;
  readonly direction: "outgoing" | "incoming";
  readonly kind: "request" | "notification" | "response" | "error";
  readonly id: number | string | null;
  readonly method: string | null;
  /** For a response: milliseconds since its request. */
  readonly elapsedMs?: number;
  /** The message's size as JSON, in bytes (its line on the wire, without the newline). */
  readonly bytes: number;
  /** An error answer's code and (redacted) message. */
  readonly error?: { readonly code: unknown; readonly message: string };
  /** With `payloads`: the message's params, result or error data, redacted. */
  readonly payload?: unknown;
}

/**
 * Appends a JSON Lines trace of every message, both ways, to a file: one line per message with its
 * direction, kind, id, method (a response is named after its request), time, elapsed time and size, and with
 * `payloads` the redacted params or result. Lines are written in batches, at the latest on the next turn of
 * the event loop, and at once on `close()` and when the process exits.
 */
export class TraceFile {
  readonly path: string;
  readonly #payloads: boolean;
  readonly #secrets: readonly string[];
  readonly #flushOnExit = () => this.flush();
  #fd: number | null;
  #lines: string[] = [];
  #scheduled = false;

  private constructor(options: TraceFileOptions, fd: number, secrets: readonly string[]) {
    this.path = options.path;
    this.#payloads = options.payloads === true;
    this.#secrets = secrets;
    this.#fd = fd;
    process.on("exit", this.#flushOnExit);
  }

  /**
   * Opens (creates or appends to) the file. `secrets` are exact values to take out of every line, besides those
   * every layer redacts (see `redactSecrets` and `redactValue`).
   *
   * @throws {InvalidInputError} when the file cannot be opened for writing, saying why.
   */
  static open(options: TraceFileOptions, secrets: readonly string[] = []): TraceFile {
    let fd: number;
    try {
      fd = openSync(options.path, "a");
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new InvalidInputError(
        `cannot write the trace file ${options.path} (from \`traceFile\` or ${TRACE_ENV}): ${why}. Give a path in a folder that exists and is writable.`,
        { cause: error },
      );
    }
    return new TraceFile(options, fd, secrets);
  }

  /** Writes the line of one traced message (described by `record`). */
  write(event: TraceEvent, record: MessageRecord): void {
    if (this.#fd === null) return;
    this.#lines.push(`${JSON.stringify(this.line(event, record))}\n`);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush()).unref();
    }
  }

  /** The line written for one message. */
  line(event: TraceEvent, record: MessageRecord): TraceLine {
    const message = event.message as {
      params?: unknown;
      result?: unknown;
      error?: { code?: unknown; message?: unknown; data?: unknown };
    };
    const line: { -readonly [K in keyof TraceLine]: TraceLine[K] } = {
      at: new Date(record.atMs).toISOString(),
      direction: record.direction,
      kind: record.kind,
      id: record.id,
      method: record.method,
      bytes: Buffer.byteLength(jsonOf(event.message)),
    };
    if (record.elapsedMs !== undefined) line.elapsedMs = Math.round(record.elapsedMs * 1000) / 1000;
    if (message.error !== undefined) {
      const text = message.error.message;
      line.error = {
        code: message.error.code,
        message: redactSecrets(typeof text === "string" ? text : "", this.#secrets),
      };
    }
    if (this.#payloads) {
      const payload =
        record.kind === "response" ? message.result : record.kind === "error" ? message.error?.data : message.params;
      if (payload !== undefined) line.payload = redactValue(payload, this.#secrets);
    }
    return line;
  }

  /** Writes what is waiting. */
  flush(): void {
    this.#scheduled = false;
    if (this.#fd === null || this.#lines.length === 0) return;
    const text = this.#lines.join("");
    this.#lines = [];
    try {
      writeSync(this.#fd, text);
    } catch {
      // a full disk or a removed file must not break the client: the trace is best effort
    }
  }

  /** Writes what is waiting and closes the file. Idempotent. */
  close(): void {
    if (this.#fd === null) return;
    this.flush();
    process.off("exit", this.#flushOnExit);
    const fd = this.#fd;
    this.#fd = null;
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }
}
