import type { JsonRpcPeer } from "../rpc/peer.js";
import type { ServerRequestContext } from "../rpc/server-request.js";
import type { RequestId, ServerRequestMethod } from "../schema/index.js";
import { abortable } from "./abortable.js";
import { ApprovalHandlerChoice } from "./approval-handler-choice.js";
import { failClosedAnswer, SERVER_REQUEST_METHODS } from "./approval-handlers.js";
import { explainMisfit, loadOldestProtocolChecks, loadProtocolChecks } from "./protocol-checks.js";
import type { ClientDiagnostic } from "./client-diagnostic.js";
import type { ApprovalHandler, ServerRequest, ServerRequestAnswer } from "./server-request.js";

/** Options of {@link ServerRequestRouter}. */
export interface ServerRequestRouterOptions {
  /** The client-wide handler; `undefined` for the fail-closed default. */
  readonly handler: ApprovalHandler | undefined;
  /** How long a handler may take before its request is declined. */
  readonly timeoutMs: number;
  /** Reports handlers that threw, timed out or answered wrongly. */
  readonly diagnose: (diagnostic: Omit<Extract<ClientDiagnostic, { kind: "serverRequestFailed" }>, "atMs">) => void;
  /** The app-server's version, named in the diagnostic of a request whose params do not fit the schema. */
  readonly serverVersion?: (() => string | undefined) | undefined;
}

interface Pending {
  readonly controller: AbortController;
  readonly threadId: string | null;
  readonly turnId: string | null;
}

function idsOf(params: unknown): { threadId: string | null; turnId: string | null } {
  const p = (params ?? {}) as { threadId?: unknown; turnId?: unknown; conversationId?: unknown };
  const threadId =
    typeof p.threadId === "string" ? p.threadId : typeof p.conversationId === "string" ? p.conversationId : null;
  return { threadId, turnId: typeof p.turnId === "string" ? p.turnId : null };
}

/**
 * Whether `value` is JSON data that serializes as it reads: strings, finite numbers, booleans, `null`, arrays
 * and plain objects of those (`undefined` properties allowed, they are left out), with no getter, `toJSON`,
 * class instance, function, symbol or bigint anywhere.
 */
function isPlainData(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object") return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    if (prototype !== Array.prototype) return false;
  } else if (prototype !== Object.prototype && prototype !== null) {
    return false;
  }
  if (Object.getOwnPropertySymbols(value).length > 0) return false;
  for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
    if (!("value" in descriptor) || key === "toJSON") return false;
    if (Array.isArray(value) && key === "length") continue;
    if (descriptor.value === undefined && !Array.isArray(value)) continue;
    if (!isPlainData(descriptor.value, depth + 1)) return false;
  }
  return true;
}

/**
 * Answers the app-server's requests: picks the thread's handler, else the client's, else the fail-closed
 * default; gives it a signal that fires when the turn ends, the server resolves the request
 * (`serverRequest/resolved`) or the connection closes; bounds it in time; checks its answer against the
 * method's schema. Whatever goes wrong, the server gets the fail-closed answer.
 */
export class ServerRequestRouter {
  readonly #options: ServerRequestRouterOptions;
  readonly #handlers: ApprovalHandlerChoice;
  readonly #pending = new Map<RequestId, Pending>();

  constructor(options: ServerRequestRouterOptions) {
    this.#options = options;
    this.#handlers = new ApprovalHandlerChoice(options.handler);
  }

  /** Registers a handler on every server request method of the protocol. */
  attach(peer: JsonRpcPeer): void {
    for (const method of SERVER_REQUEST_METHODS) {
      peer.onRequest(method, (params, context) => this.#answer(method, params, context));
    }
  }

  /** Sets (or, with `undefined`, removes) the handler of one thread, which wins over the client's. */
  setThreadHandler(threadId: string, handler: ApprovalHandler | undefined): void {
    this.#handlers.setThread(threadId, handler);
  }

  /** The handler of one thread, if it has its own. */
  threadHandler(threadId: string): ApprovalHandler | undefined {
    return this.#handlers.thread(threadId);
  }

  /**
   * The server answered the request itself (`serverRequest/resolved`): its handler's signal fires, and the
   * fail-closed answer goes out without a diagnostic (the server no longer waits for it).
   */
  resolved(requestId: RequestId): void {
    this.#pending.get(requestId)?.controller.abort(new Error(`the server resolved request ${requestId} itself`));
  }

  /** A turn ended: the signals of its pending requests fire. */
  turnEnded(turnId: string): void {
    for (const pending of this.#pending.values()) {
      if (pending.turnId === turnId) pending.controller.abort(new Error(`turn ${turnId} ended`));
    }
  }

  async #answer(
    method: ServerRequestMethod,
    params: unknown,
    context: ServerRequestContext,
  ): Promise<ServerRequestAnswer> {
    const { threadId, turnId } = idsOf(params);
    const { fitsServerRequest, fitsServerRequestResult } = await loadProtocolChecks();
    const checked =
      fitsServerRequest(method, params) === true
        ? { ok: true as const }
        : await explainMisfit("checkServerRequest", method, params);
    if (!checked.ok && !(await this.#olderShape(method, params))) {
      const version = this.#options.serverVersion?.() ?? "unknown";
      this.#report(
        method,
        context.id,
        `its params from codex ${version} do not fit the schema (${checked.errors.join("; ")}); declined`,
      );
      return failClosedAnswer({ method });
    }
    const handler = this.#handlers.for(threadId);
    if (handler === undefined) return failClosedAnswer({ method });
    const controller = new AbortController();
    const timeout = Number.isFinite(this.#options.timeoutMs) ? AbortSignal.timeout(this.#options.timeoutMs) : undefined;
    const signal = AbortSignal.any(
      timeout === undefined ? [controller.signal, context.signal] : [controller.signal, context.signal, timeout],
    );
    this.#pending.set(context.id, { controller, threadId, turnId });
    const decisions = (params as { availableDecisions?: unknown }).availableDecisions;
    const request = {
      method,
      params,
      id: context.id,
      threadId,
      turnId,
      availableDecisions: Array.isArray(decisions) ? decisions : null,
      signal,
    } as ServerRequest;
    try {
      const given = await abortable(Promise.resolve(handler(request)), signal);
      if (given === undefined) return failClosedAnswer(request);
      // What is checked is what is sent: plain JSON data only. A toJSON, a getter or a class could make the
      // wire say something else than the object that was checked (a decline sent as an accept).
      if (!isPlainData(given)) {
        this.#report(
          method,
          context.id,
          "the handler's answer is not plain JSON data (a toJSON, a getter, a class, a function); declined",
        );
        return failClosedAnswer(request);
      }
      const answer = JSON.parse(JSON.stringify(given)) as ServerRequestAnswer;
      const valid =
        fitsServerRequestResult(method, answer) === true
          ? { ok: true as const }
          : await explainMisfit("checkServerRequestResult", method, answer);
      if (!valid.ok) {
        this.#report(
          method,
          context.id,
          `the handler's answer does not fit the schema (${valid.errors.join("; ")}); declined`,
        );
        return failClosedAnswer(request);
      }
      return answer;
    } catch (error) {
      if (controller.signal.aborted || context.signal.aborted) return failClosedAnswer(request);
      const why = timeout?.aborted === true ? "timed out" : "threw";
      this.#report(
        method,
        context.id,
        `the handler ${why} (${error instanceof Error ? error.message : String(error)}); declined`,
        error,
      );
      return failClosedAnswer(request);
    } finally {
      // A restarted app-server numbers its requests from the start again: forget only this request's entry.
      if (this.#pending.get(context.id)?.controller === controller) this.#pending.delete(context.id);
      controller.abort(new Error(`request ${context.id} is settled`));
    }
  }

  /** Whether params that fail the pinned schema have the shape the oldest supported codex sends. */
  async #olderShape(method: string, params: unknown): Promise<boolean> {
    try {
      return (await loadOldestProtocolChecks()).checkOldestServerRequest(method, params).ok;
    } catch {
      return false;
    }
  }

  #report(method: string, id: RequestId, what: string, error?: unknown): void {
    this.#options.diagnose({
      kind: "serverRequestFailed",
      message: `server request ${method} (id ${id}): ${what}`,
      id,
      method,
      error,
    });
  }
}
