import type { AccountLoginCompletedNotification, CancelLoginAccountResponse } from "../schema/index.js";
import type { ClientLink } from "./client-link.js";
import type { SyncRequestOptions, SyncTurnWaitOptions } from "./operations.js";

/**
 * What a login in progress on the sync client has, however it signs in: its id, `wait()` and `cancel()`.
 * Internal: the two handles below are the API.
 */
abstract class LoginHandle {
  /** The attempt's id. */
  readonly loginId: string;
  readonly #link: ClientLink;

  protected constructor(link: ClientLink, loginId: string) {
    this.#link = link;
    this.loginId = loginId;
  }

  /**
   * Blocks until the login completes, at most `timeoutMs` (default: the client's `turnTimeoutMs`).
   *
   * @throws {LoginFailedError} when it fails or is cancelled; a `TimeoutError` when the wait runs out.
   * @example
   * ```ts
   * login.wait({ timeoutMs: 60_000 });
   * ```
   */
  wait(options?: SyncTurnWaitOptions): AccountLoginCompletedNotification {
    return this.#link.invoke("loginWait", [this.loginId, this.#link.turnWait(options)], "untilDone");
  }

  /**
   * Cancels the login; a later `wait()` throws `LoginFailedError` (reason `cancelled`).
   *
   * @example
   * ```ts
   * login.cancel(); // { status: "canceled" }
   * ```
   */
  cancel(requestOptions?: SyncRequestOptions): CancelLoginAccountResponse {
    return this.#link.invoke("loginCancel", [this.loginId, requestOptions], this.#link.requestBudget(requestOptions));
  }
}

/**
 * A ChatGPT login in progress in the browser, on the sync client (the twin of `AsyncChatgptLoginHandle`).
 *
 * @example
 * ```ts
 * const login = codex.loginChatgpt();
 * console.log("Open", login.authUrl);
 * login.wait({ timeoutMs: 300_000 });
 * ```
 */
export class ChatgptLoginHandle extends LoginHandle {
  /** The page to open in a browser. */
  readonly authUrl: string;

  /** @internal Logins come from `codex.loginChatgpt()`. */
  constructor(link: ClientLink, loginId: string, authUrl: string) {
    super(link, loginId);
    this.authUrl = authUrl;
  }
}

/**
 * A device-code ChatGPT login in progress, on the sync client (the twin of `AsyncDeviceCodeLoginHandle`).
 *
 * @example
 * ```ts
 * const login = codex.loginChatgptDeviceCode();
 * console.log(`Go to ${login.verificationUrl} and enter ${login.userCode}`);
 * login.wait();
 * ```
 */
export class DeviceCodeLoginHandle extends LoginHandle {
  /** Where the user enters the code. */
  readonly verificationUrl: string;
  /** The code to enter there. */
  readonly userCode: string;

  /** @internal Logins come from `codex.loginChatgptDeviceCode()`. */
  constructor(link: ClientLink, loginId: string, verificationUrl: string, userCode: string) {
    super(link, loginId);
    this.verificationUrl = verificationUrl;
    this.userCode = userCode;
  }
}
