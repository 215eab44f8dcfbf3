import { InvalidInputError } from "../errors/invalid-input-error.js";
import { resolveCodexBinary } from "./binary.js";

/** The launch fields of `AppServerConfig`. */
export interface AppServerArgvOptions {
  /** A `codex` executable; default: the installed `@openai/codex` (native binary first). */
  codexBin?: string | undefined;
  /** The whole command line, program first, used verbatim (`codexBin` and `configOverrides` are then ignored). */
  launchArgsOverride?: readonly string[] | undefined;
  /** Config entries (`key=value`, values in TOML), each passed as `--config <entry>` before `app-server`. */
  configOverrides?: readonly string[] | undefined;
}

/**
 * The command line that starts the app-server on stdio:
 * `[codex, --config k=v …, app-server, --listen, stdio://]`, or `launchArgsOverride` as given. When the
 * binary found is the npm wrapper script (`.js`), it is run by this Node (`process.execPath`).
 *
 * @throws {BinaryNotFoundError} when no codex binary can be found.
 */
export function appServerArgv(options: AppServerArgvOptions = {}): string[] {
  if (options.launchArgsOverride !== undefined) {
    if (options.launchArgsOverride.length === 0) {
      throw new InvalidInputError("`launchArgsOverride` is empty: give the program to run first, then its arguments.");
    }
    return [...options.launchArgsOverride];
  }
  const bin = resolveCodexBinary({ codexBin: options.codexBin });
  const args = [
    ...(options.configOverrides ?? []).flatMap((entry) => ["--config", entry]),
    "app-server",
    "--listen",
    "stdio://",
  ];
  return /\.[cm]?js$/.test(bin) ? [process.execPath, bin, ...args] : [bin, ...args];
}
