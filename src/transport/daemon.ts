import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Where the codex daemon (`codex app-server daemon start`) of a `CODEX_HOME` listens:
 * `CODEX_HOME/app-server-control/app-server-control.sock` (a symlink to a short socket path under
 * `/tmp/codex-daemon-<uid>/`). `CODEX_HOME` is taken from `env`, then `process.env`, then `~/.codex`.
 *
 * @example
 * ```ts
 * daemonSocketPath({ CODEX_HOME: "/var/tmp/codex-home" });
 * // "/var/tmp/codex-home/app-server-control/app-server-control.sock"
 * ```
 */
export function daemonSocketPath(env?: Readonly<Record<string, string | undefined>>): string {
  return join(codexHomeOf(env), "app-server-control", "app-server-control.sock");
}

/**
 * The `CODEX_HOME` codex would use with `env` merged over this process's environment.
 */
export function codexHomeOf(env?: Readonly<Record<string, string | undefined>>): string {
  const fromEnv = env !== undefined && "CODEX_HOME" in env ? env.CODEX_HOME : process.env.CODEX_HOME;
  return fromEnv !== undefined && fromEnv !== "" ? fromEnv : join(homedir(), ".codex");
}
