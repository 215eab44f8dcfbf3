import {
  AppServerRpcError,
  InternalRpcError,
  InvalidParamsError,
  InvalidRequestError,
  MethodNotFoundError,
  ParseError,
  RetryLimitExceededError,
  ServerBusyError,
} from "./app-server-rpc-error.js";
import { JsonRpcError, type JsonRpcErrorOptions, type RpcErrorContext } from "./json-rpc-error.js";
import { isServerOverloaded, mentionsRetryLimit } from "./server-overloaded.js";

/**
 * A JSON-RPC error object as on the wire.
 *
 * @example
 * ```ts
 * const wire: JsonRpcErrorObject = { code: -32001, message: "Server overloaded; retry later" };
 * mapJsonRpcError(wire) instanceof ServerBusyError; // true
 * ```
 */
export interface JsonRpcErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

const UNKNOWN_VARIANT = /^Invalid request: unknown variant `([^`]*)`, expected one of ([^]*)$/;
const BAD_PARAMS = [/^Invalid request: /, /^invalid [\w ]*\bid\b/i, /\bmust not be empty\b/];

const INVALID_REQUEST_HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^Not initialized/, "Send initialize, then the initialized notification, before any other request."],
  [/^Already initialized/, "initialize is answered once per connection; reuse the metadata of the first answer."],
  [
    /^thread not (found|loaded)/,
    "Check the thread id; a thread from another app-server process must be resumed (thread/resume) before use.",
  ],
  [/^no active turn/, "The turn has already ended, so there is nothing to act on; start a new turn instead."],
  [
    /^expected active turn id/,
    "The turn named is no longer the running one: act on the running turn (its id is in this message) or start a new turn.",
  ],
];

const HINTS = {
  parse: "The server could not parse the request: this is a bug in the client; please report it.",
  methodNotFound: "This app-server does not know the method: check its name, or use a codex version that has it.",
  invalidParams: "Check the params against the protocol schema of this method (codex-app-server/protocol).",
  internal: "The server failed while handling it; its stderr may say why.",
  busy: "The server is overloaded: retry after a short backoff (retryOnOverload does this).",
  retryLimit: "The server gave up after its own retries: wait longer before trying again.",
  invalidRequest: "The server refused the request in its current state.",
} as const;

/**
 * Turns a JSON-RPC error answer into the matching error class:
 * - `-32001`, or an overload marker in `data` → {@link ServerBusyError} ({@link RetryLimitExceededError} when the
 *   message speaks of a retry limit);
 * - `-32700` → {@link ParseError}; `-32601` → {@link MethodNotFoundError}; `-32602` → {@link InvalidParamsError};
 *   `-32603` → {@link InternalRpcError};
 * - `-32600`, which the real server uses for nearly everything, refined by its message:
 *   `Invalid request: unknown variant \`<the method>\`` → {@link MethodNotFoundError}; other
 *   `Invalid request: …` (missing field, invalid type, unknown enum value), `invalid thread id: …` and
 *   `… must not be empty` → {@link InvalidParamsError}; the rest ("Not initialized", "thread not found: …",
 *   "no active turn to interrupt", "expected active turn id …") → {@link InvalidRequestError};
 * - another `-32000`…`-32099` → {@link AppServerRpcError}; any other code → {@link JsonRpcError}.
 *
 * With `context`, the message names the method and thread id, and says what to do.
 *
 * @example
 * ```ts
 * const err = mapJsonRpcError({ code: -32600, message: "Invalid request: missing field `threadId`" }, { method: "thread/read" });
 * err instanceof InvalidParamsError; // true
 * ```
 */
export function mapJsonRpcError(error: JsonRpcErrorObject, context: RpcErrorContext = {}): JsonRpcError {
  const { code, message, data } = error;
  const options = (hint: string, shownMessage?: string): JsonRpcErrorOptions => ({
    method: context.method,
    params: context.params,
    hint: context.method === undefined ? undefined : hint,
    shownMessage,
  });
  if (isServerOverloaded(code, data)) {
    return mentionsRetryLimit(message)
      ? new RetryLimitExceededError(code, message, data, options(HINTS.retryLimit))
      : new ServerBusyError(code, message, data, options(HINTS.busy));
  }
  switch (code) {
    case -32700:
      return new ParseError(code, message, data, options(HINTS.parse));
    case -32600:
      return refineInvalidRequest(error, context, options);
    case -32601:
      return new MethodNotFoundError(code, message, data, options(HINTS.methodNotFound));
    case -32602:
      return new InvalidParamsError(code, message, data, options(HINTS.invalidParams));
    case -32603:
      return new InternalRpcError(code, message, data, options(HINTS.internal));
  }
  if (code <= -32000 && code >= -32099) {
    return mentionsRetryLimit(message)
      ? new RetryLimitExceededError(code, message, data, options(HINTS.retryLimit))
      : new AppServerRpcError(code, message, data, options(HINTS.internal));
  }
  return new JsonRpcError(code, message, data, options(HINTS.internal));
}

function refineInvalidRequest(
  { code, message, data }: JsonRpcErrorObject,
  context: RpcErrorContext,
  options: (hint: string, shownMessage?: string) => JsonRpcErrorOptions,
): JsonRpcError {
  const unknown = UNKNOWN_VARIANT.exec(message);
  if (unknown !== null) {
    const [, variant, expected = ""] = unknown;
    if (variant === context.method || expected.startsWith("`initialize`")) {
      const known = expected.split("`, `").length;
      const shown = `Invalid request: unknown variant \`${variant}\` (the server knows ${known} methods)`;
      return new MethodNotFoundError(code, message, data, options(HINTS.methodNotFound, shown));
    }
  }
  if (BAD_PARAMS.some((pattern) => pattern.test(message))) {
    return new InvalidParamsError(code, message, data, options(HINTS.invalidParams));
  }
  const hint = INVALID_REQUEST_HINTS.find(([pattern]) => pattern.test(message))?.[1] ?? HINTS.invalidRequest;
  return new InvalidRequestError(code, message, data, options(hint));
}
