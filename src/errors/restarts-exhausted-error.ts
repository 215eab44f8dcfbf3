import { TransportClosedError } from "./transport-closed-error.js";

/**
 * The app-server died (or would not start) and the client could not bring it up within its restart policy
 * (`restart.maxRestarts` attempts in a row failed). `causes` holds why, in order: the loss first, then each failed attempt's error;
 * `reason`, `exitCode`, `signal` and `stderrTail` are those of the last. After a loss the client is `failed`:
 * close it and create a new one once the cause is fixed; after a first start that never succeeded it is `idle`
 * again, and the next call tries afresh.
 *
 * @example
 * ```ts
 * try {
 *   await thread.run("go on");
 * } catch (err) {
 *   if (err instanceof RestartsExhaustedError) {
 *     for (const cause of err.causes) console.error(`- ${cause.message}`);
 *   }
 * }
 * ```
 */
export class RestartsExhaustedError extends TransportClosedError {
  override name = "RestartsExhaustedError";
  /** How many restart attempts were made. */
  readonly attempts: number;
  /** Why: the loss of the connection, then each attempt's error, in order. */
  readonly causes: readonly Error[];

  /**
   * @param options `causes`: the loss (or the failed first start), then each attempt's error; `attempts`: how
   *   many attempts were made; `firstStart`: whether the app-server never came up (the first start failed) — the
   *   client is then idle again, and the next call starts afresh.
   */
  constructor(options: { causes: readonly Error[]; attempts: number; firstStart?: boolean | undefined }) {
    const { causes, attempts, firstStart = false } = options;
    const last = causes.at(-1);
    const closed = last instanceof TransportClosedError ? last : undefined;
    const listed = causes
      .map(
        (cause, index) =>
          `${index === 0 ? (firstStart ? "start" : "lost") : `attempt ${index}`}: ${firstLine(cause.message)}`,
      )
      .join("; ");
    const next = firstStart
      ? "Fix the cause (err.causes); the next call starts the app-server again."
      : "The client has failed: fix the cause (err.causes), then create a new client.";
    super(
      `codex app-server could not be ${firstStart ? "started" : "restarted"}: ${attempts} attempt${attempts === 1 ? "" : "s"} failed (${listed}). ${next}`,
      {
        cause: last,
        reason: closed?.reason ?? "failed",
        exitCode: closed?.exitCode ?? null,
        signal: closed?.signal ?? null,
        stderrTail: closed?.stderrTail ?? "",
      },
    );
    this.attempts = attempts;
    this.causes = causes;
  }
}

function firstLine(message: string): string {
  const line = message.split("\n", 1)[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
