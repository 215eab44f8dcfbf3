import type { AppServerMetadata } from "../client/metadata.js";
import type {
  ModelsOptions,
  ThreadForkOptions,
  ThreadListOptions,
  ThreadResumeOptions,
  ThreadStartOptions,
} from "../client/options.js";
import type {
  ClientRequestMethod,
  ClientRequestParams,
  ClientRequestResult,
  GetAccountResponse,
  LogoutAccountResponse,
  ModelListResponse,
  ThreadArchiveResponse,
  ThreadListResponse,
} from "../schema/index.js";
import type { EventListener, ListenOptions } from "../client/events.js";
import { checkApiKey } from "../client/login.js";
import { threadParams } from "../client/settings.js";
import type { Unsubscribe } from "../rpc/server-request.js";
import type { ClientSnapshot } from "../observe/snapshot.js";
import { ClientLink } from "./client-link.js";
import type { SyncCodexEventMap } from "./codex-events.js";
import { checkCodexConfig, type CodexConfig } from "./config.js";
import { ChatgptLoginHandle, DeviceCodeLoginHandle } from "./login.js";
import type { SyncRequestOptions } from "./operations.js";
import { Thread } from "./thread.js";

/**
 * The synchronous client of the Codex app-server: every method returns its value, not a Promise — for
 * scripts, config hooks and REPLs that cannot `await`. It runs an `AsyncCodex` in a worker thread and blocks
 * the caller (`Atomics.wait`) until each call is done.
 *
 * Eager, like the Python SDK: the constructor starts the app-server and runs the handshake (and closes it
 * again if that fails). `close()` — or `using` — ends it; a process that exits without closing still takes
 * the app-server down with it.
 *
 * While a call blocks, server requests of this client (approvals, questions…) go to the config's
 * `approvalHandler` (or the thread's own), run on the caller's thread; the default declines (fail closed).
 * A request that arrives while no call of this client is running waits in the worker until the next call of
 * this client (any method), or until `approvalTimeoutMs` (default 10 min) passes and it is declined.
 *
 * @example
 * ```ts
 * import { Codex } from "codex-app-server";
 *
 * using codex = new Codex();
 * const thread = codex.threadStart({ model: "gpt-5.4" });
 * console.log(thread.run("Say hello.").finalResponse);
 * ```
 */
export class Codex implements Disposable {
  readonly #link: ClientLink;

  /**
   * Starts the app-server and runs the handshake, blocking until it is done.
   *
   * @param config How to start and talk to the app-server; checked before anything starts.
   * @throws {InvalidInputError} naming a wrong option; {@link BinaryNotFoundError} when there is no codex
   *   binary; {@link TransportClosedError} when it dies during the handshake.
   * @example
   * ```ts
   * const codex = new Codex({ cwd: "/repo", requestTimeoutMs: 60_000 });
   * console.log(codex.metadata.serverInfo.version);
   * codex.close();
   * ```
   */
  constructor(config: CodexConfig = {}) {
    checkCodexConfig(config);
    this.#link = new ClientLink(config);
  }

  /**
   * What the app-server said in the handshake, with `serverInfo` (name and version from its `userAgent`).
   *
   * @example
   * ```ts
   * console.log(codex.metadata.serverInfo.version); // "0.169.0"
   * ```
   */
  get metadata(): AppServerMetadata {
    return this.#link.metadata;
  }

  /**
   * Listens to the client's events — `diagnostic`: what went wrong without failing a call; with the `restart`
   * option `restarting`, `restarted`, `threadResumed` and `turnLost` — the same way as `AsyncCodex.on()`: the
   * listener gets `{ name, data }`, and the returned function (also `Disposable`) removes it, as does aborting
   * `signal`. Listeners run on this thread, when a call of this client returns.
   *
   * @example
   * ```ts
   * using codex = new Codex();
   * codex.on("diagnostic", ({ data }) => console.warn(data.kind, data.message));
   * ```
   */
  on<Name extends keyof SyncCodexEventMap>(
    name: Name,
    listener: EventListener<SyncCodexEventMap, Name>,
    options?: ListenOptions,
  ): Unsubscribe {
    return this.#link.events.on(name, listener, options);
  }

  /**
   * Ends the app-server (stdin closed, then SIGTERM, then SIGKILL), blocking until it has exited. Turns still
   * running fail with {@link TransportClosedError}. Idempotent; later calls throw `TransportClosedError`.
   *
   * @example
   * ```ts
   * codex.close();
   * ```
   */
  close(): void {
    this.#link.close();
  }

  /** Same as {@link Codex.close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Sends any client request of the protocol, typed by its method, and returns its answer.
   *
   * @example
   * ```ts
   * const { data } = codex.request("thread/loaded/list", {}, { timeoutMs: 5_000 });
   * ```
   */
  request<M extends ClientRequestMethod>(
    method: M,
    params: ClientRequestParams<M>,
    options?: SyncRequestOptions,
  ): ClientRequestResult<M> {
    return this.#link.invoke("request", [method, params, options], this.#link.requestBudget(options));
  }

  /**
   * Starts a new thread (`thread/start`).
   *
   * @example
   * ```ts
   * const thread = codex.threadStart({ model: "gpt-5.4", cwd: "/repo", approvalPolicy: "never" });
   * ```
   */
  threadStart(options: ThreadStartOptions = {}, requestOptions?: SyncRequestOptions): Thread {
    const id = this.#link.invoke(
      "threadStart",
      [threadParams(options), requestOptions],
      this.#link.requestBudget(requestOptions),
    );
    return new Thread(this.#link, id);
  }

  /**
   * Lists stored threads (`thread/list`), a page at a time.
   *
   * @example
   * ```ts
   * const { data, nextCursor } = codex.threadList({ limit: 20 });
   * ```
   */
  threadList(options: ThreadListOptions = {}, requestOptions?: SyncRequestOptions): ThreadListResponse {
    return this.#link.invoke("threadList", [options, requestOptions], this.#link.requestBudget(requestOptions));
  }

  /**
   * Resumes a stored thread by id (`thread/resume`), from this or any earlier client.
   *
   * @example
   * ```ts
   * const thread = codex.threadResume(savedThreadId);
   * thread.run("Where were we?");
   * ```
   */
  threadResume(threadId: string, options: ThreadResumeOptions = {}, requestOptions?: SyncRequestOptions): Thread {
    return this.#threadFrom("threadResume", threadId, options, requestOptions);
  }

  /**
   * Forks a thread (`thread/fork`): a new thread with a new id and a copy of the history.
   *
   * @example
   * ```ts
   * const branch = codex.threadFork(thread.id);
   * ```
   */
  threadFork(threadId: string, options: ThreadForkOptions = {}, requestOptions?: SyncRequestOptions): Thread {
    return this.#threadFrom("threadFork", threadId, options, requestOptions);
  }

  /** Resumes or forks `threadId` in the worker: the thread the worker's client opened. */
  #threadFrom(
    operation: "threadResume" | "threadFork",
    threadId: string,
    options: ThreadResumeOptions | ThreadForkOptions,
    requestOptions: SyncRequestOptions | undefined,
  ): Thread {
    const id = this.#link.invoke(
      operation,
      [threadId, threadParams(options), requestOptions],
      this.#link.requestBudget(requestOptions),
    );
    return new Thread(this.#link, id);
  }

  /**
   * Archives a thread (`thread/archive`).
   *
   * @example
   * ```ts
   * codex.threadArchive(thread.id);
   * ```
   */
  threadArchive(threadId: string, requestOptions?: SyncRequestOptions): ThreadArchiveResponse {
    return this.#link.invoke("threadArchive", [threadId, requestOptions], this.#link.requestBudget(requestOptions));
  }

  /**
   * Brings an archived thread back (`thread/unarchive`).
   *
   * @example
   * ```ts
   * const thread = codex.threadUnarchive(archivedId);
   * ```
   */
  threadUnarchive(threadId: string, requestOptions?: SyncRequestOptions): Thread {
    const id = this.#link.invoke(
      "threadUnarchive",
      [threadId, requestOptions],
      this.#link.requestBudget(requestOptions),
    );
    return new Thread(this.#link, id);
  }

  /**
   * What the client is doing right now, as plain JSON (the same {@link ClientSnapshot} as
   * `AsyncCodex.snapshot()`): lifecycle state, app-server, threads, running and recently finished turns,
   * pending requests, waiting server requests and the latest messages. It holds no secret.
   *
   * @example
   * ```ts
   * const { client, runningTurns, finishedTurns } = codex.snapshot();
   * console.log(client.state, runningTurns.length, finishedTurns.at(-1)?.state);
   * ```
   */
  snapshot(): ClientSnapshot {
    return this.#link.invoke("snapshot", [], this.#link.requestBudget());
  }

  /**
   * Lists the models the app-server offers (`model/list`).
   *
   * @example
   * ```ts
   * const { data } = codex.models({ includeHidden: true });
   * console.log(data.map((m) => m.id));
   * ```
   */
  models(options: ModelsOptions = {}, requestOptions?: SyncRequestOptions): ModelListResponse {
    return this.#link.invoke("models", [options, requestOptions], this.#link.requestBudget(requestOptions));
  }

  /**
   * Logs in with an API key (`account/login/start`); the key is checked on this thread and never appears in an
   * error.
   *
   * @throws {InvalidInputError} for an empty key; {@link JsonRpcError} when the server refuses.
   * @example
   * ```ts
   * codex.loginApiKey(process.env.OPENAI_API_KEY!);
   * ```
   */
  loginApiKey(apiKey: string, requestOptions?: SyncRequestOptions): void {
    checkApiKey(apiKey);
    this.#link.invoke("loginApiKey", [apiKey, requestOptions], this.#link.requestBudget(requestOptions));
  }

  /**
   * Starts a ChatGPT login in the browser.
   *
   * @example
   * ```ts
   * const login = codex.loginChatgpt();
   * console.log("Open", login.authUrl);
   * ```
   */
  loginChatgpt(requestOptions?: SyncRequestOptions): ChatgptLoginHandle {
    const { loginId, authUrl } = this.#link.invoke(
      "loginChatgpt",
      [requestOptions],
      this.#link.requestBudget(requestOptions),
    );
    return new ChatgptLoginHandle(this.#link, loginId, authUrl);
  }

  /**
   * Starts a device-code ChatGPT login.
   *
   * @throws {InternalRpcError} when codex cannot reach the login service (offline: at once).
   * @example
   * ```ts
   * const login = codex.loginChatgptDeviceCode();
   * console.log(login.verificationUrl, login.userCode);
   * ```
   */
  loginChatgptDeviceCode(requestOptions?: SyncRequestOptions): DeviceCodeLoginHandle {
    const { loginId, verificationUrl, userCode } = this.#link.invoke(
      "loginChatgptDeviceCode",
      [requestOptions],
      this.#link.requestBudget(requestOptions),
    );
    return new DeviceCodeLoginHandle(this.#link, loginId, verificationUrl, userCode);
  }

  /**
   * Reads the account codex is logged in with (`account/read`).
   *
   * @example
   * ```ts
   * console.log(codex.account().account?.type);
   * ```
   */
  account(options: { refreshToken?: boolean } = {}, requestOptions?: SyncRequestOptions): GetAccountResponse {
    return this.#link.invoke("account", [options, requestOptions], this.#link.requestBudget(requestOptions));
  }

  /**
   * Logs out (`account/logout`).
   *
   * @example
   * ```ts
   * codex.logout();
   * ```
   */
  logout(requestOptions?: SyncRequestOptions): LogoutAccountResponse {
    return this.#link.invoke("logout", [requestOptions], this.#link.requestBudget(requestOptions));
  }
}
