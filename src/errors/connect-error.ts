import { AppServerError } from "./app-server-error.js";

/**
 * Why a connection to a listening app-server could not be opened:
 * - `"unreachable"`: nothing listens there (refused, no such socket file, unknown host, no daemon);
 * - `"unauthorized"`: the server refused the token (HTTP 401), or it wants one and none was given;
 * - `"forbidden"`: the server refused the upgrade for another reason (HTTP 403: e.g. an `Origin` header);
 * - `"rejected"`: the server answered the upgrade with some other HTTP status (not a codex app-server?);
 * - `"closed"`: the server closed the connection during the WebSocket handshake;
 * - `"timeout"`: the handshake took longer than `handshakeTimeoutMs`.
 *
 * @example
 * ```ts
 * const failure: ConnectFailure = "unauthorized";
 * if (err instanceof ConnectError && err.failure === failure) console.error("check the token");
 * ```
 */
export type ConnectFailure = "unreachable" | "unauthorized" | "forbidden" | "rejected" | "closed" | "timeout";

/**
 * A listening app-server (WebSocket, unix socket, or the codex daemon) could not be reached or refused the
 * connection. The message names the endpoint — never the token — and says what to do; `failure` says which
 * case it is, `httpStatus` carries the HTTP status of a refused upgrade. Nothing was sent to the server.
 *
 * @example
 * ```ts
 * try {
 *   await using codex = new AsyncCodex({ connect: { url: "ws://127.0.0.1:4500", tokenFile: "/run/codex/token" } });
 *   await codex.start();
 * } catch (err) {
 *   if (err instanceof ConnectError && err.failure === "unauthorized") console.error(err.message, err.endpoint);
 * }
 * ```
 */
export class ConnectError extends AppServerError {
  override name = "ConnectError";
  /** Which case it is. */
  readonly failure: ConnectFailure;
  /** The endpoint, as safe to print: `ws://host:port/path` (no user info, no query) or `unix:///path`. */
  readonly endpoint: string;
  /** The HTTP status of a refused upgrade (401, 403, …). */
  readonly httpStatus: number | undefined;

  constructor(
    message: string,
    options: ErrorOptions & { failure: ConnectFailure; endpoint: string; httpStatus?: number | undefined },
  ) {
    super(message, options);
    this.failure = options.failure;
    this.endpoint = options.endpoint;
    this.httpStatus = options.httpStatus;
  }
}
