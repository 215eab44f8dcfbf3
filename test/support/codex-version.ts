import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { resolveCodexBinary } from "../../src/transport/binary.js";

let cached: string | undefined;

/**
 * The version of the codex binary the tests start (`1.2.3`): the pinned `@openai/codex`, or the one that
 * `CODEX_APP_SERVER_BIN` names (CI runs the end-to-end tests on the oldest supported codex that way). Read from
 * the binary's `--version`, so a test that compares it with what the app-server reports proves which binary ran.
 *
 * @example
 * ```ts
 * assert.equal(codex.metadata.serverInfo.version, testedCodexVersion());
 * ```
 */
export function testedCodexVersion(): string {
  if (cached !== undefined) return cached;
  const home = mkdtempSync("/var/tmp/codex-version-");
  try {
    const output = execFileSync(resolveCodexBinary(), ["--version"], {
      env: { ...process.env, HOME: home, CODEX_HOME: home },
      encoding: "utf8",
    });
    const version = /^codex-cli (\S+)$/m.exec(output)?.[1];
    if (version === undefined) throw new Error(`codex --version printed ${JSON.stringify(output)}`);
    return (cached = version);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * {@link testedCodexVersion} escaped for a regular expression.
 *
 * @example
 * ```ts
 * assert.match(stdout, new RegExp(`^Server: \\S+ ${testedCodexVersionPattern()}$`, "m"));
 * ```
 */
export function testedCodexVersionPattern(): string {
  return testedCodexVersion().replaceAll(".", "\\.");
}
