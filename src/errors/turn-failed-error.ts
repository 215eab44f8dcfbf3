import { redactSecrets } from "./redact.js";
import type { Turn } from "../schema/index.js";
import { AppServerError } from "./app-server-error.js";

/**
 * A turn ended with status `failed` (the model provider failed, the context window overflowed, …).
 * `thread.run()` rejects with it; it carries the failed turn and the server's message.
 *
 * @example
 * ```ts
 * try {
 *   await thread.run("hello");
 * } catch (err) {
 *   if (err instanceof TurnFailedError) console.error(err.turn.id, err.turn.error?.message);
 * }
 * ```
 */
export class TurnFailedError extends AppServerError {
  override name = "TurnFailedError";
  /** The failed turn, as the server reported it (its error message with secrets redacted). */
  readonly turn: Turn;
  readonly threadId: string;

  /** @param options The thread, and the failed turn as the server reported it. */
  constructor(options: ErrorOptions & { threadId: string; turn: Turn }) {
    const { threadId, turn } = options;
    const reason = turn.error?.message ?? "the server gave no reason";
    super(`turn ${turn.id} on thread ${threadId} failed: ${reason}`, options);
    this.turn =
      turn.error === null || turn.error === undefined
        ? turn
        : { ...turn, error: { ...turn.error, message: redactSecrets(turn.error.message) } };
    this.threadId = threadId;
  }
}
