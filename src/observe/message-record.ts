import type { JsonRpcMessage, RequestId } from "../rpc/messages.js";
import type { TraceEvent } from "../rpc/trace.js";

/**
 * What kind of JSON-RPC message: a request, a notification, or the answer to a request (a result or an error).
 *
 * @example
 * ```ts
 * const errors = codex.snapshot().messages.filter((m) => m.kind === ("error" satisfies MessageKind));
 * ```
 */
export type MessageKind = "request" | "notification" | "response" | "error";

/**
 * One message on the wire, described without its payload: which way it went, what it was, and when.
 */
export interface MessageRecord {
  /** `"outgoing"`: sent to the app-server; `"incoming"`: received from it. */
  readonly direction: "outgoing" | "incoming";
  readonly kind: MessageKind;
  /** The request id (of the request, or of the request a response answers); `null` for a notification. */
  readonly id: RequestId | null;
  /** The method; for a response, the method of the request it answers (when that request was seen). */
  readonly method: string | null;
  /** When, by `Date.now()`. */
  readonly atMs: number;
  /** For a response: how long after its request, in milliseconds. */
  readonly elapsedMs?: number | undefined;
}

const METHODS_KEPT = 4_096;

/**
 * Remembers the method of each request seen, by direction and id, so that its answer can be named: the
 * client's requests (answered by incoming responses) and the server's (answered by outgoing ones). Bounded:
 * past 4,096 unanswered requests a side, the oldest are forgotten (their answers then have no method).
 */
export class RequestMethods {
  readonly #sent = new Map<RequestId, string>();
  readonly #received = new Map<RequestId, string>();

  /** Describes one traced message, remembering or forgetting the request it is or answers. */
  record(event: TraceEvent): MessageRecord {
    const message = event.message as JsonRpcMessage & { id?: RequestId; method?: string; error?: unknown };
    const { direction, atMs, elapsedMs } = event;
    const id = message.id ?? null;
    if (typeof message.method === "string") {
      if (id === null) return { direction, kind: "notification", id: null, method: message.method, atMs };
      remember(direction === "outgoing" ? this.#sent : this.#received, id, message.method);
      return { direction, kind: "request", id, method: message.method, atMs };
    }
    const asked = direction === "incoming" ? this.#sent : this.#received;
    const method = id === null ? null : (asked.get(id) ?? null);
    if (id !== null) asked.delete(id);
    return { direction, kind: message.error === undefined ? "response" : "error", id, method, atMs, elapsedMs };
  }
}

function remember(methods: Map<RequestId, string>, id: RequestId, method: string): void {
  methods.set(id, method);
  if (methods.size > METHODS_KEPT) methods.delete(methods.keys().next().value!);
}

/** A value as JSON text; `""` for what JSON cannot hold (`undefined`, a function). */
export function jsonOf(value: unknown): string {
  // JSON.stringify is typed as always giving a string; it gives `undefined` for those.
  const stringify = JSON.stringify as (value: unknown) => string | undefined;
  return stringify(value) ?? "";
}
