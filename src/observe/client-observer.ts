import type { Context } from "@opentelemetry/api";
import type { AnyActorRef, Subscription } from "xstate";
import type { AppServerMetadata } from "../client/metadata.js";
import type { LiveTurn } from "../client/live-turn.js";
import { redactSecrets, redactValue, rememberSecrets, secretValuesIn, secretValuesOf } from "../errors/redact.js";
import type { JsonRpcMessage, RequestId } from "../rpc/messages.js";
import { unsubscribe, type Unsubscribe } from "../rpc/server-request.js";
import type { TraceHook } from "../rpc/trace.js";
import type { W3cTraceContext } from "../schema/index.js";
import { jsonOf, RequestMethods, type MessageRecord } from "./message-record.js";
import {
  checkObserveConfig,
  DEFAULT_MAX_FINISHED_TURNS,
  DEFAULT_MAX_RECENT_MESSAGES,
  type ObserveConfig,
} from "./observe-config.js";
import { loadOpenTelemetry, openTelemetryInUse, TurnSpans } from "./open-telemetry.js";
import type {
  AppServerSnapshot,
  ClientSnapshot,
  MessageSnapshot,
  SnapshotListener,
  SubscribeOptions,
  ThreadSnapshot,
  TurnSnapshot,
} from "./snapshot.js";
import { TraceFile, traceFileOf, type TraceFileOptions } from "./trace-file.js";

/** Threads kept in a snapshot: past this many, the one idle longest is forgotten. */
const THREADS_KEPT = 1_000;
const PREVIEW_CHARS = 160;
const DEFAULT_INTERVAL_MS = 100;
/** Answers that name a thread the client now knows. */
const THREAD_ANSWERS = new Set(["thread/start", "thread/resume", "thread/fork", "thread/unarchive"]);

/** What the observer needs from its client. */
export interface ClientObserverOptions {
  readonly config: ObserveConfig & {
    readonly trace?: TraceHook | undefined;
    readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  };
  /** The client's lifecycle actor. */
  readonly lifecycle: AnyActorRef;
  /** The environment `CODEX_APP_SERVER_TRACE` is read from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Reports a subscriber that threw. */
  readonly listenerFailed: (error: unknown) => void;
}

interface TurnRecord {
  readonly live: LiveTurn;
  readonly threadId: string;
  readonly model: string | null;
  readonly startedAtMs: number;
  readonly subscription: Subscription;
  turnId: string | null;
  span: Context | undefined;
}

interface ThreadRecord {
  readonly id: string;
  model: string | null;
  status: string | null;
  turns: number;
  lastTurnId: string | null;
  lastActivityAtMs: number;
}

interface MessageEntry {
  readonly record: MessageRecord;
  readonly message: JsonRpcMessage;
  bytes?: number;
  preview?: string;
}

interface PendingRequest {
  readonly method: string;
  readonly threadId: string | null;
  readonly sentAtMs: number;
}

interface WaitingServerRequest {
  readonly id: RequestId;
  readonly method: string;
  readonly threadId: string | null;
  readonly turnId: string | null;
  readonly receivedAtMs: number;
}

interface Subscriber {
  readonly listener: SnapshotListener;
  readonly intervalMs: number;
  timer: NodeJS.Timeout | null;
  lastAtMs: number;
}

interface Connected {
  readonly pid: number | null;
  readonly metadata: AppServerMetadata;
  readonly atMs: number;
  endedAtMs: number | null;
}

function stringOf(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/**
 * Everything a client lets you watch, in one place: it sees every message (as the connection's trace hook),
 * every turn (its machine) and every request, and from that keeps what `codex.snapshot()` shows, calls
 * `codex.subscribe()` listeners (coalesced), writes the trace file and makes OpenTelemetry spans. Bounded:
 * finished turns, recent messages and threads each have a cap.
 */
export class ClientObserver {
  /** The secret values of the environments this client knows (besides those every layer remembers). */
  readonly #secrets: readonly string[];
  readonly #userTrace: TraceHook | undefined;
  readonly #traceFileOptions: TraceFileOptions | null;
  readonly #openTelemetry: boolean;
  readonly #maxFinishedTurns: number;
  readonly #maxRecentMessages: number;
  readonly #lifecycle: AnyActorRef;
  readonly #listenerFailed: (error: unknown) => void;
  readonly #methods = new RequestMethods();
  readonly #running = new Map<LiveTurn, TurnRecord>();
  readonly #byTurnId = new Map<string, TurnRecord>();
  readonly #finished: TurnSnapshot[] = [];
  readonly #threads = new Map<string, ThreadRecord>();
  readonly #pending = new Map<number, PendingRequest>();
  readonly #serverRequests = new Map<RequestId, WaitingServerRequest>();
  readonly #messages: MessageEntry[] = [];
  readonly #subscribers = new Set<Subscriber>();
  readonly #totals = { turnsStarted: 0, turnsFinished: 0, messagesIn: 0, messagesOut: 0 };
  #nextPending = 1;
  #connected: Connected | null = null;
  #file: TraceFile | null = null;
  #spans: TurnSpans | null = null;
  #spansLoading: Promise<void> | null = null;
  #prepared: Promise<void> | null = null;

  /** @throws {InvalidInputError} naming a wrong option. */
  constructor(options: ClientObserverOptions) {
    const { config } = options;
    checkObserveConfig(config);
    const env = options.env ?? process.env;
    this.#traceFileOptions = traceFileOf(config.traceFile, env);
    this.#openTelemetry = config.openTelemetry ?? true;
    this.#maxFinishedTurns = config.maxFinishedTurns ?? DEFAULT_MAX_FINISHED_TURNS;
    this.#maxRecentMessages = config.maxRecentMessages ?? DEFAULT_MAX_RECENT_MESSAGES;
    this.#userTrace = config.trace;
    this.#secrets = secretValuesOf(env, config.env);
    this.#lifecycle = options.lifecycle;
    this.#listenerFailed = options.listenerFailed;
    this.#lifecycle.subscribe({
      next: (snapshot: { status: string; matches?: (state: string) => boolean }) => {
        if (snapshot.status !== "active") this.#end();
        this.#changed();
      },
      error: () => this.#end(),
      complete: () => this.#end(),
    });
  }

  /**
   * Before the first connection: opens the trace file and loads OpenTelemetry, once. Later calls wait for the
   * first.
   *
   * @throws {InvalidInputError} when the trace file cannot be written.
   */
  prepare(): Promise<void> {
    this.#prepared ??= (async () => {
      if (this.#traceFileOptions !== null && this.#file === null)
        this.#file = TraceFile.open(this.#traceFileOptions, this.#secrets);
      if (this.#openTelemetry && openTelemetryInUse()) await this.#loadSpans();
    })();
    return this.#prepared;
  }

  /** Loads `@opentelemetry/api` (once) and makes the spans on it, when it is installed. */
  #loadSpans(): Promise<void> {
    return (this.#spansLoading ??= loadOpenTelemetry().then((api) => {
      if (api !== null) this.#spans = new TurnSpans(api);
    }));
  }

  /** A connection is up (after the handshake); `closed` resolves when it ends. */
  connected(pid: number | null, metadata: AppServerMetadata, closed: Promise<unknown>): void {
    const connection: Connected = { pid, metadata, atMs: Date.now(), endedAtMs: null };
    this.#connected = connection;
    void closed.then(() => {
      connection.endedAtMs = Date.now();
      if (this.#connected === connection) this.#serverRequests.clear();
      this.#changed();
    });
    this.#changed();
  }

  /** The hook the connection's peer calls with every message, both ways. */
  readonly trace: TraceHook = (event) => {
    const record = this.#methods.record(event);
    // A key the client sends (an API-key login) is hidden from now on wherever it comes back: a provider's
    // 401 quoting it in a turn's error, a stderr line, an error message, this trace and the snapshots.
    if (record.direction === "outgoing" && record.kind === "request") rememberSecrets(secretValuesIn(event.message));
    if (event.direction === "incoming") this.#totals.messagesIn++;
    else this.#totals.messagesOut++;
    if (this.#maxRecentMessages > 0) {
      this.#messages.push({ record, message: event.message });
      if (this.#messages.length > this.#maxRecentMessages) this.#messages.shift();
    }
    this.#learn(record, event.message);
    this.#file?.write(event, record);
    this.#changed();
    this.#userTrace?.(event);
  };

  /**
   * Sends one request through `send`, counted as pending until it settles, in an OpenTelemetry span (a child of
   * `turn`'s span for a turn's own requests) whose W3C trace context `send` puts in the request.
   */
  async request<R>(
    method: string,
    params: unknown,
    send: (trace: W3cTraceContext | undefined) => Promise<R>,
    turn?: LiveTurn,
  ): Promise<R> {
    const key = this.#nextPending++;
    const ids = (params ?? {}) as { threadId?: unknown; turnId?: unknown; expectedTurnId?: unknown };
    this.#pending.set(key, { method, threadId: stringOf(ids.threadId), sentAtMs: Date.now() });
    this.#changed();
    try {
      let spans = this.#spans;
      // A tracer provider (or context manager) registered after the start: the API is loaded now, once, before
      // this request goes out. No wait while none is registered.
      if (spans === null && this.#openTelemetry && openTelemetryInUse()) {
        await this.#loadSpans();
        spans = this.#spans;
      }
      if (spans === null) return await send(undefined);
      const turnId = stringOf(ids.turnId) ?? stringOf(ids.expectedTurnId);
      const record =
        turn === undefined ? (turnId === null ? undefined : this.#byTurnId.get(turnId)) : this.#running.get(turn);
      // A turn begun before a late provider had the API loaded gets its span here, from its own `turn/start`.
      if (record !== undefined && record.span === undefined && method === "turn/start")
        record.span = spans.startTurn(record.threadId, record.model);
      return await spans.request(method, record?.span, send);
    } finally {
      this.#pending.delete(key);
      this.#changed();
    }
  }

  /** A turn is about to be started (`turn/start` not sent yet): watch its machine until it ends. */
  turnStarting(live: LiveTurn, threadId: string, model: string | null): void {
    const thread = this.#thread(threadId);
    thread.turns++;
    const resolvedModel = model ?? thread.model;
    const record: TurnRecord = {
      live,
      threadId,
      model: resolvedModel,
      startedAtMs: Date.now(),
      turnId: null,
      span: this.#spans?.startTurn(threadId, resolvedModel),
      subscription: live.actor.subscribe({
        next: (snapshot) => {
          if (record.turnId === null && snapshot.context.turnId !== null) this.#named(record, snapshot.context.turnId);
          if (snapshot.status !== "active") this.#finish(record);
          else this.#changed();
        },
        error: () => this.#finish(record),
        complete: () => this.#finish(record),
      }),
    };
    this.#running.set(live, record);
    this.#totals.turnsStarted++;
    const turnId = live.actor.getSnapshot().context.turnId;
    if (turnId !== null) this.#named(record, turnId);
    this.#changed();
  }

  /**
   * What the client is doing now, as plain JSON.
   */
  snapshot(): ClientSnapshot {
    const now = Date.now();
    const lifecycle = this.#lifecycle.getSnapshot() as {
      value: ClientSnapshot["client"]["state"];
      status: string;
      context?: { error?: unknown };
    };
    const failure = lifecycle.context?.error;
    const running: TurnSnapshot[] = [];
    const runningByThread = new Map<string, string[]>();
    for (const record of this.#running.values()) {
      const turn = this.#turnSnapshot(record, null);
      running.push(turn);
      if (turn.turnId !== null) {
        const ids = runningByThread.get(turn.threadId);
        if (ids === undefined) runningByThread.set(turn.threadId, [turn.turnId]);
        else ids.push(turn.turnId);
      }
    }
    const threads: ThreadSnapshot[] = [];
    for (const thread of this.#threads.values()) {
      threads.push({
        id: thread.id,
        model: thread.model,
        status: thread.status,
        turns: thread.turns,
        runningTurnIds: runningByThread.get(thread.id) ?? [],
        lastTurnId: thread.lastTurnId,
        lastActivityAtMs: thread.lastActivityAtMs,
      });
    }
    return {
      takenAtMs: now,
      client: {
        state: lifecycle.value,
        status: lifecycle.status,
        error:
          failure instanceof Error
            ? redactSecrets(failure.message, this.#secrets)
            : failure == null
              ? null
              : redactSecrets(typeof failure === "string" ? failure : "the client failed", this.#secrets),
      },
      appServer: this.#appServer(now),
      threads,
      runningTurns: running,
      finishedTurns: [...this.#finished],
      pendingRequests: [...this.#pending.values()].map((request) => ({
        method: request.method,
        threadId: request.threadId,
        ageMs: now - request.sentAtMs,
      })),
      serverRequests: [...this.#serverRequests.values()].map((request) => ({
        id: request.id,
        method: request.method,
        threadId: request.threadId,
        turnId: request.turnId,
        ageMs: now - request.receivedAtMs,
      })),
      messages: this.#messages.map((entry) => this.#messageSnapshot(entry)),
      totals: { ...this.#totals },
    };
  }

  /**
   * Calls `listener` with a fresh snapshot after something changed, at most once per `intervalMs`.
   */
  subscribe(listener: SnapshotListener, options: SubscribeOptions = {}): Unsubscribe {
    const subscriber: Subscriber = {
      listener,
      intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
      timer: null,
      lastAtMs: 0,
    };
    const stop = unsubscribe(() => {
      this.#subscribers.delete(subscriber);
      if (subscriber.timer !== null) clearTimeout(subscriber.timer);
      subscriber.timer = null;
      options.signal?.removeEventListener("abort", stop);
    });
    if (options.signal?.aborted === true) return stop;
    this.#subscribers.add(subscriber);
    options.signal?.addEventListener("abort", stop, { once: true });
    return stop;
  }

  #changed(): void {
    if (this.#subscribers.size === 0) return;
    for (const subscriber of this.#subscribers) {
      if (subscriber.timer !== null) continue;
      const delay = Math.max(0, subscriber.lastAtMs + subscriber.intervalMs - Date.now());
      subscriber.timer = setTimeout(() => this.#call(subscriber), delay);
      subscriber.timer.unref();
    }
  }

  #call(subscriber: Subscriber): void {
    subscriber.timer = null;
    if (!this.#subscribers.has(subscriber)) return;
    subscriber.lastAtMs = Date.now();
    try {
      const result = subscriber.listener(this.snapshot());
      if (typeof (result as Promise<void> | undefined)?.then === "function") {
        (result as Promise<void>).then(undefined, (error: unknown) => this.#listenerFailed(error));
      }
    } catch (error) {
      this.#listenerFailed(error);
    }
  }

  #named(record: TurnRecord, turnId: string): void {
    record.turnId = turnId;
    this.#byTurnId.set(turnId, record);
    this.#thread(record.threadId).lastTurnId = turnId;
    if (record.span !== undefined) this.#spans?.nameTurn(record.span, turnId);
  }

  #finish(record: TurnRecord): void {
    if (this.#running.get(record.live) !== record) return;
    this.#running.delete(record.live);
    if (record.turnId !== null && this.#byTurnId.get(record.turnId) === record) this.#byTurnId.delete(record.turnId);
    queueMicrotask(() => record.subscription.unsubscribe());
    const snapshot = record.live.actor.getSnapshot();
    const turn = this.#turnSnapshot(record, Date.now());
    // A stopped machine never ran as a turn of its own (the server joined its input to a running turn).
    const ran = snapshot.status !== "stopped";
    if (ran) {
      this.#totals.turnsFinished++;
      if (this.#maxFinishedTurns > 0) {
        this.#finished.push(turn);
        if (this.#finished.length > this.#maxFinishedTurns) this.#finished.shift();
      }
    }
    if (record.span !== undefined) {
      const context = snapshot.context;
      this.#spans?.endTurn(record.span, {
        turnId: context.turnId,
        status: ran ? (typeof snapshot.value === "string" ? snapshot.value : "failed") : "joined",
        usage: context.usage,
        error: context.error,
      });
    }
    this.#touch(record.threadId);
    this.#changed();
  }

  #turnSnapshot(record: TurnRecord, endedAtMs: number | null): TurnSnapshot {
    const snapshot = record.live.actor.getSnapshot();
    const context = snapshot.context;
    return {
      threadId: record.threadId,
      turnId: context.turnId,
      state: snapshot.value,
      status: snapshot.status,
      items: context.items.length,
      openItems: context.openItemIds.length,
      deltas: context.deltas,
      steers: context.steers,
      interruptRequested: context.interruptRequested,
      usage: context.usage,
      error: context.error === null ? null : redactSecrets(context.error.message, this.#secrets),
      startedAtMs: record.startedAtMs,
      endedAtMs,
    };
  }

  #appServer(now: number): AppServerSnapshot | null {
    const connected = this.#connected;
    if (connected === null) return null;
    return {
      pid: connected.pid,
      name: connected.metadata.serverInfo.name,
      version: connected.metadata.serverInfo.version,
      platformOs: connected.metadata.platformOs,
      connectedAtMs: connected.atMs,
      uptimeMs: connected.endedAtMs === null ? now - connected.atMs : null,
      disconnectedAtMs: connected.endedAtMs,
    };
  }

  #messageSnapshot(entry: MessageEntry): MessageSnapshot {
    if (entry.bytes === undefined || entry.preview === undefined) {
      const message = entry.message as { params?: unknown; result?: unknown; error?: unknown };
      entry.bytes = Buffer.byteLength(jsonOf(entry.message));
      const payload =
        "method" in entry.message ? message.params : "error" in entry.message ? message.error : message.result;
      const text = payload === undefined ? "" : jsonOf(redactValue(payload, this.#secrets));
      entry.preview = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
    }
    const { record } = entry;
    return {
      direction: record.direction,
      kind: record.kind,
      id: record.id,
      method: record.method,
      atMs: record.atMs,
      elapsedMs: record.elapsedMs ?? null,
      bytes: entry.bytes,
      preview: entry.preview,
    };
  }

  /** Learns threads and server requests from the messages themselves. */
  #learn(record: MessageRecord, message: JsonRpcMessage): void {
    const body = message as { params?: Record<string, unknown>; result?: Record<string, unknown> };
    if (record.kind === "notification") {
      const params = body.params;
      const threadId = stringOf(params?.threadId);
      if (record.method === "thread/started") {
        const thread = params?.thread as { id?: unknown; model?: unknown } | undefined;
        const id = stringOf(thread?.id);
        if (id !== null) this.#thread(id);
      } else if (record.method === "thread/status/changed" && threadId !== null) {
        const status = params?.status as { type?: unknown } | undefined;
        this.#thread(threadId).status = stringOf(status?.type);
      } else if (record.method === "serverRequest/resolved") {
        const id = params?.requestId as RequestId | undefined;
        if (id !== undefined) this.#serverRequests.delete(id);
      }
      return;
    }
    if (record.kind === "request" && record.direction === "incoming" && record.id !== null && record.method !== null) {
      const params = body.params;
      this.#serverRequests.set(record.id, {
        id: record.id,
        method: record.method,
        threadId: stringOf(params?.threadId) ?? stringOf(params?.conversationId),
        turnId: stringOf(params?.turnId),
        receivedAtMs: record.atMs,
      });
      return;
    }
    if (record.direction === "outgoing" && record.kind !== "request" && record.id !== null) {
      this.#serverRequests.delete(record.id);
      return;
    }
    if (record.kind === "response" && record.method !== null && THREAD_ANSWERS.has(record.method)) {
      const result = body.result;
      const id = stringOf((result?.thread as { id?: unknown } | undefined)?.id);
      if (id === null) return;
      const thread = this.#thread(id);
      thread.model = stringOf(result?.model) ?? thread.model;
      const status = (result?.thread as { status?: { type?: unknown } } | undefined)?.status;
      thread.status = stringOf(status?.type) ?? thread.status;
    }
  }

  /** The record of a thread, created if new, marked as just active. */
  #thread(id: string): ThreadRecord {
    let thread = this.#threads.get(id);
    if (thread === undefined) {
      thread = { id, model: null, status: null, turns: 0, lastTurnId: null, lastActivityAtMs: Date.now() };
      if (this.#threads.size >= THREADS_KEPT) this.#forgetIdlestThread();
    } else {
      this.#threads.delete(id);
      thread.lastActivityAtMs = Date.now();
    }
    this.#threads.set(id, thread);
    return thread;
  }

  #touch(id: string): void {
    if (this.#threads.has(id)) this.#thread(id);
  }

  #forgetIdlestThread(): void {
    const busy = new Set([...this.#running.values()].map((record) => record.threadId));
    for (const id of this.#threads.keys()) {
      if (!busy.has(id)) {
        this.#threads.delete(id);
        return;
      }
    }
  }

  /** The client is closed (or its machine stopped): the trace file is closed. */
  #end(): void {
    this.#file?.close();
  }

  /** How many subscribers there are. */
  get subscriberCount(): number {
    return this.#subscribers.size;
  }
}
