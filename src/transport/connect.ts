import { ConnectError } from "../errors/connect-error.js";
import { InvalidInputError } from "../errors/invalid-input-error.js";
import { codexHomeOf, daemonSocketPath } from "./daemon.js";
import { parseEndpoint } from "./endpoint.js";
import { checkRemoteAppServer, type RemoteAppServer } from "./remote-options.js";
import { WebSocketTransport } from "./websocket-transport.js";

/**
 * Where to find a listening app-server: `"ws://HOST:PORT"`, `"unix:///ABS/PATH"`, `"daemon"`, or the object
 * form with credentials and bounds. The value of `AppServerConfig.connect`.
 *
 * @example
 * ```ts
 * const where: ConnectTarget = { url: "ws://10.0.0.5:4500", bearer: { secret, issuer: "ci", audience: "codex" } };
 * ```
 */
export type ConnectTarget = string | RemoteAppServer;

/**
 * Checks a `connect` value without dialling, never quoting a credential.
 *
 * @throws {InvalidInputError} naming what is wrong.
 */
export function checkConnectTarget(target: ConnectTarget): void {
  if (typeof target === "string") {
    parseEndpoint(target);
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checked at run time too: callers may be plain JavaScript or pass what the types forbid
  if (target === null || typeof target !== "object") {
    throw new InvalidInputError(
      '`connect` must be a URL string (ws://, unix://, "daemon") or { url, token | tokenFile | bearer }.',
    );
  }
  checkRemoteAppServer(target);
  parseEndpoint(target.url);
}

/**
 * Connects to a listening app-server: a WebSocket for `ws://`/`wss://`, WebSocket over the socket for `unix://`,
 * and for `"daemon"` the control socket of the codex daemon of `env.CODEX_HOME` (or this process's, or
 * `~/.codex`).
 *
 * @throws {InvalidInputError} for a bad `connect` value.
 * @throws {ConnectError} when nothing answers there (for the daemon: none runs), or it refuses the connection.
 */
export async function connectTransport(
  target: ConnectTarget,
  options: { signal?: AbortSignal | undefined; env?: Readonly<Record<string, string | undefined>> | undefined } = {},
): Promise<WebSocketTransport> {
  checkConnectTarget(target);
  const remote: RemoteAppServer = typeof target === "string" ? { url: target } : target;
  if (remote.url !== "daemon") return WebSocketTransport.connect({ ...remote, signal: options.signal });
  const path = daemonSocketPath(options.env);
  try {
    return await WebSocketTransport.connect({ ...remote, url: `unix://${path}`, signal: options.signal });
  } catch (error) {
    if (error instanceof ConnectError && error.failure === "unreachable") {
      throw new ConnectError(
        `No codex daemon runs for CODEX_HOME ${codexHomeOf(options.env)} (nothing answers on ${path}): start one with \`codex app-server daemon start\` (with the same CODEX_HOME), or connect another way.`,
        { failure: "unreachable", endpoint: error.endpoint, cause: error },
      );
    }
    throw error;
  }
}
