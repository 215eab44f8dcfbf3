import { AppServerError } from "./app-server-error.js";

/**
 * The `codex` binary could not be found: `codexBin` names a file that does not exist, or no `codexBin` was
 * given and the `@openai/codex` package (with its platform binary) is not installed.
 *
 * @example
 * ```ts
 * try {
 *   await new AsyncCodex({ codexBin: "/opt/codex/bin/codex" }).start();
 * } catch (err) {
 *   if (err instanceof BinaryNotFoundError) console.error(`no codex at ${err.path ?? "(not installed)"}`);
 * }
 * ```
 */
export class BinaryNotFoundError extends AppServerError {
  override name = "BinaryNotFoundError";

  /** The path that was tried, when the user named one. */
  readonly path: string | undefined;

  constructor(message: string, options?: ErrorOptions & { path?: string }) {
    super(message, options);
    this.path = options?.path;
  }
}
