import { JsonRpcError } from "./json-rpc-error.js";

/**
 * The base of the errors the app-server's JSON-RPC codes map to (`ParseError`, `InvalidRequestError`, …),
 * and the class of a server-defined code (`-32000` to `-32099`) that has no class of its own.
 *
 * @example
 * ```ts
 * if (err instanceof AppServerRpcError) console.error(`the app-server refused ${err.method}: ${err.rpcMessage}`);
 * ```
 */
export class AppServerRpcError extends JsonRpcError {
  override name = "AppServerRpcError";
}

/**
 * `-32700`: the server could not parse what it was sent. A bug on the client's side.
 *
 * @example
 * ```ts
 * if (err instanceof ParseError) console.error("a client bug: the server could not parse the request", err);
 * ```
 */
export class ParseError extends AppServerRpcError {
  override name = "ParseError";
}

/**
 * `-32600`: the server refused the request in its current state — not initialised yet, already initialised,
 * an unknown or unloaded thread, no active turn, a steer naming a turn that is not the running one.
 * (The real server also uses `-32600` for unknown methods and bad params; those map to
 * {@link MethodNotFoundError} and {@link InvalidParamsError}.)
 *
 * @example
 * ```ts
 * try {
 *   await handle.interrupt();
 * } catch (err) {
 *   if (!(err instanceof InvalidRequestError)) throw err; // e.g. "no active turn to interrupt": already over
 * }
 * ```
 */
export class InvalidRequestError extends AppServerRpcError {
  override name = "InvalidRequestError";
}

/**
 * `-32601`, or the real server's `-32600 "Invalid request: unknown variant \`<method>\`"`: this app-server
 * does not know the method.
 *
 * @example
 * ```ts
 * try {
 *   await codex.request("thread/goal/set", { threadId: thread.id, objective: "Ship 1.0" });
 * } catch (err) {
 *   if (err instanceof MethodNotFoundError) console.error("this codex is too old for goals");
 * }
 * ```
 */
export class MethodNotFoundError extends AppServerRpcError {
  override name = "MethodNotFoundError";
}

/**
 * `-32602`, or the real server's `-32600` for params it could not accept: a missing field, a value of the
 * wrong type, an unknown enum value, an id that is not a UUID, an empty input.
 *
 * @example
 * ```ts
 * try {
 *   await codex.request("thread/read", { threadId: "nope" });
 * } catch (err) {
 *   if (err instanceof InvalidParamsError) console.error(err.rpcMessage); // "invalid thread id: invalid character: …"
 * }
 * ```
 */
export class InvalidParamsError extends AppServerRpcError {
  override name = "InvalidParamsError";
}

/**
 * `-32603`: the server failed while handling the request.
 *
 * @example
 * ```ts
 * if (err instanceof InternalRpcError) console.error("codex failed internally:", err.rpcMessage);
 * ```
 */
export class InternalRpcError extends AppServerRpcError {
  override name = "InternalRpcError";
}

/**
 * `-32001` (`"Server overloaded; retry later."`), or an overload marker in the error's `data`: the server
 * refused the request because it is busy. Safe to retry after a backoff; {@link isRetryableError} says yes.
 *
 * @example
 * ```ts
 * const thread = await retryOnOverload(() => codex.threadStart());
 * ```
 */
export class ServerBusyError extends AppServerRpcError {
  override name = "ServerBusyError";
}

/**
 * An overload error whose message says the server has used up its own retries ("retry limit", "too many
 * failed attempts"). Still retryable, after a longer wait.
 *
 * @example
 * ```ts
 * if (err instanceof RetryLimitExceededError) await new Promise((resolve) => setTimeout(resolve, 10_000));
 * ```
 */
export class RetryLimitExceededError extends ServerBusyError {
  override name = "RetryLimitExceededError";
}
