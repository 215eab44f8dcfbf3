import type { RequestId } from "./messages.js";

/** What a server-request handler gets besides the params. */
export interface ServerRequestContext {
  /** The server's id for this request. */
  readonly id: RequestId;
  readonly method: string;
  /** Aborted when the connection closes: the answer can no longer be delivered. */
  readonly signal: AbortSignal;
}

/**
 * Answers one server→client request (an approval, a user-input request, a token refresh): returns the result
 * (or a Promise of it). To answer with a JSON-RPC error, throw a `JsonRpcError`; any other throw becomes an
 * internal error (`-32603`) with its message.
 */
export type ServerRequestHandler<P = unknown, R = unknown> = (
  params: P,
  context: ServerRequestContext,
) => R | Promise<R>;

/**
 * Stops a subscription: call it, or let `using` dispose of it. What every `on()` returns.
 *
 * @example
 * ```ts
 * const off: Unsubscribe = codex.on("diagnostic", ({ data }) => console.warn(data.message));
 * off(); // or, in a block: using _ = codex.on(…);
 * ```
 */
export type Unsubscribe = (() => void) & Disposable;

/**
 * Wraps a function as an {@link Unsubscribe}.
 */
export function unsubscribe(stop: () => void): Unsubscribe {
  return Object.assign(stop, { [Symbol.dispose]: stop });
}
