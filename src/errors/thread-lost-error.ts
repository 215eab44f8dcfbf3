import { AppServerError } from "./app-server-error.js";

/**
 * Why a thread did not survive its app-server: `ephemeral` — it was started (or forked) with
 * `ephemeral: true`, so only the app-server that died had it, in memory; `notPersisted` — it had not run a
 * turn yet, and the app-server writes a thread down only with its first turn.
 *
 * @example
 * ```ts
 * const why: ThreadLostReason = err instanceof ThreadLostError ? err.reason : "ephemeral";
 * ```
 */
export type ThreadLostReason = "ephemeral" | "notPersisted";

/**
 * A thread handle cannot go on after its app-server was restarted: the thread was ephemeral, or had not run a
 * turn yet, so the app-server that died never wrote it down and the new one cannot resume it (`reason`).
 * Start a new thread.
 *
 * @example
 * ```ts
 * try {
 *   await scratch.run("go on");
 * } catch (err) {
 *   if (err instanceof ThreadLostError) scratch = await codex.threadStart({ ephemeral: true });
 * }
 * ```
 */
export class ThreadLostError extends AppServerError {
  override name = "ThreadLostError";
  /** The thread that is gone. */
  readonly threadId: string;
  /** Why it could not be resumed. */
  readonly reason: ThreadLostReason;

  /** @param options The thread that is gone, and why (default `"ephemeral"`). */
  constructor(options: ErrorOptions & { threadId: string; reason?: ThreadLostReason | undefined }) {
    const { threadId, reason = "ephemeral" } = options;
    const why =
      reason === "ephemeral"
        ? "was ephemeral, so it lived only in the app-server that died"
        : "had not run a turn yet, so the app-server that died had not written it down";
    super(
      `thread ${threadId} ${why}: the restarted app-server does not have it and it cannot be resumed. Start a new thread (codex.threadStart()).`,
      options,
    );
    this.threadId = threadId;
    this.reason = reason;
  }
}
