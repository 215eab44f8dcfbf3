import type { RequestOptions } from "../rpc/peer.js";
import type {
  ClientRequestMethod,
  ClientRequestParams,
  ClientRequestResult,
  Notification,
  TurnStartParams,
} from "../schema/index.js";
import type { TransportClosedError } from "../errors/transport-closed-error.js";
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
  /** How many notifications a reader may fall behind by before deltas are dropped (the client's option). */
  readonly maxBufferedNotifications: number;
  /** Where threads keep their own approval handlers. */
  readonly serverRequests: ServerRequestRouter;
  /**
   * Sends a request and gives its answer with `gone`, which settles when the app-server that answered is gone
   * (closed by the client, or lost); it never settles while that app-server runs.
   */
  requestBound<M extends ClientRequestMethod>(
    method: M,
    params: ClientRequestParams<M>,
    options?: RequestOptions,
  ): Promise<{ answer: ClientRequestResult<M>; gone: Promise<ConnectionGone> }>;
  /** Whether a turn this client started runs on the thread (or waits for its `turn/start` answer). */
  runsTurnOn(threadId: string): boolean;
  /** Calls `listener` synchronously with every server notification, in order, until the returned function is called. */
  onNotification(listener: (notification: Notification) => void): () => void;
}

/**
 * How the app-server that answered a request went away: closed by the client (`close()`), or lost (it died, the
 * socket dropped; with the `restart` option a new app-server may already be up, but what ran on the old one went
 * with it).
 */
export interface ConnectionGone {
  readonly closedByClient: boolean;
  readonly error: TransportClosedError;
}
