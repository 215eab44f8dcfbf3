import { redactSecrets } from "./redact.js";

/**
 * The root of every error this library throws. `instanceof AppServerError` catches them all.
 *
 * None of the library's errors extends `TypeError`, so `p-retry` (and {@link retryOnOverload}) can decide
 * on retrying by class alone.
 *
 * @example
 * ```ts
 * try {
 *   await codex.threadStart();
 * } catch (err) {
 *   if (err instanceof AppServerError) console.error("codex app-server:", err.message);
 *   else throw err;
 * }
 * ```
 */
export class AppServerError extends Error {
  override name = "AppServerError";

  /** The message is stored with secrets redacted (API keys, credentials, tokens: see `redactSecrets`). */
  constructor(message: string, options?: ErrorOptions) {
    super(redactSecrets(message), options);
  }
}
