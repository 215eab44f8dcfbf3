import { AppServerError } from "./app-server-error.js";

/**
 * An argument was rejected before anything was sent to the app-server: an empty input list, a local image
 * that does not exist, an option of the wrong type. The message names the argument and what to change.
 *
 * @example
 * ```ts
 * try {
 *   await thread.turn([]);
 * } catch (err) {
 *   if (err instanceof InvalidInputError) console.error(err.message); // "input is empty: …"
 * }
 * ```
 */
export class InvalidInputError extends AppServerError {
  override name = "InvalidInputError";
}
