import type { ClientDiagnostic } from "../client/client-diagnostic.js";
import { SyncEvents } from "../client/events.js";
import type { AppServerMetadata } from "../client/metadata.js";
import { ApprovalHandlerChoice } from "../client/approval-handler-choice.js";
import type { ApprovalHandler, ServerRequest } from "../client/server-request.js";
import { AppServerError } from "../errors/app-server-error.js";
import { RequestTimeoutError } from "../errors/request-timeout-error.js";
import { TransportClosedError } from "../errors/transport-closed-error.js";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "../rpc/peer.js";
import { killOnExit } from "../transport/kill-on-exit.js";
import { closeBudgetMs } from "../transport/stdio-transport.js";
import { callWorker } from "./bridge.js";
import type { SyncCodexEventMap } from "./codex-events.js";
import type { CodexConfig } from "./config.js";
import type { BridgeRequest, BridgeResponse, ClientNews, WireAnswer, WireServerRequest } from "./messages.js";
import type {
  OpenedClient,
  OperationArgs,
  OperationName,
  OperationResult,
  SyncRequestOptions,
  SyncTurnWaitOptions,
} from "./operations.js";
import { DEFAULT_TURN_TIMEOUT_MS, REQUEST_MARGIN_MS } from "./timing.js";
import { toWireConfig } from "./wire-config.js";
import { fromWire, toWire, type WireValue } from "./wire-error.js";

/** How long the caller may wait for an operation in all, beyond which it gives up (the worker's own timers fire first). */
export type Budget = { readonly timeoutMs: number } | "untilDone";

/**
 * Caller side of one sync client: runs its operations in the worker and blocks until each is done, running
 * the approval handler on this thread whenever the worker hands over a server request, and delivering the
 * client's diagnostics. Closed once; later calls throw {@link TransportClosedError}.
 */
export class ClientLink {
  readonly #handlers: ApprovalHandlerChoice;
  /** The client's events, delivered on this thread. */
  readonly events = new SyncEvents<SyncCodexEventMap>();
  readonly #requestTimeoutMs: number;
  readonly #turnTimeoutMs: number;
  /** How long the app-server may take to exit once asked (`closeBudgetMs`). */
  readonly #exitBudgetMs: number;
  readonly #releasedTurns: string[] = [];
  readonly #turns = new FinalizationRegistry<string>((turnId) => this.#releasedTurns.push(turnId));
  readonly #clientId: number;
  readonly #metadata: AppServerMetadata;
  /** The app-servers this client started (one per restart) that may still run, each guarded to die with this process. */
  readonly #guards = new Map<number, () => void>();
  #closed = false;

  /** Starts the app-server in the worker and runs the handshake; on failure nothing is left running. */
  constructor(config: CodexConfig) {
    this.#handlers = new ApprovalHandlerChoice(config.approvalHandler);
    this.#requestTimeoutMs = config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#turnTimeoutMs = config.turnTimeoutMs ?? DEFAULT_TURN_TIMEOUT_MS;
    this.#exitBudgetMs = closeBudgetMs(config);
    const opened = this.#drive({ kind: "open", config: toWireConfig(config) }, "initialize", {
      timeoutMs: this.#requestTimeoutMs + REQUEST_MARGIN_MS + this.#exitBudgetMs,
    }) as OpenedClient;
    this.#clientId = opened.clientId;
    this.#metadata = opened.metadata;
  }

  /** What the app-server said in the handshake. */
  get metadata(): AppServerMetadata {
    return this.#metadata;
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** A turn wait's options: its own `timeoutMs`, or the client's `turnTimeoutMs`, so that no wait is endless. */
  turnWait(options?: SyncTurnWaitOptions): SyncTurnWaitOptions {
    return { timeoutMs: options?.timeoutMs ?? this.#turnTimeoutMs };
  }

  /** The budget of a request: its timeout (or the client's) plus a margin. */
  requestBudget(options?: SyncRequestOptions): Budget {
    return { timeoutMs: (options?.timeoutMs ?? this.#requestTimeoutMs) + REQUEST_MARGIN_MS };
  }

  /**
   * Runs an operation in the worker and blocks until it is done.
   *
   * @throws whatever the async client threw, rebuilt with its class.
   */
  invoke<Name extends OperationName>(name: Name, args: OperationArgs<Name>, budget: Budget): OperationResult<Name> {
    if (this.#closed) {
      throw TransportClosedError.clientClosed("Codex");
    }
    const releasedTurns = this.#releasedTurns.length === 0 ? undefined : this.#releasedTurns.splice(0);
    return this.#drive(
      { kind: "invoke", clientId: this.#clientId, name, args, releasedTurns },
      name,
      budget,
    ) as OperationResult<Name>;
  }

  /** Tells the worker to forget the turn once `handle` is garbage-collected. */
  holdTurn(handle: object, turnId: string): void {
    this.#turns.register(handle, turnId);
  }

  /** A thread's own approval handler (run on this thread), which wins over the client's. */
  threadHandler(threadId: string): ApprovalHandler | undefined {
    return this.#handlers.thread(threadId);
  }

  /** Sets or removes a thread's own approval handler; the worker starts or stops forwarding its requests. */
  setThreadHandler(threadId: string, handler: ApprovalHandler | undefined): void {
    const had = this.#handlers.setThread(threadId, handler);
    if (had !== (handler !== undefined)) {
      this.invoke("forwardServerRequests", [threadId, handler !== undefined], this.requestBudget());
    }
  }

  /**
   * Ends the app-server (in the worker) and forgets the client. Idempotent. Should the worker fail to
   * confirm it, the app-server stays guarded, and dies with this process at the latest.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const request: BridgeRequest = { kind: "invoke", clientId: this.#clientId, name: "close", args: [] };
    this.#drive(request, "close", { timeoutMs: this.#exitBudgetMs + REQUEST_MARGIN_MS });
    for (const release of this.#guards.values()) release();
    this.#guards.clear();
  }

  #guard(pid: number): void {
    if (!this.#guards.has(pid)) this.#guards.set(pid, killOnExit(pid, { signals: false }));
  }

  #drive(request: BridgeRequest, what: string, budget: Budget): unknown {
    let deadline = budget === "untilDone" ? Infinity : Date.now() + budget.timeoutMs;
    let response: BridgeResponse = callWorker(request);
    for (;;) {
      this.#learn(response.news);
      const { outcome } = response;
      switch (outcome.kind) {
        case "value":
          return outcome.value;
        case "error":
          throw fromWire(outcome.error, new Error().stack);
        case "serverRequest": {
          const startedAt = Date.now();
          const answer = this.#answer(outcome.request);
          deadline += Date.now() - startedAt;
          response = callWorker({ kind: "poll", opId: outcome.opId, answer: { key: outcome.key, answer } });
          break;
        }
        case "waiting":
          if (Date.now() > deadline) {
            try {
              callWorker({ kind: "cancel", opId: outcome.opId });
            } catch {
              // the worker is gone: nothing is left to cancel
            }
            const timeoutMs = budget === "untilDone" ? 0 : budget.timeoutMs;
            throw new RequestTimeoutError({ method: what, id: `sync operation ${outcome.opId}`, timeoutMs });
          }
          response = callWorker({ kind: "poll", opId: outcome.opId });
          break;
      }
    }
  }

  #answer(wire: WireServerRequest): WireAnswer {
    const handler = this.#handlers.for(wire.threadId);
    if (handler === undefined) return { kind: "default" };
    const settled = new AbortController();
    try {
      const answer = handler({ ...wire, signal: settled.signal } as ServerRequest);
      if (typeof (answer as { then?: unknown } | undefined)?.then === "function") {
        void Promise.resolve(answer).catch(() => {});
        const error = new AppServerError(
          `the approval handler of a sync Codex returned a Promise for ${wire.method}: it must answer synchronously, so the request was declined.`,
        );
        return { kind: "failed", error: toWire(error) };
      }
      if (answer === undefined) return { kind: "default" };
      // eslint-disable-next-line @typescript-eslint/no-floating-promises -- the Promise a sync handler wrongly returned: only its rejection is silenced
      structuredClone(answer);
      return { kind: "answer", value: answer as Exclude<typeof answer, Promise<unknown>> };
    } catch (error) {
      return { kind: "failed", error: toWire(error) };
    } finally {
      settled.abort(new Error(`request ${wire.id} is settled`));
    }
  }

  #learn(news: ClientNews | undefined): void {
    if (news === undefined) return;
    for (const pid of news.startedPids ?? []) this.#guard(pid);
    for (const pid of news.exitedPids ?? []) {
      this.#guards.get(pid)?.();
      this.#guards.delete(pid);
    }
    for (const wire of news.diagnostics ?? []) {
      this.events.emit(
        "diagnostic",
        (wire.error === undefined ? wire : { ...wire, error: fromWire(wire.error) }) as ClientDiagnostic,
      );
    }
    for (const { name, data } of news.restartEvents ?? []) {
      const rebuilt = fromWire(data) as Record<string, unknown>;
      if (name === "restarting") rebuilt.error = fromWire(rebuilt.error as WireValue);
      this.events.emit(name, rebuilt as never);
    }
  }
}
