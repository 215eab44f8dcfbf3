import Emittery from "emittery";
import { createActor, fromPromise, waitFor, type ActorRefFrom } from "xstate";
import { AppServerError } from "../errors/app-server-error.js";
import { TransportClosedError } from "../errors/transport-closed-error.js";
import { clientLifecycleMachine, type ClientLifecycleMachine } from "../machines/client-lifecycle.js";
import type { RequestOptions } from "../rpc/peer.js";
import type {
  ClientRequestMethod,
  ClientRequestParams,
  ClientRequestResult,
  ModelListResponse,
  Notification,
  ThreadArchiveResponse,
  ThreadListResponse,
  TurnStartParams,
} from "../schema/index.js";
import { DEFAULT_GRACE_MS } from "../transport/stdio-transport.js";
import { abortable } from "./abortable.js";
import { AsyncThread } from "./async-thread.js";
import type { ClientDiagnostic, CodexEventMap } from "./codex-events.js";
import { checkConfig, type AppServerConfig } from "./config.js";
import { openConnection, type Connection } from "./connection.js";
import { IDEMPOTENT_METHODS } from "./idempotent-methods.js";
import { LiveTurn } from "./live-turn.js";
import type { InitializeResponse } from "./metadata.js";
import type {
  ModelsOptions,
  ThreadForkOptions,
  ThreadListOptions,
  ThreadResumeOptions,
  ThreadStartOptions,
} from "./options.js";
import { retryOnOverload } from "./retry-on-overload.js";
import { loadProtocolChecks, protocolChecks } from "./protocol-checks.js";
import { NotificationRouter } from "./router.js";
import { ServerRequestRouter } from "./server-request-router.js";
import type { Session } from "./session.js";
import { threadParams } from "./settings.js";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

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
  /**
   * The client's events (emittery): `notification` for every server notification, one event per method
   * (e.g. `thread/started`) with its params, and `diagnostic` for what went wrong on the wire without
   * breaking the connection (a malformed line, a notification that fails its schema, dropped deltas).
   *
   * @example
   * ```ts
   * codex.events.on("thread/started", ({ data }) => console.log("new thread", data.thread.id));
   * codex.events.on("diagnostic", ({ data }) => console.warn(data.kind, data.message));
   * ```
   */
  readonly events: Emittery<CodexEventMap> = new Emittery<CodexEventMap>();
  readonly #config: AppServerConfig;
  readonly #lifecycle: ActorRefFrom<ClientLifecycleMachine>;
  readonly #router: NotificationRouter;
  readonly #session: Session;
  readonly #serverRequests: ServerRequestRouter;
  #connection: Connection | null = null;
  #metadata: InitializeResponse | null = null;
  /** Notifications that arrived before the schema checks were loaded; `null` once they are. */
  #early: Notification[] | null = [];
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
    this.#maxBufferedNotifications = config.maxBufferedNotifications ?? DEFAULT_MAX_BUFFERED_NOTIFICATIONS;
    this.#startGraceMs = (config.closeGraceMs ?? DEFAULT_GRACE_MS) + (config.killGraceMs ?? DEFAULT_GRACE_MS) + 1_000;
    this.#router = new NotificationRouter({
      maxPendingTurns: config.maxPendingTurns ?? DEFAULT_MAX_PENDING_TURNS,
      maxBufferedNotifications: this.#maxBufferedNotifications,
      onDrop: (turnId, count, why) =>
        this.#diagnose({ kind: "droppedNotifications", message: `dropped ${count} notification(s) of turn ${turnId}: ${why}`, turnId }),
    });
    this.#serverRequests = new ServerRequestRouter({
      handler: config.approvalHandler,
      timeoutMs: config.approvalTimeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS,
      diagnose: (diagnostic) => this.#diagnose(diagnostic),
    });
    const machine = clientLifecycleMachine.provide({
      actors: {
        start: fromPromise<void>(({ signal }) => {
          const opening = this.#open(signal);
          this.#opening = opening.catch(() => undefined);
          return opening;
        }),
        stop: fromPromise<void>(() => this.#shutDown()),
      },
    });
    this.#lifecycle = createActor(machine, config.inspect === undefined ? {} : { inspect: config.inspect });
    this.#lifecycle.subscribe({
      error: (error) => this.#diagnose({ kind: "machineError", message: String(error), error }),
    });
    this.#lifecycle.start();
    this.#session = {
      request: (method, params, options) => this.request(method, params, options),
      startTurn: (params, options) => this.#startTurn(params, options),
      serverRequests: this.#serverRequests,
    };
  }

  /**
   * The client's lifecycle machine as an actor: `idle` → `starting` → `ready` → `closing` → `closed`, or
   * `failed`. Subscribe to watch it; read `getSnapshot().value` for the state.
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
   * What the app-server said in the handshake, with `serverInfo` (name and version from its `userAgent`).
   *
   * @throws {AppServerError} before the client has started.
   * @example
   * ```ts
   * await codex.start();
   * console.log(codex.metadata.serverInfo.version); // "0.169.0"
   * ```
   */
  get metadata(): InitializeResponse {
    if (this.#metadata === null) {
      throw new AppServerError("metadata is not known before the client has started: await codex.start() first.");
    }
    return this.#metadata;
  }

  /**
   * Starts the app-server and runs the handshake, if that has not happened yet. Calls start the client by
   * themselves; `start()` is for starting early, or to learn at once that the binary or config is wrong.
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
   * Sends any client request of the protocol, typed by its method (all 109 of the pinned schema), after
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
    const connection = await this.#ready();
    const call = (_attempt: number, signal?: AbortSignal) =>
      connection.peer.request<ClientRequestResult<M>>(method, params, { ...options, signal });
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
    const { thread } = await this.request("thread/start", threadParams(options), requestOptions);
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
    const { thread } = await this.request("thread/resume", { ...threadParams(options), threadId }, requestOptions);
    return new AsyncThread(this.#session, thread.id);
  }

  /**
   * Forks a thread (`thread/fork`): a new thread with a new id and a copy of the history.
   *
   * @example
   * ```ts
   * const branch = await codex.threadFork(thread.id);
   * ```
   */
  async threadFork(threadId: string, options: ThreadForkOptions = {}, requestOptions?: RequestOptions): Promise<AsyncThread> {
    const { thread } = await this.request("thread/fork", { ...threadParams(options), threadId }, requestOptions);
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
    const { thread } = await this.request("thread/unarchive", { threadId }, requestOptions);
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

  async #ready(): Promise<Connection> {
    if (this.#lifecycle.getSnapshot().matches("idle")) this.#lifecycle.send({ type: "start" });
    const snapshot = await waitFor(this.#lifecycle, (s) => !s.matches("starting"));
    if (snapshot.matches("ready") && this.#connection !== null) return this.#connection;
    if (snapshot.matches("failed")) throw snapshot.context.error;
    throw TransportClosedError.clientClosed("AsyncCodex");
  }

  async #open(signal: AbortSignal): Promise<void> {
    const checks = loadProtocolChecks().then(() => this.#checkEarlyNotifications());
    const connection = await openConnection(this.#config, {
      signal,
      notification: (notification) => this.#onNotification(notification),
      diagnostic: (diagnostic) => this.#diagnose(diagnostic),
      serverRequests: this.#serverRequests,
    });
    await checks;
    if (signal.aborted) {
      await connection.peer.close();
      signal.throwIfAborted();
    }
    this.#connection = connection;
    this.#metadata = connection.metadata;
    void connection.peer.closed.then((info) => {
      if (this.#connection !== connection) return;
      const error = TransportClosedError.from(info);
      this.#lifecycle.send({ type: "connection.lost", error });
      this.#loseTurns(error);
    });
  }

  async #shutDown(): Promise<void> {
    await abortable(this.#opening, AbortSignal.timeout(this.#startGraceMs)).catch(() => undefined);
    const connection = this.#connection;
    this.#connection = null;
    this.#loseTurns(
      new TransportClosedError("the client was closed while the turn ran: its outcome is unknown.", { reason: "closed" }),
    );
    await connection?.peer.close();
  }

  #loseTurns(error: Error): void {
    for (const turn of [...this.#router.turns()]) turn.lose(error);
    this.#router.clear();
  }

  async #startTurn(params: TurnStartParams, options?: RequestOptions): Promise<LiveTurn> {
    const live = new LiveTurn({
      threadId: params.threadId,
      maxBufferedNotifications: this.#maxBufferedNotifications,
      inspect: this.#config.inspect,
      onListenerError: (error) => this.#diagnose({ kind: "listenerFailed", message: String(error), error }),
      onDrop: (turnId) =>
        this.#diagnose({
          kind: "droppedNotifications",
          message: `turn ${turnId}: its stream had maxBufferedNotifications unread, so deltas are being dropped (the completed items keep the whole text)`,
          turnId,
        }),
    });
    let turnId: string;
    this.#router.expectTurn(params.threadId);
    try {
      ({
        turn: { id: turnId },
      } = await this.request("turn/start", params, options));
    } catch (error) {
      this.#router.turnStartSettled(params.threadId);
      live.reject(error instanceof Error ? error.message : String(error));
      throw error;
    }
    const running = this.#router.get(turnId);
    if (running !== undefined) {
      this.#router.turnStartSettled(params.threadId);
      live.actor.stop();
      return running;
    }
    live.accept(turnId);
    this.#router.register(turnId, live);
    this.#router.turnStartSettled(params.threadId);
    if (!this.#lifecycle.getSnapshot().matches("ready")) {
      live.lose(
        new TransportClosedError(`the connection ended right after turn ${turnId} started: its outcome is unknown.`, {
          reason: "closed",
        }),
      );
    }
    void live.finished.then(() => {
      this.#router.unregister(turnId, live);
      this.#serverRequests.turnEnded(turnId);
    });
    return live;
  }

  #onNotification(notification: Notification): void {
    if (this.#early === null) this.#check(notification);
    else this.#early.push(notification);
    if (notification.method === "serverRequest/resolved") this.#serverRequests.resolved(notification.params.requestId);
    this.#router.route(notification);
    if (this.events.listenerCount() === 0) return;
    this.#emit("notification", notification);
    this.#emit(notification.method, notification.params as never);
  }

  /** Checks a notification against its method's schema; a failure is a diagnostic, never a lost message. */
  #check(notification: Notification): void {
    const check = protocolChecks()!.checkServerNotification(notification.method, notification.params);
    if (check.ok) return;
    this.#diagnose({
      kind: check.known ? "invalidNotification" : "unknownNotification",
      message: `${notification.method}: ${check.known ? check.errors.join("; ") : "not in the pinned protocol"}`,
      method: notification.method,
    });
  }

  /** The checks are loaded: check what arrived before (the notifications themselves were routed at once). */
  #checkEarlyNotifications(): void {
    const early = this.#early ?? [];
    this.#early = null;
    for (const notification of early) this.#check(notification);
  }

  #diagnose(diagnostic: DistributiveOmit<ClientDiagnostic, "atMs"> & { atMs?: number }): void {
    this.#emit("diagnostic", { atMs: Date.now(), ...diagnostic } as ClientDiagnostic);
  }

  #emit<Name extends keyof CodexEventMap>(name: Name, data: CodexEventMap[Name]): void {
    if (this.events.listenerCount(name) === 0) return;
    this.events.emit(name, data).catch((error: unknown) => {
      if (name !== "diagnostic") this.#diagnose({ kind: "listenerFailed", message: String(error), error });
    });
  }
}
