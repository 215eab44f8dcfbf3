import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveCodexBinary } from "../../src/transport/binary.js";

/** The npm alias of the oldest supported codex (a dev dependency, `npm:@openai/codex@…`). */
export const OLDEST_ALIAS = "codex-oldest";

/** A codex executable and the version it reports. */
export interface CodexBinary {
  readonly path: string;
  /** What `codex --version` prints, e.g. `codex-cli 0.169.0`. */
  readonly version: string;
}

/**
 * The native binary of the `codex-oldest` alias, resolved from inside the alias (npm installs its platform
 * package under `node_modules/codex-oldest/node_modules/`), and checked to report the version the alias names:
 * a fallback to the newest codex would otherwise go unnoticed.
 *
 * @throws {Error} when the alias is not installed or its binary reports another version.
 * @example
 * ```ts
 * const { path, version } = oldestCodex(ROOT); // …/codex-oldest/node_modules/@openai/codex-linux-x64/…, "codex-cli 0.169.0"
 * ```
 */
export function oldestCodex(root: string): CodexBinary {
  const manifest = createRequire(join(root, "package.json")).resolve(`${OLDEST_ALIAS}/package.json`);
  const expected = (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
  const path = resolveCodexBinary({ from: manifest });
  const version = codexVersion(path);
  if (version !== `codex-cli ${expected}`) {
    throw new Error(
      `${OLDEST_ALIAS} is ${expected}, but the binary found for it (${path}) says ${version}: run npm ci`,
    );
  }
  return { path, version };
}

/**
 * What `codex --version` prints, run with a throw-away `HOME`/`CODEX_HOME`.
 *
 * @example
 * ```ts
 * codexVersion(resolveCodexBinary()); // "codex-cli 0.171.0"
 * ```
 */
export function codexVersion(codex: string): string {
  const home = mkdtempSync(join(existsSync("/var/tmp") ? "/var/tmp" : tmpdir(), "codex-version-"));
  try {
    return execFileSync(codex, ["--version"], {
      env: { ...process.env, HOME: home, CODEX_HOME: home },
      encoding: "utf8",
    }).trim();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
