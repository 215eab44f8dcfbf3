import { resolveCodexBinary } from "../transport/binary.js";

/**
 * Options of {@link appServerCommand}.
 *
 * @example
 * ```ts
 * const { command, args } = appServerCommand({ codexBin: "/opt/codex/bin/codex", extraArgs: ["-c", 'model="o3"'] });
 * ```
 */
export interface AppServerCommandOptions {
  /** A `codex` executable (or the npm wrapper `codex.js`); default: the installed `@openai/codex`, native binary first. */
  codexBin?: string;
  /** The `--listen` URL. Default `stdio://`. */
  listen?: string;
  /** More arguments after `app-server`, e.g. `["-c", "model=\"other\""]`. */
  extraArgs?: readonly string[];
}

/**
 * A program and its arguments, ready for `child_process.spawn`.
 *
 * @example
 * ```ts
 * const { command, args }: AppServerCommand = offline.command;
 * const child = spawn(command, args, { env: offline.env, cwd: offline.cwd, stdio: ["pipe", "pipe", "pipe"] });
 * ```
 */
export interface AppServerCommand {
  command: string;
  args: string[];
}

/**
 * The command that starts `codex app-server`. When the binary is the npm wrapper script (`.js`), it runs
 * under the current Node (`process.execPath`), since the wrapper is not executable on every platform.
 *
 * @example
 * ```ts
 * const { command, args } = appServerCommand();
 * const child = spawn(command, args, { env: home.env, cwd: workdir, stdio: ["pipe", "pipe", "pipe"] });
 * ```
 */
export function appServerCommand(options: AppServerCommandOptions = {}): AppServerCommand {
  const bin = resolveCodexBinary({ codexBin: options.codexBin });
  const args = ["app-server", "--listen", options.listen ?? "stdio://", ...(options.extraArgs ?? [])];
  return /\.[cm]?js$/.test(bin) ? { command: process.execPath, args: [bin, ...args] } : { command: bin, args };
}
