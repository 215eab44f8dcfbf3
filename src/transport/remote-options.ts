import { readFileSync } from "node:fs";
import { InvalidInputError } from "../errors/invalid-input-error.js";
import { rememberSecrets } from "../errors/redact.js";
import { signBearerToken, type BearerTokenOptions } from "./bearer-token.js";

/**
 * A listening app-server to connect to, with its credentials and bounds — the object form of
 * `AppServerConfig.connect`. Give at most one of `token`, `tokenFile` and `bearer`; none for a server without
 * `--ws-auth` (a loopback listener, a unix socket, the daemon).
 *
 * @example
 * ```ts
 * const remote: RemoteAppServer = { url: "ws://127.0.0.1:4500", tokenFile: "/run/codex/token" };
 * const codex = new AsyncCodex({ connect: remote });
 * ```
 */
export interface RemoteAppServer {
  /** `ws://HOST:PORT[/PATH]`, `wss://…`, `unix:///ABS/PATH`, or `"daemon"`. */
  url: string;
  /** A capability token (`--ws-auth capability-token`), sent as `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** A file holding the capability token (read at each connect, whitespace trimmed, as the server reads its own). */
  tokenFile?: string | undefined;
  /** Sign an HS256 JWT at each connect, for a server started with `--ws-auth signed-bearer-token`. */
  bearer?: BearerTokenOptions | undefined;
  /** How long the connection (TCP + WebSocket upgrade) may take. Default 10 000 ms. */
  handshakeTimeoutMs?: number | undefined;
  /**
   * The largest message accepted from the server, in bytes. A bigger one ends the connection (close code 1009)
   * with an error that says so. Default 64 MiB, as `maxLineBytes` over stdio.
   */
  maxMessageBytes?: number | undefined;
}

const SECRET_KEYS = ["token", "tokenFile", "bearer"] as const;

/**
 * Checks the shape of a `connect` object, never quoting a credential.
 *
 * @throws {InvalidInputError} naming the wrong field.
 */
export function checkRemoteAppServer(remote: RemoteAppServer): void {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checked at run time too: callers may be plain JavaScript or pass what the types forbid
  if (remote === null || typeof remote !== "object") {
    throw new InvalidInputError("`connect` must be a URL string or an object { url, token | tokenFile | bearer }.");
  }
  if (typeof remote.url !== "string")
    throw new InvalidInputError('`connect.url` must be a string such as "ws://127.0.0.1:4500".');
  const given = SECRET_KEYS.filter((key) => remote[key] !== undefined);
  if (given.length > 1) {
    throw new InvalidInputError(
      `\`connect\` has ${given.map((key) => `\`${key}\``).join(" and ")}: give only one way to authenticate.`,
    );
  }
  if (remote.token !== undefined && (typeof remote.token !== "string" || remote.token.trim() === "")) {
    throw new InvalidInputError("`connect.token` must be a non-empty string (its value is not shown).");
  }
  if (remote.tokenFile !== undefined && (typeof remote.tokenFile !== "string" || remote.tokenFile === "")) {
    throw new InvalidInputError("`connect.tokenFile` must be the path of a file holding the token.");
  }
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checked at run time too: callers may be plain JavaScript or pass what the types forbid
  if (remote.bearer !== undefined && (remote.bearer === null || typeof remote.bearer !== "object")) {
    throw new InvalidInputError("`connect.bearer` must be { secret, issuer?, audience?, expiresInS? }.");
  }
  for (const key of ["handshakeTimeoutMs", "maxMessageBytes"] as const) {
    const value = remote[key];
    if (value !== undefined && (typeof value !== "number" || !(value > 0))) {
      throw new InvalidInputError(`\`connect.${key}\` must be a positive number, got ${String(value)}.`);
    }
  }
}

/**
 * The `Authorization` header value for `remote`, or `undefined` when it has no credentials. A token file is
 * read now; a bearer token is signed now (so a redial gets a fresh one).
 *
 * @throws {InvalidInputError} when the token file cannot be read or is empty (its path is named, never its content).
 */
export function authorizationFor(remote: RemoteAppServer): string | undefined {
  const token = capabilityTokenOf(remote);
  // Every layer's redaction (errors, diagnostics, the trace file, snapshots) hides the credentials from now on.
  // A signed bearer token is new at each dial and is a JSON Web Token, which redaction knows by its shape: only
  // its shared secret is remembered.
  if (token !== undefined) rememberSecrets([token]);
  if (remote.bearer === undefined) return token === undefined ? undefined : `Bearer ${token}`;
  if (typeof remote.bearer.secret === "string") rememberSecrets([remote.bearer.secret.trim()]);
  return `Bearer ${signBearerToken(remote.bearer)}`;
}

/** The capability token of `token` or `tokenFile` (read now), if any. */
function capabilityTokenOf(remote: RemoteAppServer): string | undefined {
  if (remote.token !== undefined) return remote.token.trim();
  if (remote.tokenFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(remote.tokenFile, "utf8");
    } catch (error) {
      throw new InvalidInputError(
        `Cannot read \`connect.tokenFile\` ${JSON.stringify(remote.tokenFile)} (${(error as NodeJS.ErrnoException).code ?? "error"}): point it at the file the server was given with --ws-token-file.`,
        { cause: error },
      );
    }
    const token = text.trim();
    if (token === "") {
      throw new InvalidInputError(
        `\`connect.tokenFile\` ${JSON.stringify(remote.tokenFile)} is empty: it must hold the capability token.`,
      );
    }
    return token;
  }
  return undefined;
}
