import { checkTimeout } from "../errors/check-timeout.js";
import { InvalidInputError } from "../errors/invalid-input-error.js";
import { JsonRpcError } from "../errors/json-rpc-error.js";
import { ProtocolError } from "../errors/protocol-error.js";
import { RequestAbortedError } from "../errors/request-aborted-error.js";
import { RequestTimeoutError } from "../errors/request-timeout-error.js";
import { closeInfo, TransportClosedError } from "../errors/transport-closed-error.js";
import type { Transport, TransportCloseInfo, TransportMessage } from "../transport/transport.js";
import type { ProtocolDiagnostic } from "./diagnostic.js";
import type { JsonRpcErrorBody, JsonRpcMessage, JsonRpcNotification, JsonRpcRequest, RequestId } from "./messages.js";
import { unsubscribe, type ServerRequestHandler, type Unsubscribe } from "./server-request.js";
import type { TraceHook } from "./trace.js";

/** The default time a request may wait for its answer: 2 minutes. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

/** Options of {@link JsonRpcPeer}. */
export interface JsonRpcPeerOptions {
  /** How long a request waits for its answer unless the call says otherwise; `Infinity` for ever. Default 2 min. */
  requestTimeoutMs?: number | undefined;
  /** Sees every message, both ways, with timing. */
  trace?: TraceHook | undefined;
}

/**
 * Options of one request: the last argument of `codex.request()` and of every method that sends one
 * (`threadStart`, `thread.turn`, `handle.steer`, …).
 *
 * @example
 * ```ts
 * const thread = await codex.threadStart({}, { timeoutMs: 30_000 });
 * const { data } = await codex.request("thread/loaded/list", {}, { signal: AbortSignal.timeout(5_000) });
 * ```
 */
export interface RequestOptions {
  /** Gives up on the call (with `RequestAbortedError`) when aborted. */
  signal?: AbortSignal | undefined;
  /** How long to wait for the answer (with `RequestTimeoutError` after); default: the client's `requestTimeoutMs`. */
  timeoutMs?: number | undefined;
}

/**
 * Options of one request as the peer takes them: {@link RequestOptions} and the W3C trace context to send
 * along (the request's `trace` member).
 */
export interface PeerRequestOptions extends RequestOptions {
  /** Sent as the request's `trace` member (`traceparent`, `tracestate`), for the server's own tracing. */
  trace?: { readonly traceparent?: string | null; readonly tracestate?: string | null } | undefined;
}

interface PendingCall {
  readonly id: number;
  readonly method: string;
  readonly sentAt: number;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
  timer?: NodeJS.Timeout;
  signal?: AbortSignal;
  onAbort?: () => void;
}

const ABANDONED_IDS_KEPT = 1_024;
const METHOD_NOT_FOUND = -32601;
const INTERNAL_ERROR = -32603;
const CLOSED_BY_CLIENT = closeInfo("closed");

/**
 * Where the connection is in its life. `open`: calls go out. `closing`: `close()` was called and the transport
 * is closing (`done` is what `close()` returns); nothing more is sent. `closed`: the transport has ended, with
 * its close info; `done` resolves with what `close()` returns from then on.
 */
type PeerState =
  | { readonly name: "open" }
  | { readonly name: "closing"; readonly done: Promise<TransportCloseInfo> }
  | { readonly name: "closed"; readonly info: TransportCloseInfo; readonly done: Promise<TransportCloseInfo> };

/**
 * A JSON-RPC peer over a {@link Transport}: numbers requests, matches answers, times out and aborts calls,
 * dispatches server→client requests to per-method handlers and notifications to listeners. Generic over
 * method names; it does not validate payloads (the schema layer above does).
 *
 * - Every request has a timeout (`requestTimeoutMs`, or `timeoutMs` per call) and takes an `AbortSignal`; an
 *   answer arriving after either is dropped (a `lateResponse` diagnostic).
 * - A server request with no handler gets a method-not-found error (`-32601`), never `{}`; a handler that
 *   throws gets an error answer; the connection goes on.
 * - When the connection ends (by `close()` or on its own), every pending call rejects at once with
 *   `TransportClosedError`.
 */
export class JsonRpcPeer implements AsyncDisposable {
  readonly #transport: Transport;
  readonly #requestTimeoutMs: number;
  readonly #trace: TraceHook | undefined;
  readonly #pending = new Map<number, PendingCall>();
  readonly #abandoned = new Map<RequestId, string>();
  readonly #handlers = new Map<string, ServerRequestHandler>();
  readonly #notificationListeners = new Set<(notification: JsonRpcNotification) => void>();
  readonly #diagnosticListeners = new Set<(diagnostic: ProtocolDiagnostic) => void>();
  readonly #connection = new AbortController();
  readonly #closed = Promise.withResolvers<TransportCloseInfo>();
  #nextId = 1;
  #state: PeerState = { name: "open" };

  constructor(transport: Transport, options: JsonRpcPeerOptions = {}) {
    this.#transport = transport;
    this.#requestTimeoutMs = checkTimeout(
      options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      "requestTimeoutMs",
      true,
    );
    this.#trace = options.trace;
    // Listen from the next microtask: handlers and listeners registered right after construction then see
    // every message, even those a transport delivers synchronously from `listen()` (what it had queued).
    queueMicrotask(() =>
      transport.listen({
        message: (message) => this.#receive(message),
        diagnostic: (diagnostic) => this.#transportDiagnostic(diagnostic),
        close: (info) => this.#ended(info),
      }),
    );
  }

  /** Resolves when the connection has ended, however it ended. Never rejects. */
  get closed(): Promise<TransportCloseInfo> {
    return this.#closed.promise;
  }

  /** How the connection ended, once it has. */
  get closeInfo(): TransportCloseInfo | undefined {
    return this.#state.name === "closed" ? this.#state.info : undefined;
  }

  /** How many requests are waiting for their answer. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Sends a request and resolves with its `result`, or rejects with a plain `JsonRpcError` (the answer's `code`,
   * `message` and `data`, as sent; what they mean is for the layer above),
   * `RequestTimeoutError`, `RequestAbortedError`, `ProtocolError` or `TransportClosedError`.
   * `params` is sent as given (omitted when `undefined`); `R` is not checked.
   */
  request<R = unknown>(method: string, params?: unknown, options: PeerRequestOptions = {}): Promise<R> {
    if (this.#state.name !== "open") return Promise.reject(this.#refused(method));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new RequestAbortedError({ method, cause: signal.reason }));
    let timeoutMs = this.#requestTimeoutMs;
    try {
      if (options.timeoutMs !== undefined) timeoutMs = checkTimeout(options.timeoutMs, "timeoutMs", true);
    } catch (error) {
      return Promise.reject(error);
    }
    const id = this.#nextId++;
    const message: JsonRpcRequest = params === undefined ? { id, method } : { id, method, params };
    if (options.trace !== undefined) (message as { trace?: unknown }).trace = options.trace;
    try {
      this.#transport.send(message);
    } catch (error) {
      return Promise.reject(this.#sendError(error, method));
    }
    const { promise, resolve, reject } = Promise.withResolvers<R>();
    const call: PendingCall = {
      id,
      method,
      sentAt: performance.now(),
      resolve: resolve as (r: unknown) => void,
      reject,
    };
    this.#pending.set(id, call);
    if (timeoutMs !== Infinity) {
      call.timer = setTimeout(() => this.#abandon(call, new RequestTimeoutError({ method, id, timeoutMs })), timeoutMs);
    }
    if (signal !== undefined) {
      call.signal = signal;
      call.onAbort = () => this.#abandon(call, new RequestAbortedError({ method, id, cause: signal.reason }));
      signal.addEventListener("abort", call.onAbort, { once: true });
    }
    if (this.#trace !== undefined) this.#traceMessage("outgoing", message);
    return promise;
  }

  /**
   * Sends a notification (no answer).
   *
   * @throws {TransportClosedError} when the connection is closed.
   */
  notify(method: string, params?: unknown): void {
    if (this.#state.name !== "open") throw this.#refused(method);
    const message: JsonRpcNotification = params === undefined ? { method } : { method, params };
    try {
      this.#transport.send(message);
    } catch (error) {
      throw this.#sendError(error, method);
    }
    if (this.#trace !== undefined) this.#traceMessage("outgoing", message);
  }

  /**
   * Handles the server→client requests of one method (replacing an earlier handler of it).
   */
  onRequest<P = unknown, R = unknown>(method: string, handler: ServerRequestHandler<P, R>): Unsubscribe {
    this.#handlers.set(method, handler as ServerRequestHandler);
    return unsubscribe(() => {
      if (this.#handlers.get(method) === handler) this.#handlers.delete(method);
    });
  }

  /**
   * Listens to every notification, as parsed (`{ method, params, emittedAtMs }`); called synchronously, in order.
   */
  onNotification(listener: (notification: JsonRpcNotification) => void): Unsubscribe {
    this.#notificationListeners.add(listener);
    return unsubscribe(() => this.#notificationListeners.delete(listener));
  }

  /**
   * Listens to protocol diagnostics: malformed or oversized lines, late or unknown answers, unhandled or
   * failed server requests.
   */
  onDiagnostic(listener: (diagnostic: ProtocolDiagnostic) => void): Unsubscribe {
    this.#diagnosticListeners.add(listener);
    return unsubscribe(() => this.#diagnosticListeners.delete(listener));
  }

  /**
   * Closes the connection: pending calls reject at once with `TransportClosedError`, then the transport
   * closes (for a process: stdin ends, then signals). Idempotent.
   */
  close(): Promise<TransportCloseInfo> {
    if (this.#state.name !== "open") return this.#state.done;
    this.#rejectPending(CLOSED_BY_CLIENT);
    this.#connection.abort(TransportClosedError.from(CLOSED_BY_CLIENT));
    const done = this.#transport.close();
    // A transport may end from within its close(): the state is then closed already, and keeps this promise.
    const now = this.#state as PeerState; // not narrowed: the close() above may have changed it
    this.#state = now.name === "closed" ? { ...now, done } : { name: "closing", done };
    return done;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #receive(message: TransportMessage): void {
    const method = message.method;
    if (typeof method === "string") {
      if (this.#trace !== undefined) this.#traceMessage("incoming", message as unknown as JsonRpcMessage);
      if (message.id === undefined) this.#deliverNotification(message as unknown as JsonRpcNotification);
      else void this.#answerServerRequest(message as unknown as JsonRpcRequest);
    } else {
      this.#settle(message);
    }
  }

  #deliverNotification(notification: JsonRpcNotification): void {
    for (const listener of this.#notificationListeners) {
      try {
        listener(notification);
      } catch (error) {
        this.#diagnose({
          kind: "listenerFailed",
          message: `A notification listener threw on ${notification.method}: ${describe(error)}`,
          atMs: Date.now(),
          method: notification.method,
          error,
        });
      }
    }
  }

  async #answerServerRequest(request: JsonRpcRequest): Promise<void> {
    const { id, method } = request;
    const receivedAt = performance.now();
    if (typeof id !== "number" && typeof id !== "string") {
      this.#diagnose({
        kind: "invalidServerRequest",
        message: `Ignored a ${method} request whose id is neither a number nor a string: it cannot be answered.`,
        atMs: Date.now(),
        id,
        method,
      });
      return;
    }
    const handler = this.#handlers.get(method);
    if (handler === undefined) {
      this.#diagnose({
        kind: "unhandledServerRequest",
        message: `The server sent a ${method} request (id ${id}) that nothing handles; it was answered with method-not-found. Register a handler with onRequest("${method}", …).`,
        atMs: Date.now(),
        id,
        method,
      });
      this.#reply(
        method,
        { id, error: { code: METHOD_NOT_FOUND, message: `Method not found: no handler for ${method}` } },
        receivedAt,
      );
      return;
    }
    let answer: { id: RequestId; result: unknown } | { id: RequestId; error: JsonRpcErrorBody };
    try {
      const result = await handler(request.params, { id, method, signal: this.#connection.signal });
      answer = { id, result: result === undefined ? null : result };
    } catch (error) {
      this.#diagnose({
        kind: "serverRequestFailed",
        message: `The handler of ${method} (id ${id}) threw; the server got an error answer: ${describe(error)}`,
        atMs: Date.now(),
        id,
        method,
        error,
      });
      answer = { id, error: errorBody(error) };
    }
    this.#reply(method, answer, receivedAt);
  }

  #reply(
    method: string,
    answer: { id: RequestId; result: unknown } | { id: RequestId; error: JsonRpcErrorBody },
    receivedAt: number,
  ): void {
    if (this.#state.name !== "open") return;
    try {
      this.#transport.send(answer);
    } catch (error) {
      this.#diagnose({
        kind: "sendFailed",
        message: `Could not send the answer to the server's ${method} request (id ${answer.id}): ${describe(error)}`,
        atMs: Date.now(),
        id: answer.id,
        method,
        error,
      });
      return;
    }
    if (this.#trace !== undefined) this.#traceMessage("outgoing", answer, performance.now() - receivedAt);
  }

  #settle(message: TransportMessage): void {
    const id = message.id;
    const call = typeof id === "number" ? this.#pending.get(id) : undefined;
    if (this.#trace !== undefined) {
      this.#traceMessage(
        "incoming",
        message as unknown as JsonRpcMessage,
        call === undefined ? undefined : performance.now() - call.sentAt,
      );
    }
    if (call === undefined) {
      this.#stray(message, id);
      return;
    }
    this.#forget(call);
    if ("error" in message) {
      const body = message.error as Partial<JsonRpcErrorBody> | null;
      if (
        typeof body === "object" &&
        body !== null &&
        typeof body.code === "number" &&
        typeof body.message === "string"
      ) {
        call.reject(new JsonRpcError(body.message, { code: body.code, data: body.data, method: call.method }));
        return;
      }
    } else if ("result" in message) {
      call.resolve(message.result);
      return;
    }
    const text = `The answer to ${call.method} (id ${call.id}) has neither a result nor a well-formed error; the outcome is unknown.`;
    this.#diagnose({ kind: "invalidResponse", message: text, atMs: Date.now(), id });
    call.reject(new ProtocolError(text, { kind: "invalidResponse", method: call.method }));
  }

  #stray(message: TransportMessage, id: unknown): void {
    if (id === undefined) {
      this.#diagnose({
        kind: "invalidResponse",
        message: "Ignored a message with neither a method nor an id.",
        atMs: Date.now(),
      });
      return;
    }
    const method = this.#abandoned.get(id as RequestId);
    if (method !== undefined) {
      this.#abandoned.delete(id as RequestId);
      this.#diagnose({
        kind: "lateResponse",
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- an id from the wire: its text, whatever it is
        message: `Dropped the answer to ${method} (id ${String(id)}): it came after the call had timed out or been aborted.`,
        atMs: Date.now(),
        id: id as RequestId,
        method,
      });
      return;
    }
    const what = "error" in message ? "An error answer" : "An answer";
    this.#diagnose({
      kind: "unknownResponse",
      message: `${what} with id ${JSON.stringify(id)} matches no call of this client; it was dropped.`,
      atMs: Date.now(),
      id,
    });
  }

  #transportDiagnostic(diagnostic: ProtocolDiagnostic): void {
    if (diagnostic.kind === "oversizedLine" && typeof diagnostic.id === "number") {
      const call = this.#pending.get(diagnostic.id);
      if (call !== undefined) {
        this.#forget(call);
        call.reject(
          new ProtocolError(
            `The answer to ${call.method} (id ${call.id}) was ${diagnostic.bytes} bytes, over the ${diagnostic.limit}-byte line limit, and was dropped; the outcome is unknown. Raise \`maxLineBytes\` to accept it.`,
            { kind: "oversizedLine", method: call.method },
          ),
        );
      }
    }
    this.#diagnose(diagnostic);
  }

  #abandon(call: PendingCall, error: Error): void {
    if (this.#pending.get(call.id) !== call) return;
    this.#forget(call);
    this.#abandoned.set(call.id, call.method);
    if (this.#abandoned.size > ABANDONED_IDS_KEPT) {
      this.#abandoned.delete(this.#abandoned.keys().next().value!);
    }
    call.reject(error);
  }

  #forget(call: PendingCall): void {
    this.#pending.delete(call.id);
    if (call.timer !== undefined) clearTimeout(call.timer);
    if (call.onAbort !== undefined) call.signal!.removeEventListener("abort", call.onAbort);
  }

  #rejectPending(details: TransportCloseInfo): void {
    const calls = [...this.#pending.values()];
    for (const call of calls) this.#forget(call);
    for (const call of calls)
      call.reject(TransportClosedError.from(details, { method: call.method, id: call.id, sent: true }));
  }

  #ended(info: TransportCloseInfo): void {
    const state = this.#state;
    if (state.name === "closed") return;
    this.#state = { name: "closed", info, done: state.name === "closing" ? state.done : this.#closed.promise };
    this.#rejectPending(info);
    this.#connection.abort(TransportClosedError.from(info));
    this.#closed.resolve(info);
  }

  /** The error for a call made once the connection is closing or closed: nothing was sent. */
  #refused(method: string): TransportClosedError {
    return TransportClosedError.from(this.closeInfo ?? CLOSED_BY_CLIENT, { method, sent: false });
  }

  #sendError(error: unknown, method: string): Error {
    if (error instanceof TransportClosedError) {
      return TransportClosedError.from(this.#transport.closeInfo ?? CLOSED_BY_CLIENT, { method, sent: false });
    }
    return new InvalidInputError(`The params of ${method} cannot be sent as JSON: ${describe(error)}`, {
      cause: error,
    });
  }

  #diagnose(diagnostic: ProtocolDiagnostic): void {
    for (const listener of this.#diagnosticListeners) {
      try {
        listener(diagnostic);
      } catch {
        // a failing diagnostic listener has nowhere left to report to
      }
    }
  }

  #traceMessage(direction: "outgoing" | "incoming", message: JsonRpcMessage, elapsedMs?: number): void {
    try {
      this.#trace!(
        elapsedMs === undefined
          ? { direction, message, atMs: Date.now() }
          : { direction, message, atMs: Date.now(), elapsedMs },
      );
    } catch (error) {
      this.#diagnose({
        kind: "listenerFailed",
        message: `The trace hook threw: ${describe(error)}`,
        atMs: Date.now(),
        error,
      });
    }
  }
}

function errorBody(error: unknown): JsonRpcErrorBody {
  if (error instanceof JsonRpcError) {
    return error.data === undefined
      ? { code: error.code, message: error.rpcMessage }
      : { code: error.code, message: error.rpcMessage, data: error.data };
  }
  return { code: INTERNAL_ERROR, message: describe(error) };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
