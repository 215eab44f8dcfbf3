import type { InspectionEvent } from "xstate";
import { TransportClosedError } from "../errors/transport-closed-error.js";
import type { RequestOptions } from "../rpc/peer.js";
import type { TurnStartParams, TurnStartResponse } from "../schema/index.js";
import type { Diagnose } from "./codex-events.js";
import { LiveTurn } from "./live-turn.js";
import type { NotificationRouter } from "./router.js";
import type { ServerRequestRouter } from "./server-request-router.js";

/** What {@link startTurn} needs from its client. */
export interface TurnStartContext {
  readonly router: NotificationRouter;
  readonly serverRequests: ServerRequestRouter;
  readonly maxBufferedNotifications: number;
  readonly inspect: ((event: InspectionEvent) => void) | undefined;
  readonly diagnose: Diagnose;
  /**
   * Sends `turn/start` (after starting the client if needed); `current()` then says whether the connection
   * that answered is still the client's.
   */
  readonly request: (
    params: TurnStartParams,
    options: RequestOptions | undefined,
    live: LiveTurn,
  ) => Promise<{ answer: TurnStartResponse; current: () => boolean }>;
  /** Told of each turn before its `turn/start` goes out (the observer watches it from there). */
  readonly starting?: ((live: LiveTurn, params: TurnStartParams) => void) | undefined;
  /** The server accepted a turn on this thread (and so has written the thread down). */
  readonly started: (threadId: string) => void;
  /** Ends a turn whose connection ended while its answer was on its way (it is `lost`, its outcome unknown). */
  readonly lost: (turn: LiveTurn, cause: TransportClosedError) => void;
}

/**
 * The `turn/start` protocol: the turn's notifications can come before the answer (`turn/completed` included),
 * so the router holds them from the moment the request goes out and replays them once the turn registers
 * under the id the answer names. When the answer names a turn already running on this client (the server fed
 * the input into it), that turn is returned. A connection that ended while the answer was on its way loses
 * the turn at once.
 */
export async function startTurn(
  context: TurnStartContext,
  params: TurnStartParams,
  options?: RequestOptions,
): Promise<LiveTurn> {
  const { router } = context;
  const live = new LiveTurn({
    threadId: params.threadId,
    maxBufferedNotifications: context.maxBufferedNotifications,
    inspect: context.inspect,
    onListenerError: (error) => context.diagnose({ kind: "listenerFailed", message: String(error), error }),
    onDrop: (turnId) =>
      context.diagnose({
        kind: "droppedNotifications",
        message: `turn ${turnId}: its stream had maxBufferedNotifications unread, so deltas are being dropped (the completed items keep the whole text)`,
        turnId,
      }),
  });
  let turnId: string;
  let current: () => boolean;
  context.starting?.(live, params);
  router.expectTurn(params.threadId);
  try {
    ({
      answer: {
        turn: { id: turnId },
      },
      current,
    } = await context.request(params, options, live));
  } catch (error) {
    router.turnStartSettled(params.threadId);
    live.reject(error instanceof Error ? error.message : String(error));
    throw error;
  }
  const running = router.get(turnId);
  if (running !== undefined) {
    router.turnStartSettled(params.threadId);
    live.actor.stop();
    return running;
  }
  context.started(params.threadId);
  live.accept(turnId);
  router.register(turnId, live);
  router.turnStartSettled(params.threadId);
  if (!current()) {
    context.lost(
      live,
      new TransportClosedError(`the connection ended right after turn ${turnId} started.`, { reason: "closed" }),
    );
  }
  void live.finished.then(() => {
    router.unregister(turnId, live);
    context.serverRequests.turnEnded(turnId);
  });
  return live;
}
