import type { AccountLoginCompletedNotification, CancelLoginAccountResponse } from "../schema/index.js";
import type { ClientLink } from "./client-link.js";
import type { SyncRequestOptions, SyncTurnWaitOptions } from "./operations.js";

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
export class ChatgptLoginHandle {
  readonly loginId: string;
  /** The page to open in a browser. */
  readonly authUrl: string;
  readonly #link: ClientLink;

  /** @internal Logins come from `codex.loginChatgpt()`. */
  constructor(link: ClientLink, loginId: string, authUrl: string) {
    this.#link = link;
    this.loginId = loginId;
    this.authUrl = authUrl;
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
 * A device-code ChatGPT login in progress, on the sync client (the twin of `AsyncDeviceCodeLoginHandle`).
 *
 * @example
 * ```ts
 * const login = codex.loginChatgptDeviceCode();
 * console.log(`Go to ${login.verificationUrl} and enter ${login.userCode}`);
 * login.wait();
 * ```
 */
export class DeviceCodeLoginHandle {
  readonly loginId: string;
  readonly verificationUrl: string;
  readonly userCode: string;
  readonly #link: ClientLink;

  /** @internal Logins come from `codex.loginChatgptDeviceCode()`. */
  constructor(link: ClientLink, loginId: string, verificationUrl: string, userCode: string) {
    this.#link = link;
    this.loginId = loginId;
    this.verificationUrl = verificationUrl;
    this.userCode = userCode;
  }

  /**
   * Blocks until the login completes, as {@link ChatgptLoginHandle.wait}.
   *
   * @throws {LoginFailedError} when it fails or is cancelled.
   * @example
   * ```ts
   * login.wait({ timeoutMs: 900_000 });
   * ```
   */
  wait(options?: SyncTurnWaitOptions): AccountLoginCompletedNotification {
    return this.#link.invoke("loginWait", [this.loginId, this.#link.turnWait(options)], "untilDone");
  }

  /**
   * Cancels the login.
   *
   * @example
   * ```ts
   * login.cancel();
   * ```
   */
  cancel(requestOptions?: SyncRequestOptions): CancelLoginAccountResponse {
    return this.#link.invoke("loginCancel", [this.loginId, requestOptions], this.#link.requestBudget(requestOptions));
  }
}
