import { createActor, fromPromise, waitFor, type ActorRefFrom } from "xstate";
import { AppServerError } from "../errors/app-server-error.js";
import { RequestAbortedError } from "../errors/request-aborted-error.js";
import { TransportClosedError } from "../errors/transport-closed-error.js";
import { TurnLostError } from "../errors/turn-lost-error.js";
import { clientLifecycleMachine, type ClientLifecycleMachine } from "../machines/client-lifecycle.js";
import { resolveRestartPolicy } from "../machines/restart-policy.js";
import { ClientObserver } from "../observe/client-observer.js";
import type { ClientSnapshot, SnapshotListener, SubscribeOptions } from "../observe/snapshot.js";
import type { RequestOptions } from "../rpc/peer.js";
import type { Unsubscribe } from "../rpc/server-request.js";
import type {
  ClientRequestMethod,
  ClientRequestParams,
  ClientRequestResult,
  GetAccountResponse,
  LogoutAccountResponse,
  ModelListResponse,
  Notification,
  ThreadArchiveResponse,
  ThreadListResponse,
  ThreadReadResponse,
  Turn,
} from "../schema/index.js";
import { closeBudgetMs } from "../transport/stdio-transport.js";
import { abortable } from "./abortable.js";
import { AsyncThread } from "./async-thread.js";
import type { CodexEventMap, Diagnose } from "./codex-events.js";
import { checkConfig, type AppServerConfig } from "./config.js";
import { openConnection, type Connection, type ConnectionListeners } from "./connection.js";
import { AsyncEvents, type EventListener, type ListenOptions } from "./events.js";
import { IDEMPOTENT_METHODS } from "./idempotent-methods.js";
import type { LiveTurn } from "./live-turn.js";
import type { AppServerMetadata } from "./metadata.js";
import { NotificationChecks } from "./notification-checks.js";
import type {
  ModelsOptions,
  ThreadForkOptions,
  ThreadListOptions,
  ThreadResumeOptions,
  ThreadStartOptions,
} from "./options.js";
import { retryOnOverload } from "./retry-on-overload.js";
import { PrewarmedStarts } from "./prewarm.js";
import { NotificationRouter } from "./router.js";
import { ResumableThreads } from "./resumable-threads.js";
import { requestCodex } from "./rpc-error.js";
import { ServerRequestRouter } from "./server-request-router.js";
import {
  AsyncChatgptLoginHandle,
  AsyncDeviceCodeLoginHandle,
  loginApiKey,
  startLogin,
  type LoginSession,
} from "./login.js";
import type { ConnectionGone, Session } from "./session.js";
import { threadParams } from "./settings.js";
import { startTurn, type TurnStartContext } from "./turn-start.js";

const DEFAULT_MAX_BUFFERED_NOTIFICATIONS = 10_000;
const DEFAULT_MAX_PENDING_TURNS = 256;
const DEFAULT_APPROVAL_TIMEOUT_MS = 600_000;

/**
 * The asynchronous client of the Codex app-server. Lazy: nothing is spawned until the first call (or
 * `start()`). Any number of threads and turns run at once on one client; each turn's notifications are
 * routed to its own handle.
 *
 * @example
 * ```ts
 * import { AsyncCodex } from "codex-app-server";
 *
 * await using codex = new AsyncCodex();
 * const thread = await codex.threadStart({ model: "gpt-5.4" });
 * const handle = await thread.turn("Say hello in one sentence.");
 * for await (const n of handle.stream()) {
 *   if (n.method === "item/agentMessage/delta") process.stdout.write(n.params.delta);
 * }
 * ```
 */
export class AsyncCodex implements AsyncDisposable {
  readonly #events = new AsyncEvents<CodexEventMap>((error, name) => {
    if (name !== "diagnostic") this.#diagnose({ kind: "listenerFailed", message: String(error), error });
  });
  readonly #checks = new NotificationChecks(
    (diagnostic) => this.#diagnose(diagnostic),
    () => this.#metadata?.serverInfo.version,
  );
  readonly #config: AppServerConfig;
  readonly #lifecycle: ActorRefFrom<ClientLifecycleMachine>;
  readonly #router: NotificationRouter;
  readonly #session: Session;
  /** The session's synchronous notification listeners (goal runs): every notification, in order. */
  readonly #notificationListeners = new Set<(notification: Notification) => void>();
  readonly #serverRequests: ServerRequestRouter;
  readonly #threads: ResumableThreads;
  readonly #observer: ClientObserver;
  /** Turns lost with the connection, waiting for the restarted app-server's account of them. */
  #lostTurns: LiveTurn[] = [];
  /** The last connection a start opened: `close()` ends it even when the machine never took it (closed mid-start). */
  #latest: Connection | null = null;
  /** The spare app-servers of `prewarm: true`; `null` without it. */
  readonly #prewarmed: PrewarmedStarts | null;
  #metadata: AppServerMetadata | null = null;
  /** The start in progress, settled or not: `close()` waits for it so that nothing it spawned outlives the client. */
  #opening: Promise<unknown> = Promise.resolve();
  readonly #maxBufferedNotifications: number;
  /** How long `close()` waits for a start in progress to give up (the transport's own close graces, and a second). */
  readonly #startGraceMs: number;

  /**
   * @param config How to start and talk to the app-server; checked at once.
   * @throws {InvalidInputError} naming a wrong option.
   */
  constructor(config: AppServerConfig = {}) {
    this.#config = checkConfig(config);
    this.#prewarmed = this.#config.prewarm === true ? new PrewarmedStarts(this.#config) : null;
    const restart = resolveRestartPolicy(config.restart);
    this.#maxBufferedNotifications = config.maxBufferedNotifications ?? DEFAULT_MAX_BUFFERED_NOTIFICATIONS;
    this.#startGraceMs = closeBudgetMs(config);
    this.#router = new NotificationRouter({
      maxPendingTurns: config.maxPendingTurns ?? DEFAULT_MAX_PENDING_TURNS,
      maxBufferedNotifications: this.#maxBufferedNotifications,
      onDrop: (turnId, count, why) =>
        this.#diagnose({
          kind: "droppedNotifications",
          message: `dropped ${count} notification(s) of turn ${turnId}: ${why}`,
          turnId,
        }),
    });
    this.#serverRequests = new ServerRequestRouter({
      handler: config.approvalHandler,
      timeoutMs: config.approvalTimeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS,
      diagnose: (diagnostic) => this.#diagnose(diagnostic),
      serverVersion: () => this.#metadata?.serverInfo.version,
    });
    this.#threads = new ResumableThreads({
      resume: (connection, threadId, settings) =>
        requestCodex(connection.peer, "thread/resume", { ...settings, threadId }),
      resumed: (threadId) => this.#events.emit("threadResumed", { threadId }),
    });
    const machine = clientLifecycleMachine.provide({
      actors: {
        start: fromPromise<Connection>(({ signal }) => {
          const opening = this.#open(signal);
          this.#opening = opening.catch(() => undefined);
          return opening;
        }),
        stop: fromPromise<void, { connection: Connection | null }>(({ input }) => this.#shutDown(input.connection)),
      },
    });
    this.#lifecycle = createActor(machine, {
      input: { restart },
      ...(config.inspect === undefined ? {} : { inspect: config.inspect }),
    });
    this.#lifecycle.subscribe({
      next: (snapshot) => {
        if (this.#lostTurns.length > 0 && !snapshot.matches("reconnecting") && !snapshot.matches("ready"))
          this.#settleLostTurns(null);
      },
      error: (error) => this.#diagnose({ kind: "machineError", message: String(error), error }),
    });
    this.#lifecycle.on("restarting", ({ attempt, delayMs, error }) =>
      this.#events.emit("restarting", { attempt, delayMs, error }),
    );
    this.#lifecycle.on("restarted", ({ attempt, downtimeMs, restarts }) => {
      this.#events.emit("restarted", { attempt, downtimeMs, restarts });
      queueMicrotask(() => void this.#recoverLostTurns());
    });
    this.#lifecycle.start();
    this.#observer = new ClientObserver({
      config,
      lifecycle: this.#lifecycle,
      listenerFailed: (error) =>
        this.#diagnose({ kind: "listenerFailed", message: `A snapshot subscriber threw: ${String(error)}`, error }),
    });
    const turnStart: TurnStartContext = {
      router: this.#router,
      serverRequests: this.#serverRequests,
      maxBufferedNotifications: this.#maxBufferedNotifications,
      inspect: config.inspect,
      diagnose: (diagnostic) => this.#diagnose(diagnostic),
      request: async (params, options, live) => {
        const connection = await this.#ready(options?.signal, "turn/start");
        const answer = await this.#send(connection, "turn/start", params, options, live);
        return { answer, current: () => this.#lifecycle.getSnapshot().context.connection === connection };
      },
      starting: (live, params) => this.#observer.turnStarting(live, params.threadId, params.model ?? null),
      started: (threadId) => this.#threads.turnStarted(threadId),
      lost: (turn, cause) => {
        const lost = turn.loseConnection(cause, false);
        if (lost !== null) this.#events.emit("turnLost", lost);
      },
    };
    this.#session = {
      request: (method, params, options) => this.request(method, params, options),
      startTurn: (params, options) => startTurn(turnStart, params, options),
      serverRequests: this.#serverRequests,
      maxBufferedNotifications: this.#maxBufferedNotifications,
      runsTurnOn: (threadId) => this.#router.hasTurnOn(threadId),
      requestBound: async (method, params, options) => {
        const [answer, connection] = await this.#request(method, params, options);
        return { answer, gone: this.#gone(connection) };
      },
      onNotification: (listener) => {
        this.#notificationListeners.add(listener);
        return () => void this.#notificationListeners.delete(listener);
      },
    };
  }

  /**
   * Listens to the client's events: `notification` for every server notification, one event per method
   * (e.g. `thread/started`) with its params, `diagnostic` for what went wrong without breaking the
   * connection (a malformed line, a notification that fails its schema, dropped deltas), and with the
   * `restart` option `restarting`, `restarted`, `threadResumed` and `turnLost` ({@link RestartEventMap}). The
   * listener gets `{ name, data }`; the returned function (also `Disposable`) removes it, as does aborting
   * `signal`.
   *
   * @example
   * ```ts
   * codex.on("thread/started", ({ data }) => console.log("new thread", data.thread.id));
   * using _ = codex.on("diagnostic", ({ data }) => console.warn(data.kind, data.message));
   * ```
   */
  on<Name extends keyof CodexEventMap>(
    name: Name,
    listener: EventListener<CodexEventMap, Name>,
    options?: ListenOptions,
  ): Unsubscribe {
    return this.#events.on(name, listener, options);
  }

  /**
   * The client's lifecycle machine as an actor: `idle` → `starting` → `ready` → `closing` → `closed`, or
   * `failed`; with the `restart` option, `{ reconnecting: "backoff" }` → `{ reconnecting: "restarting" }` →
   * `ready` when the app-server dies. Subscribe to watch it; read `getSnapshot().value` for the state and
   * `getSnapshot().context` for the attempt count, the restarts so far and the last error.
   *
   * @example
   * ```ts
   * codex.lifecycle.subscribe((snapshot) => console.log("client:", snapshot.value));
   * ```
   */
  get lifecycle(): ActorRefFrom<ClientLifecycleMachine> {
    return this.#lifecycle;
  }

  /**
   * The process id of the app-server this client spawned and is connected to now (it changes with each
   * restart); `null` before the start, while restarting, after the end, or with a `transport` of your own.
   *
   * @example
   * ```ts
   * await codex.start();
   * console.log(`codex app-server runs as pid ${codex.pid}`);
   * ```
   */
  get pid(): number | null {
    return this.#lifecycle.getSnapshot().context.connection?.pid ?? null;
  }

  /**
   * What the app-server said in the handshake (the latest, after a restart), with `serverInfo` (name and
   * version from its `userAgent`).
   *
   * @throws {AppServerError} before the client has started.
   * @example
   * ```ts
   * await codex.start();
   * console.log(codex.metadata.serverInfo.version); // "0.169.0"
   * ```
   */
  get metadata(): AppServerMetadata {
    if (this.#metadata === null) {
      throw new AppServerError("metadata is not known before the client has started: await codex.start() first.");
    }
    return this.#metadata;
  }

  /**
   * Starts the app-server and runs the handshake, if that has not happened yet. Calls start the client by
   * themselves; `start()` is for starting early, or to learn at once that the binary or config is wrong.
   * A start that fails is not final: the client goes back to `idle`, and the next call (or `start()`) tries
   * again. With the `restart` option, a failed start is first retried with the backoff, and rejects with
   * {@link RestartsExhaustedError} once the policy is spent (unless the binary is missing: that fails at once).
   *
   * @throws {BinaryNotFoundError} when there is no codex binary; {@link TransportClosedError} when it dies.
   * @example
   * ```ts
   * const codex = new AsyncCodex();
   * await codex.start();
   * ```
   */
  async start(): Promise<void> {
    await this.#ready();
  }

  /**
   * Ends the app-server (stdin closed, then SIGTERM, then SIGKILL) and fails every pending call and running
   * turn with {@link TransportClosedError}. Idempotent; later calls reject without spawning anything.
   *
   * @example
   * ```ts
   * await codex.close();
   * ```
   */
  async close(): Promise<void> {
    this.#lifecycle.send({ type: "close" });
    await waitFor(this.#lifecycle, (snapshot) => snapshot.status === "done");
  }

  /** Same as {@link AsyncCodex.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * Sends any client request of the protocol, typed by its method (every client request of the pinned schema), after
   * starting the client if needed. With the `retry` option, reads are retried when the server is overloaded.
   *
   * @example
   * ```ts
   * const { data } = await codex.request("thread/loaded/list", {}, { timeoutMs: 5_000 });
   * ```
   */
  async request<M extends ClientRequestMethod>(
    method: M,
    params: ClientRequestParams<M>,
    options?: RequestOptions,
  ): Promise<ClientRequestResult<M>> {
    const [result] = await this.#request(method, params, options);
    return result;
  }

  /**
   * What the client is doing right now, as plain JSON: its lifecycle state, the app-server (pid, version,
   * uptime), every thread it knows, every running turn and the last finished ones (`maxFinishedTurns`, default
   * 100) with their machine state, counts, usage and error, its pending requests, the server requests waiting
   * for an answer (approvals), and the latest messages (`maxRecentMessages`, default 50). It holds no secret.
   *
   * @example
   * ```ts
   * const snapshot = codex.snapshot();
   * console.log(snapshot.client.state, snapshot.runningTurns.map((turn) => turn.state));
   * console.log(JSON.stringify(snapshot)); // plain JSON: log it, send it, keep it
   * ```
   */
  snapshot(): ClientSnapshot {
    return this.#observer.snapshot();
  }

  /**
   * Calls `listener` with a fresh {@link ClientSnapshot} whenever something in it changed (a state, a delta, a
   * message, a request), coalesced: at most once per `intervalMs` (default 100), so a turn of 5,000 deltas
   * makes a few dozen calls, not 5,000. Returns the unsubscribe, a function that is also `Disposable`. A
   * listener that throws is reported as a `listenerFailed` diagnostic and never breaks the client.
   *
   * @example
   * ```ts
   * using subscription = codex.subscribe((snapshot) => {
   *   for (const turn of snapshot.runningTurns) console.log(turn.turnId, JSON.stringify(turn.state), turn.deltas);
   * });
   * await thread.run("Explain this repository.");
   * ```
   */
  subscribe(listener: SnapshotListener, options?: SubscribeOptions): Unsubscribe {
    return this.#observer.subscribe(listener, options);
  }

  /** {@link AsyncCodex.request}, also giving the connection that answered. */
  async #request<M extends ClientRequestMethod>(
    method: M,
    params: ClientRequestParams<M>,
    options?: RequestOptions,
  ): Promise<[ClientRequestResult<M>, Connection]> {
    const connection = await this.#ready(options?.signal, method);
    return [await this.#send(connection, method, params, options), connection];
  }

  /** Sends on `connection`, after resuming the thread the call names if a restart unloaded it. */
  async #send<M extends ClientRequestMethod>(
    connection: Connection,
    method: M,
    params: ClientRequestParams<M>,
    options?: RequestOptions,
    turn?: LiveTurn,
  ): Promise<ClientRequestResult<M>> {
    await this.#threads.prepare(method, params, connection);
    const call = (_attempt: number, signal?: AbortSignal) =>
      this.#observer.request(
        method,
        params,
        (trace) => requestCodex<ClientRequestResult<M>>(connection.peer, method, params, { ...options, signal, trace }),
        turn,
      );
    const retry = this.#config.retry;
    if (retry === undefined || retry === false || !IDEMPOTENT_METHODS.has(method)) return call(1, options?.signal);
    return retryOnOverload(call, { ...(retry === true ? {} : retry), signal: options?.signal });
  }

  /**
   * Starts a new thread (`thread/start`).
   *
   * @example
   * ```ts
   * const thread = await codex.threadStart({ model: "gpt-5.4", cwd: "/repo", approvalMode: "denyAll", sandbox: "workspace" });
   * ```
   *
   * @throws {InvalidInputError} before anything is sent, for an unknown `approvalMode` or `sandbox`, or the bypass
   * mode given with a sandbox.
   */
  async threadStart(options: ThreadStartOptions = {}, requestOptions?: RequestOptions): Promise<AsyncThread> {
    const params = threadParams(options);
    const [{ thread }, connection] = await this.#request("thread/start", params, requestOptions);
    this.#threads.opened(thread.id, connection, params, {
      ephemeral: params.ephemeral === true || thread.ephemeral,
      persisted: false,
    });
    return new AsyncThread(this.#session, thread.id);
  }

  /**
   * Lists stored threads (`thread/list`), a page at a time.
   *
   * @example
   * ```ts
   * const { data, nextCursor } = await codex.threadList({ limit: 20 });
   * ```
   */
  threadList(options: ThreadListOptions = {}, requestOptions?: RequestOptions): Promise<ThreadListResponse> {
    return this.request("thread/list", options, requestOptions);
  }

  /**
   * Resumes a stored thread by id (`thread/resume`), from this or any earlier client.
   *
   * @example
   * ```ts
   * const thread = await codex.threadResume(savedThreadId);
   * await thread.run("Where were we?");
   * ```
   */
  async threadResume(
    threadId: string,
    options: ThreadResumeOptions = {},
    requestOptions?: RequestOptions,
  ): Promise<AsyncThread> {
    return this.#threadFrom("thread/resume", threadId, options, requestOptions);
  }

  /**
   * Forks a thread (`thread/fork`): a new thread with a new id and a copy of the history.
   *
   * @example
   * ```ts
   * const branch = await codex.threadFork(thread.id);
   * ```
   */
  async threadFork(
    threadId: string,
    options: ThreadForkOptions = {},
    requestOptions?: RequestOptions,
  ): Promise<AsyncThread> {
    return this.#threadFrom("thread/fork", threadId, options, requestOptions);
  }

  /**
   * Resumes or forks `threadId` and records the thread for restarts: a fork is a new thread, ephemeral when
   * asked or when the server says so; a resumed thread stays what it was.
   */
  async #threadFrom(
    method: "thread/resume" | "thread/fork",
    threadId: string,
    options: ThreadResumeOptions | ThreadForkOptions,
    requestOptions: RequestOptions | undefined,
  ): Promise<AsyncThread> {
    const params = threadParams(options);
    const [{ thread }, connection] = await this.#request(method, { ...params, threadId }, requestOptions);
    const asked = "ephemeral" in params && params.ephemeral === true;
    const fork = method === "thread/fork" ? { ephemeral: asked || thread.ephemeral } : undefined;
    this.#threads.opened(thread.id, connection, params, fork);
    return new AsyncThread(this.#session, thread.id);
  }

  /**
   * Archives a thread (`thread/archive`).
   *
   * @example
   * ```ts
   * await codex.threadArchive(thread.id);
   * ```
   */
  threadArchive(threadId: string, requestOptions?: RequestOptions): Promise<ThreadArchiveResponse> {
    return this.request("thread/archive", { threadId }, requestOptions);
  }

  /**
   * Brings an archived thread back (`thread/unarchive`).
   *
   * @example
   * ```ts
   * const thread = await codex.threadUnarchive(archivedId);
   * ```
   */
  async threadUnarchive(threadId: string, requestOptions?: RequestOptions): Promise<AsyncThread> {
    const [{ thread }, connection] = await this.#request("thread/unarchive", { threadId }, requestOptions);
    this.#threads.opened(thread.id, connection);
    return new AsyncThread(this.#session, thread.id);
  }

  /**
   * Lists the models the app-server offers (`model/list`).
   *
   * @example
   * ```ts
   * const { data } = await codex.models({ includeHidden: true });
   * console.log(data.map((m) => m.id));
   * ```
   */
  models(options: ModelsOptions = {}, requestOptions?: RequestOptions): Promise<ModelListResponse> {
    return this.request("model/list", options, requestOptions);
  }

  /**
   * Logs in with an API key (`account/login/start`). The key goes to the app-server once; it is not kept, and
   * never appears in an error or a diagnostic. (Codex stores it in `CODEX_HOME/auth.json`.)
   *
   * @throws {InvalidInputError} for an empty key; {@link JsonRpcError} when the server refuses (e.g. a config
   * that forces ChatGPT login).
   * @example
   * ```ts
   * await codex.loginApiKey(process.env.OPENAI_API_KEY!);
   * console.log((await codex.account()).account?.type); // "apiKey"
   * ```
   */
  loginApiKey(apiKey: string, requestOptions?: RequestOptions): Promise<void> {
    return loginApiKey(this.#loginSession(), apiKey, requestOptions);
  }

  /**
   * Starts a ChatGPT login in the browser: the handle gives the `authUrl` to open, `wait()` and `cancel()`.
   *
   * @example
   * ```ts
   * const login = await codex.loginChatgpt();
   * console.log("Open", login.authUrl);
   * await login.wait({ timeoutMs: 300_000 });
   * ```
   */
  async loginChatgpt(requestOptions?: RequestOptions): Promise<AsyncChatgptLoginHandle> {
    const { answer, attempt } = await startLogin(this.#loginSession(), "chatgpt", requestOptions);
    return new AsyncChatgptLoginHandle(attempt, answer.authUrl);
  }

  /**
   * Starts a device-code ChatGPT login: the handle gives the `verificationUrl` and `userCode` to show.
   *
   * @throws {InternalRpcError} when codex cannot reach the login service (offline: at once).
   * @example
   * ```ts
   * const login = await codex.loginChatgptDeviceCode();
   * console.log(`Go to ${login.verificationUrl} and enter ${login.userCode}`);
   * await login.wait();
   * ```
   */
  async loginChatgptDeviceCode(requestOptions?: RequestOptions): Promise<AsyncDeviceCodeLoginHandle> {
    const { answer, attempt } = await startLogin(this.#loginSession(), "chatgptDeviceCode", requestOptions);
    return new AsyncDeviceCodeLoginHandle(attempt, answer.verificationUrl, answer.userCode);
  }

  /**
   * Reads the account codex is logged in with (`account/read`); `refreshToken: true` refreshes a ChatGPT token
   * first. Codex reports a login only for a provider that needs OpenAI auth (`requires_openai_auth`).
   *
   * @example
   * ```ts
   * const { account, requiresOpenaiAuth } = await codex.account();
   * if (account?.type === "chatgpt") console.log(account.email, account.planType);
   * ```
   */
  account(options: { refreshToken?: boolean } = {}, requestOptions?: RequestOptions): Promise<GetAccountResponse> {
    return this.request("account/read", options, requestOptions);
  }

  /**
   * Logs out (`account/logout`): codex forgets the stored key or tokens.
   *
   * @example
   * ```ts
   * await codex.logout();
   * ```
   */
  logout(requestOptions?: RequestOptions): Promise<LogoutAccountResponse> {
    return this.request("account/logout", undefined, requestOptions);
  }

  #loginSession(): LoginSession {
    return {
      request: (method, params, options) => this.request(method, params, options),
      start: (params, options) => this.#session.requestBound("account/login/start", params, options),
      onLoginCompleted: (listener) => this.#events.on("account/login/completed", ({ data }) => listener(data)),
    };
  }

  /** Settles once `connection` has ended: closed by `close()`, or lost (whether or not a restart follows). */
  async #gone(connection: Connection): Promise<ConnectionGone> {
    const info = await connection.peer.closed;
    const snapshot = this.#lifecycle.getSnapshot();
    const closedByClient = snapshot.matches("closing") || snapshot.matches("closed");
    return {
      closedByClient,
      error: closedByClient ? TransportClosedError.clientClosed("AsyncCodex") : TransportClosedError.from(info),
    };
  }

  /**
   * The connection to send on, from the machine alone: starts the client when `idle`, waits while it is
   * starting or reconnecting, and throws what the machine says went wrong otherwise.
   */
  async #ready(signal?: AbortSignal, method = "the call"): Promise<Connection> {
    if (this.#lifecycle.getSnapshot().matches("idle")) this.#lifecycle.send({ type: "start" });
    const settled = (s: ReturnType<ActorRefFrom<ClientLifecycleMachine>["getSnapshot"]>) =>
      !s.matches("starting") && !s.matches("reconnecting");
    let snapshot = this.#lifecycle.getSnapshot();
    if (!settled(snapshot)) {
      if (signal?.aborted === true) throw new RequestAbortedError({ method, cause: signal.reason });
      snapshot = await waitFor(this.#lifecycle, settled, signal === undefined ? undefined : { signal }).catch(
        (error: unknown) => {
          if (signal?.aborted === true) throw new RequestAbortedError({ method, cause: signal.reason });
          throw error;
        },
      );
    }
    const { connection, error } = snapshot.context;
    if (snapshot.matches("ready") && connection !== null) return connection;
    if ((snapshot.matches("failed") || snapshot.matches("idle")) && error !== null) throw error;
    throw TransportClosedError.clientClosed("AsyncCodex");
  }

  async #open(signal: AbortSignal): Promise<Connection> {
    const checks = this.#checks.load();
    await this.#observer.prepare();
    const listeners: ConnectionListeners = {
      signal,
      notification: (notification) => this.#onNotification(notification),
      diagnostic: (diagnostic) => this.#diagnose(diagnostic),
      serverRequests: this.#serverRequests,
    };
    const trace = this.#observer.trace;
    const connection = await (this.#prewarmed === null
      ? openConnection({ ...this.#config, trace }, listeners)
      : this.#prewarmed.open(listeners, trace));
    this.#latest = connection;
    await checks;
    if (signal.aborted) {
      await connection.peer.close();
      signal.throwIfAborted();
    }
    this.#metadata = connection.metadata;
    this.#checks.checkServerVersion(connection.metadata.serverInfo.version);
    this.#observer.connected(connection.pid, connection.metadata, connection.peer.closed);
    void connection.peer.closed.then((info) => this.#lost(connection, TransportClosedError.from(info)));
    return connection;
  }

  /** `connection` ended without `close()`: tell the machine, then end the turns that ran on it. */
  #lost(connection: Connection, error: TransportClosedError): void {
    const snapshot = this.#lifecycle.getSnapshot();
    const opening = snapshot.matches("starting") || snapshot.matches({ reconnecting: "restarting" });
    if (snapshot.context.connection !== connection && !(opening && this.#latest === connection)) return;
    this.#lifecycle.send({ type: "connection.lost", error });
    this.#loseTurns(error, this.#lifecycle.getSnapshot().matches("reconnecting"));
  }

  async #shutDown(connection: Connection | null): Promise<void> {
    await abortable(this.#opening, AbortSignal.timeout(this.#startGraceMs)).catch(() => undefined);
    const latest = this.#latest;
    this.#latest = null;
    this.#loseTurns(
      new TransportClosedError("the client was closed while the turn ran: its outcome is unknown.", {
        reason: "closed",
      }),
      false,
    );
    this.#settleLostTurns(null);
    await Promise.all([
      connection?.peer.close(),
      latest === connection ? undefined : latest?.peer.close(),
      this.#prewarmed?.leave(),
    ]);
  }

  /**
   * Ends every running turn `lost`. With `recovering` (a restart is under way), their errors wait for the
   * restarted app-server's account of them (`#recoverLostTurns`); otherwise they are final now.
   */
  #loseTurns(error: Error, recovering: boolean): void {
    for (const turn of [...this.#router.turns()]) {
      const lost = turn.loseConnection(error, recovering);
      if (lost === null) continue;
      if (recovering) this.#lostTurns.push(turn);
      else this.#events.emit("turnLost", lost);
    }
    this.#router.clear();
  }

  /** After a restart: reads the lost turns' threads and attaches what the server kept of each turn. */
  async #recoverLostTurns(): Promise<void> {
    const connection = this.#lifecycle.getSnapshot().context.connection;
    const lost = this.#lostTurns.splice(0);
    const byThread = Map.groupBy(lost, (turn) => turn.actor.getSnapshot().context.threadId);
    await Promise.all(
      [...byThread].map(async ([threadId, turns]) => {
        let served: readonly Turn[] | null = null;
        try {
          if (connection !== null) {
            const answer = await requestCodex<ThreadReadResponse>(connection.peer, "thread/read", {
              threadId,
              includeTurns: true,
            });
            served = answer.thread.turns;
          }
        } catch (error) {
          this.#diagnose({
            kind: "recoveryFailed",
            message: `after the restart, thread ${threadId} could not be read to learn what became of its lost turns: ${String(error)}`,
            threadId,
            error,
          });
        }
        for (const turn of turns)
          this.#settleLostTurn(turn, served?.find((candidate) => candidate.id === turn.turnId) ?? null);
      }),
    );
  }

  /** The lost turns will learn nothing more (the client gave up, or was closed): their errors are final now. */
  #settleLostTurns(serverTurn: Turn | null): void {
    for (const turn of this.#lostTurns.splice(0)) this.#settleLostTurn(turn, serverTurn);
  }

  #settleLostTurn(turn: LiveTurn, serverTurn: Turn | null): void {
    turn.recovered(serverTurn);
    if (turn.failure instanceof TurnLostError) this.#events.emit("turnLost", turn.failure);
  }

  #onNotification(notification: Notification): void {
    this.#checks.check(notification);
    if (notification.method === "serverRequest/resolved") this.#serverRequests.resolved(notification.params.requestId);
    this.#router.route(notification);
    for (const listener of this.#notificationListeners) listener(notification);
    if (!this.#events.has()) return;
    this.#events.emit("notification", notification);
    this.#events.emit(notification.method, notification.params);
  }

  readonly #diagnose: Diagnose = (diagnostic) => {
    this.#events.emit("diagnostic", { atMs: Date.now(), ...diagnostic });
  };
}
