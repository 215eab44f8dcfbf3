import { isAbsolute } from "node:path";
import { InvalidInputError } from "../errors/invalid-input-error.js";

/**
 * Where a listening app-server is: a WebSocket URL, a unix socket (WebSocket over the socket), or the local
 * codex daemon's control socket. `label` is how errors and traces name it: never a token, no user info, no
 * query string.
 */
export type Endpoint =
  | { readonly kind: "websocket"; readonly url: URL; readonly label: string }
  | { readonly kind: "unix"; readonly path: string; readonly label: string }
  | { readonly kind: "daemon"; readonly label: "daemon" };

const USAGE = 'Use "ws://HOST:PORT" (or wss://), "unix:///ABSOLUTE/PATH", or "daemon".';

/**
 * Parses the `connect` URL of a listening app-server: `ws://HOST:PORT[/PATH]`, `wss://…`, `unix:///ABS/PATH`
 * or `"daemon"`. A value that is not one of these is refused without being quoted (it may hold a secret).
 *
 * @throws {InvalidInputError} for another scheme, a relative socket path, or a URL with user info.
 */
export function parseEndpoint(value: string): Endpoint {
  if (typeof value !== "string" || value.trim() === "") {
    throw new InvalidInputError(`\`connect\` must be a non-empty string or { url, … }. ${USAGE}`);
  }
  if (value === "daemon") return { kind: "daemon", label: "daemon" };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidInputError(`\`connect\` is not a URL (its value is not shown: it may hold a secret). ${USAGE}`);
  }
  if (url.protocol === "unix:") {
    const path = decodeURIComponent(url.pathname);
    if (url.host !== "" || !isAbsolute(path)) {
      throw new InvalidInputError(
        `\`connect\` names a unix socket without an absolute path: write three slashes, as in unix:///var/run/codex.sock.`,
      );
    }
    return { kind: "unix", path, label: `unix://${path}` };
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw new InvalidInputError(
      `\`connect\` has the scheme ${JSON.stringify(url.protocol)}, which codex app-server does not listen on. ${USAGE}`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new InvalidInputError(
      `\`connect\` carries user info in the URL (not shown): codex app-server reads its token only from the Authorization header. Pass it as \`token\`, \`tokenFile\` or \`bearer\` instead.`,
    );
  }
  return { kind: "websocket", url, label: `${url.protocol}//${url.host}${url.pathname === "/" ? "" : url.pathname}` };
}
