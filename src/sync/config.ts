import { checkConfig, type AppServerConfig } from "../client/config.js";
import { checkTimeout } from "../errors/check-timeout.js";
import { InvalidInputError } from "../errors/invalid-input-error.js";

/** The options of {@link AppServerConfig} that are functions living in the worker, which a sync client cannot take. */
const WORKER_FUNCTIONS = ["transport", "trace", "inspect", "onStderr"] as const;

/**
 * How the synchronous {@link Codex} starts and talks to the app-server: {@link AppServerConfig} without the
 * options that call back into the client's internals from its worker thread (`transport`, `trace`,
 * `inspect`, `onStderr`: use `AsyncCodex` for those), plus `turnTimeoutMs`. Diagnostics: `codex.on("diagnostic", …)`.
 *
 * `approvalHandler` runs on the caller's own thread, while one of the client's calls waits. It must answer
 * synchronously: a handler that returns a Promise is declined (fail closed).
 *
 * @example
 * ```ts
 * const codex = new Codex({
 *   cwd: "/repo",
 *   requestTimeoutMs: 60_000,
 *   approvalHandler: allowCommands(["git status", "ls"]),
 * });
 * ```
 */
export interface CodexConfig extends Omit<AppServerConfig, (typeof WORKER_FUNCTIONS)[number]> {
  /**
   * How long `run()` and `stream()` (of a turn or a thread) may block at most, unless the call gives its own
   * `timeoutMs`: past it they throw a `TimeoutError` and the turn goes on (interrupt it if you wish). A sync
   * call never blocks for ever. Default 3 600 000 ms (1 hour).
   */
  turnTimeoutMs?: number | undefined;
}

/**
 * Checks a {@link CodexConfig} before anything is started.
 *
 * @throws {InvalidInputError} naming the first wrong option, or an option the sync client cannot take.
 */
export function checkCodexConfig(config: CodexConfig): CodexConfig {
  checkConfig(config);
  if ((config as { onDiagnostic?: unknown }).onDiagnostic !== undefined) {
    throw new InvalidInputError(
      '`onDiagnostic` is no longer an option: listen with codex.on("diagnostic", ({ data }) => …) instead.',
    );
  }
  for (const key of WORKER_FUNCTIONS) {
    if ((config as Record<string, unknown>)[key] !== undefined) {
      throw new InvalidInputError(
        `\`${key}\` is not supported by the synchronous Codex: its worker thread cannot call a function of yours. Use AsyncCodex for \`${key}\`.`,
      );
    }
  }
  if (config.turnTimeoutMs !== undefined) checkTimeout(config.turnTimeoutMs, "turnTimeoutMs");
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checked at run time too: callers may be plain JavaScript or pass what the types forbid
  if (typeof config.retry === "object" && config.retry !== null) {
    for (const [key, value] of Object.entries(config.retry)) {
      if (typeof value === "function") {
        throw new InvalidInputError(
          `\`retry.${key}\` is not supported by the synchronous Codex: its worker thread cannot call a function of yours. Leave it out, or use AsyncCodex.`,
        );
      }
    }
  }
  return config;
}
