import { redactSecrets } from "./redact.js";
import { AppServerError } from "./app-server-error.js";

/**
 * Options of the JSON-RPC error constructors: the error's `code` and `data` as on the wire, and what the message
 * for people says besides the server's own words.
 *
 * @example
 * ```ts
 * const options: JsonRpcErrorOptions = { code: -32000, data: { retryAfterS: 30 }, method: "thread/start", hint: "Wait 30 s, then try again." };
 * new JsonRpcError("quota exhausted", options).message; // "thread/start: quota exhausted. Wait 30 s, then try again. (JSON-RPC -32000)"
 * ```
 */
export interface JsonRpcErrorOptions extends ErrorOptions {
  /** The JSON-RPC error code, e.g. `-32600`. */
  readonly code: number;
  /** The error's `data` member, if any. */
  readonly data?: unknown;
  /** The method that was called, named in the message. */
  readonly method?: string | undefined;
  /** Its params; a `threadId` among them is named in the message when the server's own message does not. */
  readonly params?: unknown;
  /** What to do about it, appended to the message. */
  readonly hint?: string | undefined;
  /** The server's message as shown to people, when it should be shorter than `rpcMessage` (which stays whole). */
  readonly shownMessage?: string | undefined;
}

/**
 * An error the app-server answered with: `{ code, message, data }` as on the wire. The server did see the
 * request and refused it, so unlike a timeout or a closed connection, its outcome is known.
 * `err.message` is written for people (the method, the thread id, what to do); `rpcMessage` is the server's own.
 *
 * Also the error to throw from a server-request handler to answer the server with a specific code:
 * `throw new JsonRpcError("not allowed here", { code: -32000 })`.
 *
 * @example
 * ```ts
 * try {
 *   await codex.request("thread/read", { threadId: "thr_123" });
 * } catch (err) {
 *   if (err instanceof JsonRpcError) console.error(err.code, err.rpcMessage, err.data);
 * }
 * ```
 */
export class JsonRpcError extends AppServerError {
  override name = "JsonRpcError";
  /** The JSON-RPC error code, e.g. `-32600`. */
  readonly code: number;
  /** The error's `message` member as on the wire, secrets redacted. */
  readonly rpcMessage: string;
  /** The error's `data` member, if any. */
  readonly data: unknown;
  /** The method that was called, when known. */
  readonly method: string | undefined;
  /** The thread the call was about, when its params named one. */
  readonly threadId: string | undefined;

  /**
   * @param message The error's `message` member: the server's own words.
   * @param options Its `code` and `data`, and what the message for people adds (`method`, `params`, `hint`).
   */
  constructor(message: string, options: JsonRpcErrorOptions) {
    const { code, data, method, params, hint, shownMessage } = options;
    const threadId = threadIdOf(params);
    super(describe(code, shownMessage ?? message, method, threadId, hint), options);
    this.code = code;
    this.rpcMessage = redactSecrets(message);
    this.data = data;
    this.method = method;
    this.threadId = threadId;
  }
}

function threadIdOf(params: unknown): string | undefined {
  if (typeof params !== "object" || params === null) return undefined;
  const threadId = (params as { threadId?: unknown }).threadId;
  return typeof threadId === "string" ? threadId : undefined;
}

function describe(
  code: number,
  message: string,
  method: string | undefined,
  threadId: string | undefined,
  hint: string | undefined,
): string {
  let subject = method ?? `JSON-RPC error ${code}`;
  if (method !== undefined && threadId !== undefined && !message.includes(threadId))
    subject += ` on thread ${threadId}`;
  const sentence = /[.!?]$/.test(message) ? message : `${message}.`;
  const codeNote = method === undefined ? "" : ` (JSON-RPC ${code})`;
  return hint === undefined ? `${subject}: ${sentence}${codeNote}` : `${subject}: ${sentence} ${hint}${codeNote}`;
}
