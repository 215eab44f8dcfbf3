import type { TransportCloseInfo } from "../errors/transport-closed-error.js";
import type { TransportDiagnostic } from "./diagnostic.js";

/**
 * One message as received: a parsed JSON object. Shapes are checked by the layers above.
 *
 * @example
 * ```ts
 * const message: TransportMessage = JSON.parse('{"method":"thread/started","params":{}}');
 * listener.message(message);
 * ```
 */
export type TransportMessage = { readonly [key: string]: unknown };

export type { TransportCloseInfo };

/**
 * Receives what a {@link Transport} reads, in order.
 *
 * @example
 * ```ts
 * const listener: TransportListener = {
 *   message: (message) => console.log("<-", message),
 *   diagnostic: (diagnostic) => console.warn(diagnostic.message),
 *   close: (info) => console.log("closed:", info.reason),
 * };
 * transport.listen(listener);
 * ```
 */
export interface TransportListener {
  /** A message arrived. Called synchronously from the read loop: do not block. */
  message(message: TransportMessage): void;
  /** Something arrived that is not a message (a malformed or oversized line); the connection goes on. */
  diagnostic(diagnostic: TransportDiagnostic): void;
  /** The connection ended; called once, after the last message. */
  close(info: TransportCloseInfo): void;
}

/**
 * A duplex of JSON-RPC messages to and from an app-server, whatever carries them (a child process's stdio,
 * a WebSocket, a unix socket, a pair of streams). The layers above see only this interface; what
 * `AppServerConfig.transport` returns.
 *
 * @example
 * ```ts
 * const socket = net.connect("/run/codex.sock");
 * const transport: Transport = new StreamTransport({ input: socket, output: socket });
 * transport.listen({
 *   message: (message) => console.log("<-", message),
 *   diagnostic: (diagnostic) => console.warn(diagnostic.message),
 *   close: (info) => console.log("closed:", info.reason, info.exitCode),
 * });
 * transport.send({ id: 1, method: "initialize", params: { clientInfo: { name: "me", title: "Me", version: "1" } } });
 * ```
 */
export interface Transport extends AsyncDisposable {
  /** Starts delivering to `listener`; call it once. Nothing is read before. */
  listen(listener: TransportListener): void;
  /**
   * Sends one message. Never blocks; writes issued in the same tick go out together.
   * @throws {TransportClosedError} once the transport is closed or closing.
   */
  send(message: object): void;
  /** Closes the connection (for a process: ends stdin, then escalates to signals). Idempotent. */
  close(): Promise<TransportCloseInfo>;
  /** How the connection ended, once it has. */
  readonly closeInfo: TransportCloseInfo | undefined;
}
