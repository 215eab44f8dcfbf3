import {
  AppServerRpcError,
  InternalRpcError,
  InvalidParamsError,
  InvalidRequestError,
  MethodNotFoundError,
  ParseError,
  RetryLimitExceededError,
  ServerBusyError,
} from "../errors/app-server-rpc-error.js";
import { JsonRpcError, type JsonRpcErrorOptions } from "../errors/json-rpc-error.js";
import { isServerOverloaded, mentionsRetryLimit } from "../errors/server-overloaded.js";
import type { JsonRpcErrorBody } from "../rpc/messages.js";
import type { JsonRpcPeer, PeerRequestOptions } from "../rpc/peer.js";

// The codex side of JSON-RPC errors. The peer (src/rpc) is protocol-agnostic: it rejects an error answer with a
// plain `JsonRpcError` (code, message, data). What a code and the real server's wording mean — which class, which
// hint — is codex's, and is decided here, in the client layer.

/** The call an error answered: its method and params, named in the error's message. */
type RpcErrorContext = Pick<JsonRpcErrorOptions, "method" | "params">;

const UNKNOWN_VARIANT = /^Invalid request: unknown variant `([^`]*)`, expected one of ([^]*)$/;
const BAD_PARAMS = [/^Invalid request: /, /^invalid [\w ]*\bid\b/i, /\bmust not be empty\b/];

const INVALID_REQUEST_HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^Not initialized/, "Send initialize, then the initialized notification, before any other request."],
  [/^Already initialized/, "initialize is answered once per connection; reuse the metadata of the first answer."],
  [
    /^thread not (found|loaded)/,
    "Check the thread id; a thread from another app-server process must be resumed (thread/resume) before use.",
  ],
  [
    /^goals feature is disabled/,
    'Goals are on by default (codex\'s "goals" feature); this app-server\'s config turns them off (features.goals = false): remove that, or start the client with configOverrides: ["features.goals=true"].',
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
 * Sends a request over `peer` and, when the app-server answers with an error, rejects with the codex error class
 * {@link mapJsonRpcError} picks (its message names the method and thread and says what to do). Every other
 * rejection (timeout, abort, closed connection) passes through unchanged.
 */
export function requestCodex<R>(
  peer: JsonRpcPeer,
  method: string,
  params?: unknown,
  options?: PeerRequestOptions,
): Promise<R> {
  return peer.request<R>(method, params, options).catch((error: unknown) => {
    throw toCodexError(error, method, params);
  });
}

/**
 * The codex error class for what a call was rejected with: a plain `JsonRpcError` from the peer is mapped by
 * {@link mapJsonRpcError}; anything else is returned as is.
 */
export function toCodexError(error: unknown, method: string, params?: unknown): unknown {
  if (!(error instanceof JsonRpcError) || error.constructor !== JsonRpcError) return error;
  return mapJsonRpcError({ code: error.code, message: error.rpcMessage, data: error.data }, { method, params });
}

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
 */
export function mapJsonRpcError(error: JsonRpcErrorBody, context: RpcErrorContext = {}): JsonRpcError {
  const { code, message, data } = error;
  const options = (hint: string, shownMessage?: string): JsonRpcErrorOptions => ({
    code,
    data,
    method: context.method,
    params: context.params,
    hint: context.method === undefined ? undefined : hint,
    shownMessage,
  });
  if (isServerOverloaded(code, data)) {
    return mentionsRetryLimit(message)
      ? new RetryLimitExceededError(message, options(HINTS.retryLimit))
      : new ServerBusyError(message, options(HINTS.busy));
  }
  switch (code) {
    case -32700:
      return new ParseError(message, options(HINTS.parse));
    case -32600:
      return refineInvalidRequest(error, context, options);
    case -32601:
      return new MethodNotFoundError(message, options(HINTS.methodNotFound));
    case -32602:
      return new InvalidParamsError(message, options(HINTS.invalidParams));
    case -32603:
      return new InternalRpcError(message, options(HINTS.internal));
  }
  if (code <= -32000 && code >= -32099) {
    return mentionsRetryLimit(message)
      ? new RetryLimitExceededError(message, options(HINTS.retryLimit))
      : new AppServerRpcError(message, options(HINTS.internal));
  }
  return new JsonRpcError(message, options(HINTS.internal));
}

function refineInvalidRequest(
  { message }: JsonRpcErrorBody,
  context: RpcErrorContext,
  options: (hint: string, shownMessage?: string) => JsonRpcErrorOptions,
): JsonRpcError {
  const unknown = UNKNOWN_VARIANT.exec(message);
  if (unknown !== null) {
    const [, variant, expected = ""] = unknown;
    if (variant === context.method || expected.startsWith("`initialize`")) {
      const known = expected.split("`, `").length;
      const shown = `Invalid request: unknown variant \`${variant}\` (the server knows ${known} methods)`;
      return new MethodNotFoundError(message, options(HINTS.methodNotFound, shown));
    }
  }
  if (BAD_PARAMS.some((pattern) => pattern.test(message))) {
    return new InvalidParamsError(message, options(HINTS.invalidParams));
  }
  const hint = INVALID_REQUEST_HINTS.find(([pattern]) => pattern.test(message))?.[1] ?? HINTS.invalidRequest;
  return new InvalidRequestError(message, options(hint));
}
