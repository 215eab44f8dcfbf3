import type { ClientRequestMethod, ClientRequestParams, ClientRequestResult } from "./generated-methods.js";

/**
 * A client with a `request(method, params, options)` method: `AsyncCodex` (answers a promise) or the sync `Codex`.
 *
 * @example
 * ```ts
 * const sender: RequestSender = new AsyncCodex({ experimentalApi: true });
 * ```
 */
export interface RequestSender {
  /** `never` parameters, so that both clients' generic, stable-typed `request` fit; the typed view puts the types back. */
  request(method: never, params: never, options?: never): unknown;
}

/**
 * The options a client's `request` takes (`RequestOptions` of `AsyncCodex`, `SyncRequestOptions` of `Codex`).
 *
 * @example
 * ```ts
 * const options: RequestOptionsOf<AsyncCodex> = { timeoutMs: 5_000 };
 * ```
 */
export type RequestOptionsOf<Client extends RequestSender> = Parameters<Client["request"]>[2];

/**
 * A result as the client answers it: a promise for `AsyncCodex`, the value itself for the sync `Codex`.
 *
 * @example
 * ```ts
 * type Listed = Answer<AsyncCodex, ThreadListResponse>; // Promise<ThreadListResponse>
 * ```
 */
export type Answer<Client extends RequestSender, T> = ReturnType<Client["request"]> extends PromiseLike<unknown> ? Promise<T> : T;

/**
 * A view of a client whose `request()` is typed by the experimental schema: every method of the
 * `--experimental` bundle, with its params and result. The server accepts these methods only from a client
 * started with `experimentalApi: true`.
 *
 * @example
 * ```ts
 * const api: ExperimentalRequests<AsyncCodex> = experimentalRequests(codex);
 * const { data } = await api.request("collaborationMode/list", {});
 * ```
 */
export interface ExperimentalRequests<Client extends RequestSender> {
  request<M extends ClientRequestMethod>(
    method: M,
    params: ClientRequestParams<M>,
    options?: RequestOptionsOf<Client>,
  ): Answer<Client, ClientRequestResult<M>>;
}

/**
 * Types a client's `request()` by the experimental schema, so experimental methods can be called with types
 * while the client's own surface stays stable. Nothing is checked or sent differently: it is the same call.
 * Start the client with `experimentalApi: true`, or the server refuses experimental methods and fields.
 *
 * @example
 * ```ts
 * import { AsyncCodex } from "codex-app-server";
 * import { experimentalRequests } from "codex-app-server/protocol/experimental";
 *
 * await using codex = new AsyncCodex({ experimentalApi: true });
 * const { data } = await experimentalRequests(codex).request("collaborationMode/list", {});
 * console.log(data.map((mode) => mode.name));
 * ```
 */
export function experimentalRequests<Client extends RequestSender>(client: Client): ExperimentalRequests<Client> {
  return {
    request: (method, params, options) => client.request(method as never, params as never, options) as never,
  };
}
