import { accessSync, constants, existsSync, realpathSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, dirname, isAbsolute, join, resolve, sep } from "node:path";
import { BinaryNotFoundError } from "../errors/binary-not-found-error.js";

const PLATFORM_TARGETS: Record<string, { pkg: string; triple: string }> = {
  "linux-x64": { pkg: "@openai/codex-linux-x64", triple: "x86_64-unknown-linux-musl" },
  "linux-arm64": { pkg: "@openai/codex-linux-arm64", triple: "aarch64-unknown-linux-musl" },
  "darwin-x64": { pkg: "@openai/codex-darwin-x64", triple: "x86_64-apple-darwin" },
  "darwin-arm64": { pkg: "@openai/codex-darwin-arm64", triple: "aarch64-apple-darwin" },
  "win32-x64": { pkg: "@openai/codex-win32-x64", triple: "x86_64-pc-windows-msvc" },
  "win32-arm64": { pkg: "@openai/codex-win32-arm64", triple: "aarch64-pc-windows-msvc" },
};

/**
 * Options of {@link resolveCodexBinary}.
 *
 * @example
 * ```ts
 * const bin = resolveCodexBinary({ codexBin: process.env.CODEX_BIN, from: process.cwd() });
 * ```
 */
export interface ResolveCodexBinaryOptions {
  /**
   * An explicit `codex` executable; it must exist and be executable. A path with a folder in it (absolute, or
   * relative to this process's working directory, never the app-server's `cwd`) or a bare name looked up on
   * this process's `PATH` (never in the current directory); either way symlinks are resolved, and the real
   * absolute path is what runs.
   */
  codexBin?: string | undefined;
  /** Where to resolve `@openai/codex` from (a file or folder path); defaults to this package's location. */
  from?: string | undefined;
}

/**
 * The environment variable naming the codex executable to start when `codexBin` is not given. CI sets it to run
 * the end-to-end tests against the oldest supported codex (`npm run test:e2e:oldest`).
 */
const CODEX_BIN_ENV = "CODEX_APP_SERVER_BIN";

/**
 * Finds the `codex` executable to start, as a real absolute path: `codexBin` when given (it must exist; a
 * relative path is resolved against this process's working directory, a bare name on `PATH` only, symlinks
 * to their target), else — unless `from` is given — the path in the `CODEX_APP_SERVER_BIN` environment
 * variable when set (the same way), else the native binary of the
 * installed `@openai/codex` platform package (one process less and ~40 ms faster to start than the npm
 * wrapper), else the wrapper script `@openai/codex/bin/codex.js`.
 *
 * @throws {BinaryNotFoundError} when `codexBin` (or `CODEX_APP_SERVER_BIN`) names no executable, or
 * `@openai/codex` is not installed.
 * @example
 * ```ts
 * const bin = resolveCodexBinary();             // the pinned @openai/codex binary
 * const mine = resolveCodexBinary({ codexBin: "/usr/local/bin/codex" });
 * ```
 */
export function resolveCodexBinary(options: ResolveCodexBinaryOptions = {}): string {
  if (options.codexBin !== undefined) return checkExecutable(options.codexBin, "codexBin");
  const fromEnv = options.from === undefined ? process.env[CODEX_BIN_ENV] : undefined;
  if (fromEnv !== undefined && fromEnv !== "")
    return checkExecutable(fromEnv, `the ${CODEX_BIN_ENV} environment variable`);
  const require = createRequire(options.from ?? import.meta.url);
  const target = PLATFORM_TARGETS[`${process.platform}-${process.arch}`];
  if (target !== undefined) {
    try {
      const root = dirname(require.resolve(`${target.pkg}/package.json`));
      const exe = join(root, "vendor", target.triple, "bin", process.platform === "win32" ? "codex.exe" : "codex");
      if (existsSync(exe)) return exe;
    } catch {
      // fall through to the npm wrapper
    }
  }
  try {
    return require.resolve("@openai/codex/bin/codex.js");
  } catch (cause) {
    throw new BinaryNotFoundError(
      "No codex binary found: install it with `npm install @openai/codex`, or set codexBin to the path of a codex executable.",
      { cause },
    );
  }
}

/** The real absolute path of a codex executable the user named (`source` says where: `codexBin`, the variable). */
function checkExecutable(given: string, source: string): string {
  const hasFolder = given.includes("/") || given.includes(sep);
  const candidate = hasFolder ? resolve(given) : findOnPath(given);
  if (candidate === undefined) {
    throw new BinaryNotFoundError(
      `${source} names ${JSON.stringify(given)}, a bare name that is not on PATH (it is never looked for in the current directory): give an absolute path, a path with a folder (./bin/codex), or put it on PATH.`,
      { path: given },
    );
  }
  const shown = candidate === given ? JSON.stringify(given) : `${JSON.stringify(given)} (${candidate})`;
  if (!existsSync(candidate)) {
    throw new BinaryNotFoundError(
      `${source} names ${shown}, which does not exist: point it at a codex executable, or leave it unset to use the installed @openai/codex package.`,
      { path: candidate },
    );
  }
  const real = realpathSync(candidate);
  try {
    if (!statSync(real).isFile()) throw new Error(`${real} is not a file`);
    accessSync(real, constants.X_OK);
  } catch (cause) {
    throw new BinaryNotFoundError(
      `${source} names ${shown}${real === candidate ? "" : ` → ${real}`}, which is not an executable file: check the path and its permissions (chmod +x).`,
      { path: real, cause },
    );
  }
  return real;
}

/** A bare program name on this process's PATH; relative PATH entries (`.`, empty) are skipped: they mean the current directory. */
function findOnPath(name: string): string | undefined {
  const names = process.platform === "win32" ? [name, `${name}.exe`, `${name}.cmd`] : [name];
  for (const folder of (process.env.PATH ?? "").split(delimiter)) {
    if (folder === "" || !isAbsolute(folder)) continue;
    for (const file of names) {
      const path = join(folder, file);
      try {
        if (statSync(path).isFile()) {
          accessSync(path, constants.X_OK);
          return path;
        }
      } catch {
        // not here
      }
    }
  }
  return undefined;
}
