import { InvalidInputError } from "../errors/invalid-input-error.js";
import { LoginFailedError } from "../errors/login-failed-error.js";
import { ProtocolError } from "../errors/protocol-error.js";
import type { RequestOptions } from "../rpc/peer.js";
import type {
  AccountLoginCompletedNotification,
  CancelLoginAccountResponse,
  ClientRequestMethod,
  ClientRequestParams,
  ClientRequestResult,
  LoginAccountParams,
  LoginAccountResponse,
} from "../schema/index.js";
import { abortable } from "./abortable.js";
import type { ConnectionGone } from "./session.js";

/**
 * How the app-server that answered a login start went away (its callback listener went with it, even when the
 * `restart` option brought up a new one).
 */
export type LoginServerGone = ConnectionGone;

/** What a login needs from its client: typed requests, the start bound to its app-server, the completions. */
export interface LoginSession {
  request<M extends ClientRequestMethod>(
    method: M,
    params: ClientRequestParams<M>,
    options?: RequestOptions,
  ): Promise<ClientRequestResult<M>>;
  /**
   * Sends `account/login/start`; gives the answer and `gone`, which settles when the app-server that answered
   * is gone (it never settles while that app-server runs).
   */
  start(
    params: LoginAccountParams,
    options?: RequestOptions,
  ): Promise<{ answer: LoginAccountResponse; gone: Promise<LoginServerGone> }>;
  /** Calls `listener` with every `account/login/completed` until the returned function is called. */
  onLoginCompleted(listener: (completed: AccountLoginCompletedNotification) => void): () => void;
}

/**
 * Options of a login handle's `wait()`: stop waiting on a signal or after a time (the login itself goes on until
 * it completes or you `cancel()` it).
 *
 * @example
 * ```ts
 * await login.wait({ timeoutMs: 5 * 60_000 });
 * ```
 */
export interface LoginWaitOptions {
  /** Stops waiting when it aborts (rejecting with its reason). */
  signal?: AbortSignal | undefined;
  /** Stops waiting after this long, with a `TimeoutError` (a `DOMException`). */
  timeoutMs?: number | undefined;
}

/**
 * What a login in progress has, however it signs in: its id, `wait()` and `cancel()`. Internal: the two
 * handles below are the API.
 */
abstract class AsyncLoginHandle {
  /** The attempt's id. */
  readonly loginId: string;
  readonly #attempt: LoginAttempt;

  protected constructor(attempt: LoginAttempt) {
    this.#attempt = attempt;
    this.loginId = attempt.loginId;
  }

  /**
   * Waits for the login to complete (`account/login/completed`).
   *
   * @throws {LoginFailedError} when it fails, is cancelled, or its app-server is lost (`reason: "lost"`, also
   * when the `restart` option brought up a new one: start a new login there); `TransportClosedError` when the
   * client is closed; the signal's reason when the wait is stopped.
   * @example
   * ```ts
   * const { success } = await login.wait({ signal: AbortSignal.timeout(300_000) });
   * ```
   */
  wait(options: LoginWaitOptions = {}): Promise<AccountLoginCompletedNotification> {
    return this.#attempt.wait(options);
  }

  /**
   * Cancels the login (`account/login/cancel`); a pending `wait()` then rejects with a `LoginFailedError` whose
   * reason is `cancelled`. Cancelling a login that has ended answers `{ status: "notFound" }`.
   *
   * @example
   * ```ts
   * const { status } = await login.cancel(); // "canceled"
   * ```
   */
  cancel(options?: RequestOptions): Promise<CancelLoginAccountResponse> {
    return this.#attempt.cancel(options);
  }
}

/**
 * A ChatGPT login in progress in the browser (`account/login/start` with `type: "chatgpt"`): open `authUrl`,
 * then `wait()` for codex to receive the callback (on 127.0.0.1:1455), or `cancel()`.
 *
 * @example
 * ```ts
 * const login = await codex.loginChatgpt();
 * console.log("Open", login.authUrl);
 * await login.wait({ timeoutMs: 5 * 60_000 });
 * console.log(await codex.account());
 * ```
 */
export class AsyncChatgptLoginHandle extends AsyncLoginHandle {
  /** The page to open in a browser (`https://auth.openai.com/oauth/authorize?…`). */
  readonly authUrl: string;

  /** @internal Logins come from `codex.loginChatgpt()`. */
  constructor(attempt: LoginAttempt, authUrl: string) {
    super(attempt);
    this.authUrl = authUrl;
  }
}

/**
 * A device-code ChatGPT login in progress (`type: "chatgptDeviceCode"`): show `userCode` and `verificationUrl`
 * to the user, then `wait()` or `cancel()`.
 *
 * @example
 * ```ts
 * const login = await codex.loginChatgptDeviceCode();
 * console.log(`Go to ${login.verificationUrl} and enter ${login.userCode}`);
 * await login.wait();
 * ```
 */
export class AsyncDeviceCodeLoginHandle extends AsyncLoginHandle {
  /** Where the user enters the code. */
  readonly verificationUrl: string;
  /** The code to enter there. */
  readonly userCode: string;

  /** @internal Logins come from `codex.loginChatgptDeviceCode()`. */
  constructor(attempt: LoginAttempt, verificationUrl: string, userCode: string) {
    super(attempt);
    this.verificationUrl = verificationUrl;
    this.userCode = userCode;
  }
}

/**
 * One interactive login: its completion, watched from before `account/login/start` is sent, or the end of the
 * app-server that runs it (whichever comes first; a login never outlives its app-server).
 */
export class LoginAttempt {
  readonly loginId: string;
  readonly #session: LoginSession;
  readonly #completed: Promise<AccountLoginCompletedNotification>;
  /** Set before `account/login/cancel` is sent: a failed completion that arrives after it is the cancel's. */
  #cancelling = false;

  constructor(
    session: LoginSession,
    loginId: string,
    completion: Promise<AccountLoginCompletedNotification>,
    gone: Promise<LoginServerGone>,
  ) {
    this.#session = session;
    this.loginId = loginId;
    // The outcome is decided when the completion arrives: the server may send it before it answers the cancel.
    const outcome = completion.then((completed) => {
      if (completed.success) return completed;
      throw new LoginFailedError({
        loginId,
        reason: this.#cancelling ? "cancelled" : "failed",
        serverMessage: completed.error ?? null,
      });
    });
    const lost = gone.then(({ closedByClient, error }): never => {
      throw closedByClient ? error : new LoginFailedError({ loginId, reason: "lost", cause: error });
    });
    this.#completed = Promise.race([outcome, lost]);
    this.#completed.catch(() => undefined);
  }

  wait(options: LoginWaitOptions): Promise<AccountLoginCompletedNotification> {
    const signals = [
      options.signal,
      options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs),
    ].filter((signal): signal is AbortSignal => signal !== undefined);
    return abortable(this.#completed, signals.length === 0 ? undefined : AbortSignal.any(signals));
  }

  async cancel(options?: RequestOptions): Promise<CancelLoginAccountResponse> {
    this.#cancelling = true;
    try {
      const answer = await this.#session.request("account/login/cancel", { loginId: this.loginId }, options);
      if (answer.status !== "canceled") this.#cancelling = false;
      return answer;
    } catch (error) {
      this.#cancelling = false;
      throw error;
    }
  }
}

/**
 * Logs in with an API key (`account/login/start`, `type: "apiKey"`). The key is sent once and never kept,
 * logged or put in an error.
 *
 * @throws {InvalidInputError} for a key that is not a non-empty string (the message does not repeat it).
 */
export async function loginApiKey(session: LoginSession, apiKey: string, options?: RequestOptions): Promise<void> {
  checkApiKey(apiKey);
  await session.request("account/login/start", { type: "apiKey", apiKey }, options);
}

/**
 * Checks that an API key is a non-empty string, without ever repeating it.
 *
 * @throws {InvalidInputError} otherwise.
 */
export function checkApiKey(apiKey: unknown): asserts apiKey is string {
  if (typeof apiKey !== "string" || apiKey.trim() === "") {
    throw new InvalidInputError(
      `loginApiKey needs the API key as a non-empty string (got ${typeof apiKey === "string" ? "a blank string" : typeof apiKey}).`,
    );
  }
}

/**
 * Starts an interactive ChatGPT login of the given kind and returns the server's answer with the attempt,
 * whose completion is watched from before the request is sent.
 */
export async function startLogin<Kind extends "chatgpt" | "chatgptDeviceCode">(
  session: LoginSession,
  type: Kind,
  options?: RequestOptions,
): Promise<{ answer: Extract<LoginAccountResponse, { type: Kind }>; attempt: LoginAttempt }> {
  const seen: AccountLoginCompletedNotification[] = [];
  let loginId: string | null = null;
  let settle: ((completed: AccountLoginCompletedNotification) => void) | null = null;
  const completion = new Promise<AccountLoginCompletedNotification>((resolve) => (settle = resolve));
  const off = session.onLoginCompleted((completed) => {
    if (loginId === null) seen.push(completed);
    else if (completed.loginId === loginId) finish(completed);
  });
  const finish = (completed: AccountLoginCompletedNotification) => {
    off();
    settle?.(completed);
  };
  try {
    const { answer, gone } = await session.start({ type }, options);
    if (answer.type !== type || !("loginId" in answer)) {
      throw new ProtocolError(`account/login/start answered a ${answer.type} login to a ${type} request.`, {
        kind: "unexpectedAnswer",
        method: "account/login/start",
      });
    }
    loginId = answer.loginId;
    const early = seen.find((completed) => completed.loginId === loginId);
    if (early !== undefined) finish(early);
    return {
      answer: answer as Extract<LoginAccountResponse, { type: Kind }>,
      attempt: new LoginAttempt(session, answer.loginId, completion, gone),
    };
  } catch (error) {
    off();
    throw error;
  }
}
