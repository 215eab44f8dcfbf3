import { AppServerError } from "./app-server-error.js";
import { TransportClosedError } from "./transport-closed-error.js";

/**
 * Why a login ended without an account: `"cancelled"` (by `cancel()`), `"failed"` (the server said so) or
 * `"lost"` (its app-server died or the connection to it dropped; the login went with it).
 *
 * @example
 * ```ts
 * const why: LoginFailure = error.reason;
 * ```
 */
export type LoginFailure = "failed" | "cancelled" | "lost";

/**
 * A ChatGPT login (browser or device code) ended without logging in: it was cancelled (`reason: "cancelled"`),
 * the server reported a failure (`reason: "failed"`, with the server's words in `serverMessage`), or the
 * app-server running it was lost (`reason: "lost"`, the connection's `TransportClosedError` as `cause`; with the
 * `restart` option the client may be up again on a new app-server, where a new login can start). A login
 * handle's `wait()` rejects with it. It never carries a key or a token.
 *
 * @example
 * ```ts
 * try {
 *   await login.wait();
 * } catch (err) {
 *   if (err instanceof LoginFailedError) console.error(err.reason, err.serverMessage);
 * }
 * ```
 */
export class LoginFailedError extends AppServerError {
  override name = "LoginFailedError";
  /** The login attempt's id, as `account/login/start` gave it. */
  readonly loginId: string;
  readonly reason: LoginFailure;
  /** What the server said (`account/login/completed`'s `error`), if anything. */
  readonly serverMessage: string | null;

  /** @param options The login's id, why it ended, what the server said (if anything), and the `cause`. */
  constructor(
    options: ErrorOptions & { loginId: string; reason: LoginFailure; serverMessage?: string | null | undefined },
  ) {
    const { loginId, reason, serverMessage = null } = options;
    const what =
      reason === "cancelled"
        ? `login ${loginId} was cancelled`
        : reason === "lost"
          ? `login ${loginId} was lost with its app-server (${howItEnded(options.cause)}; err.cause has the details)`
          : `login ${loginId} failed: ${serverMessage ?? "the server gave no reason"}`;
    super(`${what}. Start a new login (codex.loginChatgpt()) to try again.`, options);
    this.loginId = loginId;
    this.reason = reason;
    this.serverMessage = serverMessage;
  }
}

function howItEnded(cause: unknown): string {
  if (!(cause instanceof TransportClosedError)) return "the connection ended";
  if (cause.signal !== null) return `killed by ${cause.signal}`;
  if (cause.exitCode !== null) return `exited with code ${cause.exitCode}`;
  return `the connection ${cause.reason}`;
}
