import { AppServerError } from "./app-server-error.js";

/**
 * The turn has already ended, so it cannot take more input (`steer`). Start a new turn instead.
 *
 * @example
 * ```ts
 * try {
 *   await handle.steer("also check the tests");
 * } catch (err) {
 *   if (err instanceof TurnNotRunningError) await thread.turn("also check the tests");
 * }
 * ```
 */
export class TurnNotRunningError extends AppServerError {
  override name = "TurnNotRunningError";
  readonly threadId: string;
  readonly turnId: string;

  constructor(message: string, options: ErrorOptions & { threadId: string; turnId: string }) {
    super(message, options);
    this.threadId = options.threadId;
    this.turnId = options.turnId;
  }
}
