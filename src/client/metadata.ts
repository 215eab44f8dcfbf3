import { ProtocolError } from "../errors/protocol-error.js";
import type { InitializeResponse as WireInitializeResponse } from "../schema/index.js";

/**
 * The name and version of the app-server, from its `userAgent`.
 *
 * @example
 * ```ts
 * await codex.start();
 * const { name, version }: ServerInfo = codex.metadata.serverInfo; // "codex_cli_rs", "0.169.0"
 * ```
 */
export interface ServerInfo {
  readonly name: string;
  readonly version: string;
}

/**
 * The `initialize` answer, plus `serverInfo` derived from `userAgent` (the server sends no `serverInfo`).
 * What `codex.metadata` holds once the client has started.
 *
 * @example
 * ```ts
 * await codex.start();
 * const { serverInfo, platformOs, codexHome }: AppServerMetadata = codex.metadata;
 * console.log(`${serverInfo.name} ${serverInfo.version} on ${platformOs}; CODEX_HOME is ${codexHome}`);
 * ```
 */
export type AppServerMetadata = WireInitializeResponse & { readonly serverInfo: ServerInfo };

/**
 * Builds the client's metadata from the `initialize` answer: `serverInfo.name` and `.version` are the
 * `userAgent` split at its first `/` (`"codex_cli_rs/0.169.0 (Linux…) …"` → `codex_cli_rs`, `0.169.0`).
 *
 * @throws {ProtocolError} when the answer has no usable `userAgent`.
 */
export function toMetadata(answer: WireInitializeResponse): AppServerMetadata {
  const userAgent = (answer as { userAgent?: unknown } | null)?.userAgent;
  if (typeof userAgent !== "string" || userAgent.trim() === "") {
    throw new ProtocolError(
      "the app-server's initialize answer has no userAgent, so its name and version are unknown: is codexBin a codex app-server?",
      { kind: "invalidResponse", method: "initialize" },
    );
  }
  const slash = userAgent.indexOf("/");
  const name = (slash < 0 ? userAgent : userAgent.slice(0, slash)).trim();
  const version = slash < 0 ? "" : (userAgent.slice(slash + 1).split(/\s/, 1)[0] ?? "");
  if (name === "" || version === "") {
    throw new ProtocolError(
      `the app-server's userAgent ${JSON.stringify(userAgent)} is not "name/version": its name and version are unknown.`,
      { kind: "invalidResponse", method: "initialize" },
    );
  }
  return { ...answer, serverInfo: { name, version } };
}
