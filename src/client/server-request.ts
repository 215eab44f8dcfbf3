import type { RequestId, ServerRequestMethod, ServerRequestParams, ServerRequestResult } from "../schema/index.js";

/**
 * A request the app-server sends to the client — an approval, a question for the user, a tool call, a token
 * refresh — as one object discriminated by `method`, with the ids it concerns and a signal that fires when the
 * request is settled: answered, resolved by the server itself (`serverRequest/resolved`), its turn ended, the
 * handler's time ran out, or the connection closed.
 *
 * @example
 * ```ts
 * const handler: ApprovalHandler = (request) => {
 *   if (request.method === "item/commandExecution/requestApproval") {
 *     console.log("run?", request.params.command, request.availableDecisions);
 *     return { decision: "decline" };
 *   }
 *   return undefined; // the default answer
 * };
 * ```
 */
export type ServerRequest = {
  [M in ServerRequestMethod]: {
    readonly method: M;
    readonly params: ServerRequestParams<M>;
    /** The server's id for this request. */
    readonly id: RequestId;
    /** The thread it concerns, when the params name one. */
    readonly threadId: string | null;
    /** The turn it concerns, when the params name one. */
    readonly turnId: string | null;
    /** The decisions the server offers (`availableDecisions`), when it sends them. */
    readonly availableDecisions: readonly unknown[] | null;
    /** Aborted once the request is settled, or when its answer is no longer wanted. */
    readonly signal: AbortSignal;
  };
}[ServerRequestMethod];

/**
 * An answer to any server request: the result type of its method. What an {@link ApprovalHandler} returns.
 *
 * @example
 * ```ts
 * function answer(request: ServerRequest): ServerRequestAnswer {
 *   switch (request.method) {
 *     case "item/fileChange/requestApproval":
 *       return { decision: "accept" };
 *     case "item/tool/requestUserInput":
 *       return { answers: {} };
 *     default:
 *       return failClosedAnswer(request);
 *   }
 * }
 * const codex = new AsyncCodex({ approvalHandler: answer });
 * ```
 */
export type ServerRequestAnswer = ServerRequestResult<ServerRequestMethod>;

/**
 * Answers server requests. Return the method's result (or a Promise of it); return `undefined` to give the
 * default answer, which fails closed (see {@link declineAll}). A handler that throws, times out or returns an
 * answer that does not fit the method's schema counts as a decline, and is reported as a diagnostic.
 *
 * @example
 * ```ts
 * const codex = new AsyncCodex({
 *   approvalHandler: (request) =>
 *     request.method === "item/fileChange/requestApproval" ? { decision: "accept" } : undefined,
 * });
 * ```
 */
export type ApprovalHandler = (
  request: ServerRequest,
) => ServerRequestAnswer | undefined | Promise<ServerRequestAnswer | undefined>;
