import { redactSecrets } from "./redact.js";
import { AppServerError } from "./app-server-error.js";

/**
 * Why a connection ended: `close()` was called, the other end went away on its own, or the transport failed.
 *
 * @example
 * ```ts
 * if (err instanceof TransportClosedError) {
 *   switch (err.reason) {
 *     case "closed":
 *       break; // this program called close()
 *     case "exited":
 *       console.error(`codex exited (code ${err.exitCode}, signal ${err.signal}):\n${err.stderrTail}`);
 *       break;
 *     case "failed":
 *       console.error("the connection failed:", err.cause);
 *       break;
 *   }
 * }
 * ```
 */
export type TransportCloseReason = "closed" | "exited" | "failed";

/**
 * How a connection ended: the reason, and for a process its exit code, signal and stderr tail (the fields of
 * {@link TransportClosedError}; what `Transport.close()` resolves with).
 *
 * @example
 * ```ts
 * const details: TransportCloseInfo = { reason: "exited", exitCode: 1, signal: null, stderrTail: "panic: boom\n" };
 * const err = TransportClosedError.from(details);
 * err.message; // "codex app-server exited with code 1 on its own. Start a new client to go on; … Last stderr:\npanic: boom"
 * ```
 */
export interface TransportCloseInfo {
  readonly reason: TransportCloseReason;
  /** The app-server's exit code, when it exited normally. */
  readonly exitCode: number | null;
  /** The signal that ended the app-server, e.g. `"SIGKILL"`. */
  readonly signal: string | null;
  /** The last bytes the app-server wrote to stderr (bounded). */
  readonly stderrTail: string;
  /** The failure behind `reason: "failed"`. */
  readonly error?: Error | undefined;
  /** For a socket: the endpoint it was connected to (`ws://host:port`, `unix:///path`), never with a token. */
  readonly endpoint?: string | undefined;
  /** For a WebSocket: the close code (1000 normal, 1006 lost without a close frame, 1009 message too big, …). */
  readonly closeCode?: number | undefined;
  /** For a WebSocket: the close reason the server gave, if any. */
  readonly closeReason?: string | undefined;
}

/**
 * The close info of a connection that ended for `reason`, with what else is known (a process's exit code,
 * signal and stderr tail; the failure): the one place that fills in what is not known. Internal.
 */
export function closeInfo(
  reason: TransportCloseReason,
  known: Partial<Omit<TransportCloseInfo, "reason">> = {},
): TransportCloseInfo {
  return { exitCode: null, signal: null, stderrTail: "", ...known, reason };
}

/**
 * The call a {@link TransportClosedError} interrupted or refused.
 *
 * @example
 * ```ts
 * const call: ClosedCall = { method: "thread/start", id: 3, sent: true };
 * const err = TransportClosedError.from({ reason: "closed", exitCode: null, signal: null, stderrTail: "" }, call);
 * err.message; // "… thread/start (id 3) was still waiting for its answer: the outcome is unknown …"
 * ```
 */
export interface ClosedCall {
  readonly method: string;
  readonly id?: number | string | undefined;
  /** `true` when the request had been sent (its outcome is unknown); `false` when it was refused before sending. */
  readonly sent: boolean;
}

const STDERR_LINES_IN_MESSAGE = 4;
const STDERR_CHARS_IN_MESSAGE = 600;
// eslint-disable-next-line no-control-regex -- the ANSI escape is what this pattern strips
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/**
 * The connection to the app-server is closed: `close()` was called, the process exited on its own, or the
 * transport failed. Every pending call rejects with it at once; so does every call made afterwards.
 * When the process died, the error carries its exit code, signal and the tail of its stderr.
 *
 * @example
 * ```ts
 * try {
 *   await codex.threadStart();
 * } catch (err) {
 *   if (err instanceof TransportClosedError && err.reason === "exited") {
 *     console.error(`codex exited (code ${err.exitCode}, signal ${err.signal}):\n${err.stderrTail}`);
 *   }
 * }
 * ```
 */
export class TransportClosedError extends AppServerError implements TransportCloseInfo {
  override name = "TransportClosedError";
  readonly reason: TransportCloseReason;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderrTail: string;
  /** The method of the call this error ended, if any. */
  readonly method: string | undefined;
  /** For a socket: the endpoint it was connected to (never with a token). */
  readonly endpoint: string | undefined;
  /** For a WebSocket: the close code, e.g. 1006 when the connection was lost without a close frame. */
  readonly closeCode: number | undefined;
  /** For a WebSocket: the close reason the server gave (often empty). */
  readonly closeReason: string | undefined;

  constructor(message: string, options?: ErrorOptions & Partial<TransportCloseInfo> & { method?: string }) {
    super(message, options);
    this.reason = options?.reason ?? "closed";
    this.exitCode = options?.exitCode ?? null;
    this.signal = options?.signal ?? null;
    this.stderrTail = redactSecrets(options?.stderrTail ?? "");
    this.method = options?.method;
    this.endpoint = options?.endpoint;
    this.closeCode = options?.closeCode;
    this.closeReason = options?.closeReason;
  }

  /**
   * The error for a call made after the client was closed: nothing was sent, and a new client is the way on.
   *
   * @internal
   */
  static clientClosed(client: "AsyncCodex" | "Codex"): TransportClosedError {
    return new TransportClosedError(`the client is closed: create a new ${client} to talk to the app-server again.`, {
      reason: "closed",
    });
  }

  /**
   * Builds the error for `details`, with a message that says what happened, what became of `call` and what
   * to do next.
   *
   * @example
   * ```ts
   * const err = TransportClosedError.from(
   *   { reason: "exited", exitCode: 1, signal: null, stderrTail: "panic: boom\n" },
   *   { method: "thread/start", id: 3, sent: true },
   * );
   * ```
   */
  static from(details: TransportCloseInfo, call?: ClosedCall): TransportClosedError {
    const parts = [describeEnd(details)];
    if (call !== undefined) {
      const name = call.id === undefined ? call.method : `${call.method} (id ${call.id})`;
      parts.push(
        call.sent
          ? `${name} was still waiting for its answer: the outcome is unknown (the server may or may not have acted on it).`
          : `${name} was not sent.`,
      );
    }
    parts.push(
      details.reason === "closed"
        ? "Start a new client to make more calls."
        : details.endpoint !== undefined
          ? `Connect a new client to go on (a thread can be resumed by id if the server still runs).`
          : "Start a new client to go on; the stderr tail (err.stderrTail) may say why it stopped.",
    );
    const tail = stderrExcerpt(details.stderrTail);
    if (tail !== "") parts.push(`Last stderr:\n${tail}`);
    return new TransportClosedError(parts.join(" "), {
      ...details,
      cause: details.error,
      ...(call === undefined ? {} : { method: call.method }),
    });
  }
}

function describeEnd(details: TransportCloseInfo): string {
  if (details.endpoint !== undefined) return describeSocketEnd(details, details.endpoint);
  switch (details.reason) {
    case "closed":
      return "The connection to codex app-server was closed by close().";
    case "failed":
      return `The connection to codex app-server failed${details.error ? `: ${details.error.message}` : ""}.`;
    case "exited": {
      const how =
        details.signal !== null
          ? `was killed by ${details.signal}`
          : details.exitCode !== null
            ? `exited with code ${details.exitCode}`
            : "closed its end of the connection";
      return `codex app-server ${how} on its own.`;
    }
  }
}

function describeSocketEnd(details: TransportCloseInfo, endpoint: string): string {
  const code =
    details.closeCode === undefined
      ? ""
      : ` (close code ${details.closeCode}${details.closeReason ? `, reason ${JSON.stringify(details.closeReason)}` : ""})`;
  switch (details.reason) {
    case "closed":
      return `The connection to codex app-server at ${endpoint} was closed by close()${code}.`;
    case "failed":
      return `The connection to codex app-server at ${endpoint} failed${details.error ? `: ${details.error.message}` : ""}${code}.`;
    case "exited":
      return `codex app-server at ${endpoint} closed the connection on its own${code}.`;
  }
}

function stderrExcerpt(stderrTail: string): string {
  const lines = stderrTail
    .replace(ANSI, "")
    .split("\n")
    .filter((line) => line.trim() !== "");
  const excerpt = lines.slice(-STDERR_LINES_IN_MESSAGE).join("\n");
  return excerpt.length > STDERR_CHARS_IN_MESSAGE ? `…${excerpt.slice(-STDERR_CHARS_IN_MESSAGE)}` : excerpt;
}
