import type { RequestOptions } from "../rpc/peer.js";
import type {
  ClientRequestMethod,
  ClientRequestParams,
  ClientRequestResult,
  TurnStartParams,
} from "../schema/index.js";
import type { LiveTurn } from "./live-turn.js";
import type { ServerRequestRouter } from "./server-request-router.js";

/**
 * What threads and turn handles need from their client: typed requests and turn start-up. One per
 * `AsyncCodex`; internal.
 */
export interface Session {
  request<M extends ClientRequestMethod>(
    method: M,
    params: ClientRequestParams<M>,
    options?: RequestOptions,
  ): Promise<ClientRequestResult<M>>;
  /** Sends `turn/start` and returns the turn, registered for routing (or the running turn it joined). */
  startTurn(params: TurnStartParams, options?: RequestOptions): Promise<LiveTurn>;
  /** Where threads keep their own approval handlers. */
  readonly serverRequests: ServerRequestRouter;
}
