import type * as OpenTelemetryApi from "@opentelemetry/api";
import { JsonRpcError } from "../errors/json-rpc-error.js";
import type { ThreadTokenUsage, TurnError, W3cTraceContext } from "../schema/index.js";
import { VERSION } from "../version.js";

type Api = typeof OpenTelemetryApi;
type Span = OpenTelemetryApi.Span;
type Context = OpenTelemetryApi.Context;

/** The optional peer dependency, by name: a variable, so that bundlers and `tsc` do not insist on it. */
const API_PACKAGE = "@opentelemetry/api";

let loading: Promise<Api | null> | undefined;

/**
 * `@opentelemetry/api`, when it is installed; `null` when it is not. Imported once, on the first client start
 * in a program that registered a tracer provider ({@link openTelemetryInUse}), never at import time: a program
 * without OpenTelemetry pays nothing for it.
 */
export function loadOpenTelemetry(): Promise<Api | null> {
  loading ??= import(API_PACKAGE).then(
    (module: Partial<Api> & { default?: Api }) =>
      typeof module.trace?.getTracer === "function" ? (module as Api) : (module.default ?? null),
    () => null,
  );
  return loading;
}

/** Where `@opentelemetry/api` 1.x keeps what is registered (its tracer provider, its context manager), process-wide. */
const API_GLOBAL = Symbol.for("opentelemetry.js.api.1");

/**
 * Whether a program uses OpenTelemetry: a tracer provider or a context manager is registered with
 * `@opentelemetry/api` 1.x (read from the API's global registry, without loading the API). Until one is, the
 * client makes no span and does not load the API (44 modules, ≈ 20–30 ms of CPU on the first start).
 */
export function openTelemetryInUse(): boolean {
  const registry = (globalThis as { [API_GLOBAL]?: { trace?: unknown; context?: unknown } })[API_GLOBAL];
  return registry !== undefined && (registry.trace !== undefined || registry.context !== undefined);
}

/** What a turn span learns when its turn ends. */
export interface TurnOutcome {
  readonly turnId: string | null;
  /** `completed`, `interrupted` or `failed`. */
  readonly status: string;
  readonly usage: ThreadTokenUsage | null;
  readonly error: TurnError | null;
}

/**
 * Spans of one client, on the global tracer provider: a span per request (kind `CLIENT`, named by its method)
 * and a span per turn (`codex.turn`, with thread id, turn id, model, status and token usage), the turn's own
 * requests (`turn/start`, `turn/steer`, `turn/interrupt`) as its children. Each request carries the W3C trace
 * context of its span to the app-server, in the request's `trace` member.
 */
export class TurnSpans {
  readonly #api: Api;
  readonly #tracer: OpenTelemetryApi.Tracer;

  constructor(api: Api) {
    this.#api = api;
    this.#tracer = api.trace.getTracer("codex-app-server", VERSION);
  }

  /**
   * Whether a span would be recorded or carry a trace context: a tracer provider is registered, or `parent` (else
   * the active context) holds a span. When neither, the API would make only no-op spans with no context to
   * send, so none are made (≈ 0.2–0.3 ms of CPU per turn saved).
   */
  #live(parent: Context | undefined): boolean {
    const api = this.#api;
    // The API's global provider is a proxy, whose delegate is the registered provider (none: no-op spans).
    const provider = api.trace.getTracerProvider() as {
      getDelegateTracer?: (name: string, version?: string) => OpenTelemetryApi.Tracer | undefined;
    };
    if (provider.getDelegateTracer === undefined) return true;
    if (provider.getDelegateTracer("codex-app-server", VERSION) !== undefined) return true;
    return api.trace.getSpanContext(parent ?? api.context.active()) !== undefined;
  }

  /** Starts a turn's span, a child of the active span; `undefined` when it would be a no-op span. */
  startTurn(threadId: string, model: string | null): Context | undefined {
    if (!this.#live(undefined)) return undefined;
    const attributes: OpenTelemetryApi.Attributes = { "codex.thread.id": threadId };
    if (model !== null) attributes["codex.model"] = attributes["gen_ai.request.model"] = model;
    const span = this.#tracer.startSpan("codex.turn", { kind: this.#api.SpanKind.INTERNAL, attributes });
    return this.#api.trace.setSpan(this.#api.context.active(), span);
  }

  /** The turn's id, once `turn/start` answered it. */
  nameTurn(turn: Context, turnId: string): void {
    this.#api.trace.getSpan(turn)?.setAttribute("codex.turn.id", turnId);
  }

  /** Ends a turn's span with its outcome. */
  endTurn(turn: Context, outcome: TurnOutcome): void {
    const span = this.#api.trace.getSpan(turn);
    if (span === undefined) return;
    if (outcome.turnId !== null) span.setAttribute("codex.turn.id", outcome.turnId);
    span.setAttribute("codex.turn.status", outcome.status);
    const usage = outcome.usage?.last;
    if (usage !== undefined) {
      span.setAttributes({
        "gen_ai.usage.input_tokens": usage.inputTokens,
        "gen_ai.usage.output_tokens": usage.outputTokens,
        "codex.usage.cached_input_tokens": usage.cachedInputTokens,
        "codex.usage.reasoning_output_tokens": usage.reasoningOutputTokens,
        "codex.usage.total_tokens": usage.totalTokens,
      });
    }
    if (outcome.status === "failed") {
      span.setStatus({ code: this.#api.SpanStatusCode.ERROR, message: outcome.error?.message ?? "the turn failed" });
    }
    span.end();
  }

  /**
   * Runs one request in its own span, a child of `parent` (a turn's) or of the active span, and hands `send`
   * the span's W3C trace context for the request's `trace` member.
   */
  async request<R>(
    method: string,
    parent: Context | undefined,
    send: (trace: W3cTraceContext | undefined) => Promise<R>,
  ): Promise<R> {
    if (!this.#live(parent)) return send(undefined);
    const api = this.#api;
    const span = this.#tracer.startSpan(
      method,
      { kind: api.SpanKind.CLIENT, attributes: { "rpc.system": "jsonrpc", "rpc.method": method } },
      parent ?? api.context.active(),
    );
    try {
      const result = await send(traceContextOf(api, span));
      span.end();
      return result;
    } catch (error) {
      fail(api, span, error);
      throw error;
    }
  }
}

function fail(api: Api, span: Span, error: unknown): void {
  if (error instanceof JsonRpcError) span.setAttribute("rpc.jsonrpc.error_code", error.code);
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: api.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.end();
}

/** The W3C `traceparent`/`tracestate` of a span, or `undefined` when its context is not a real one. */
export function traceContextOf(api: Api, span: Span): W3cTraceContext | undefined {
  const context = span.spanContext();
  if (!api.trace.isSpanContextValid(context)) return undefined;
  const flags = (context.traceFlags & 0xff).toString(16).padStart(2, "0");
  const traceparent = `00-${context.traceId}-${context.spanId}-${flags}`;
  const tracestate = context.traceState?.serialize();
  return tracestate === undefined || tracestate === "" ? { traceparent } : { traceparent, tracestate };
}
