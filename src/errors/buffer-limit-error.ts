import { AppServerError } from "./app-server-error.js";

/**
 * A bound the client keeps on what it holds in memory was reached, and something a call needed was dropped.
 * Nothing went wrong on the server's side, and it goes on: the client lost track. `limit` names the option
 * to raise. Today's one case: a turn whose notifications were held past `maxPendingTurns` while its
 * `turn/start` answer was on its way — its outcome is unknown to the client; read the thread to learn it.
 *
 * @example
 * ```ts
 * try {
 *   await thread.run("hello");
 * } catch (err) {
 *   if (err instanceof BufferLimitError && err.turnId !== undefined) {
 *     const { thread: read } = await thread.read({ includeTurns: true });
 *     console.warn(`${err.limit} reached; the server says:`, read.turns.find((turn) => turn.id === err.turnId)?.status);
 *   }
 * }
 * ```
 */
export class BufferLimitError extends AppServerError {
  override name = "BufferLimitError";
  /** The option whose bound was reached. */
  readonly limit: "maxPendingTurns";
  /** The turn it concerns, when it concerns one. */
  readonly turnId: string | undefined;

  constructor(message: string, options: ErrorOptions & { limit: "maxPendingTurns"; turnId?: string | undefined }) {
    super(message, options);
    this.limit = options.limit;
    this.turnId = options.turnId;
  }
}
