import type { ThreadItem, Turn } from "../schema/index.js";
import { TransportClosedError } from "./transport-closed-error.js";

/**
 * A turn was running when the connection to its app-server ended (the process died, or the client was
 * closed): its outcome is unknown, and the turn ended in the `lost` state. The error says what the client
 * saw of it (`items`) and why the connection ended (`cause`, also copied into `reason`, `exitCode`, `signal`
 * and `stderrTail`). When the client restarted the app-server (the `restart` option), it then read the thread
 * and `serverTurn` holds what the server kept of the turn (a killed app-server leaves it `interrupted`), or
 * `null` when it kept nothing. Nothing is run again for you: the turn may have run commands, so look at
 * `items` and `serverTurn` and decide.
 *
 * It is a {@link TransportClosedError}, so code written for a dying app-server keeps working.
 *
 * @example
 * ```ts
 * try {
 *   await thread.run("Refactor src/app.ts");
 * } catch (err) {
 *   if (err instanceof TurnLostError) {
 *     console.warn(`turn ${err.turnId} was cut off after ${err.items.length} items; the server kept it as ${err.serverTurn?.status ?? "nothing"}`);
 *     if (!err.items.some((item) => item.type === "commandExecution")) await thread.run("Refactor src/app.ts");
 *   }
 * }
 * ```
 */
export class TurnLostError extends TransportClosedError {
  override name = "TurnLostError";
  /** The thread the turn ran on. */
  readonly threadId: string;
  /** The turn that was lost. */
  readonly turnId: string;
  /** Every item the client saw of the turn, in the order they started (open ones with the text streamed so far). */
  readonly items: readonly ThreadItem[];
  /**
   * What the server kept of the turn, read back after the restart (`thread/read` with turns): its status and
   * items; `null` when the server kept nothing, or the client did not restart (or could not read the thread).
   */
  serverTurn: Turn | null;

  constructor(
    message: string,
    options: {
      cause: TransportClosedError | Error;
      threadId: string;
      turnId: string;
      items: readonly ThreadItem[];
      serverTurn?: Turn | null;
    },
  ) {
    const closed = options.cause instanceof TransportClosedError ? options.cause : undefined;
    super(message, {
      cause: options.cause,
      reason: closed?.reason ?? "failed",
      exitCode: closed?.exitCode ?? null,
      signal: closed?.signal ?? null,
      stderrTail: closed?.stderrTail ?? "",
      endpoint: closed?.endpoint,
      closeCode: closed?.closeCode,
      closeReason: closed?.closeReason,
    });
    this.threadId = options.threadId;
    this.turnId = options.turnId;
    this.items = options.items;
    this.serverTurn = options.serverTurn ?? null;
  }
}
