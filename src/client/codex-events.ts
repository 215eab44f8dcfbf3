import type { TurnLostError } from "../errors/turn-lost-error.js";
import type { ProtocolDiagnostic } from "../rpc/diagnostic.js";
import type { Notification, ServerNotificationMethod, ServerNotificationParams } from "../schema/index.js";

/**
 * Something the client noticed and reports without failing: a problem on the wire, in a listener, or a bound
 * reached. Discriminated by `kind`; every diagnostic has a `message` and the time it happened (`atMs`).
 *
 * @example
 * ```ts
 * codex.on("diagnostic", ({ data }) => {
 *   switch (data.kind) {
 *     case "droppedNotifications":
 *       console.warn(`turn ${data.turnId}: ${data.message}`);
 *       break;
 *     case "malformedLine":
 *       console.warn(`skipped a line that is not JSON: ${data.excerpt}`);
 *       break;
 *     default:
 *       console.warn(data.kind, data.message);
 *   }
 * });
 * ```
 */
export type ClientDiagnostic =
  | ProtocolDiagnostic
  | {
      /**
       * `invalidNotification`: a notification failed its schema, the pinned one and the oldest supported one's
       * (it is still delivered; the message names the method, the fields and the server's version);
       * `unknownNotification`: a method the pinned protocol does not know (a newer server);
       * `unsupportedServer`: the app-server is older than the oldest supported codex (once per client);
       * `droppedNotifications`: a bound was reached and deltas were dropped;
       * `listenerFailed`: an event listener threw; `machineError`: a machine's actor failed.
       */
      readonly kind:
        | "invalidNotification"
        | "unknownNotification"
        | "unsupportedServer"
        | "droppedNotifications"
        | "listenerFailed"
        | "machineError";
      readonly message: string;
      readonly atMs: number;
      readonly method?: string;
      readonly turnId?: string;
      /** The app-server's version (`serverInfo.version`), when the diagnostic is about what it sent. */
      readonly serverVersion?: string;
      readonly error?: unknown;
    };

/**
 * What the client tells about its restarts (the `restart` option): `restarting` when the connection was lost
 * (or a start failed) and an attempt is about to begin after `delayMs`; `restarted` once a new app-server is
 * up; `threadResumed` when a thread was resumed on it (lazily, by the first call that needed it); `turnLost`
 * for each turn that was running when the connection was lost, once the client knows what the server kept of it.
 *
 * @example
 * ```ts
 * codex.on("restarting", ({ data }) => console.warn(`attempt ${data.attempt} in ${data.delayMs} ms: ${data.error.message}`));
 * codex.on("restarted", ({ data }) => console.info(`back after ${data.downtimeMs} ms`));
 * codex.on("turnLost", ({ data }) => console.warn(`turn ${data.turnId}: ${data.serverTurn?.status ?? "unknown"}`));
 * ```
 */
export interface RestartEventMap {
  /** The connection was lost (or a start failed): attempt `attempt` begins after `delayMs`. */
  restarting: { readonly attempt: number; readonly delayMs: number; readonly error: Error };
  /** A new app-server is up after `attempt` attempts, `downtimeMs` after the loss; `restarts` in all so far. */
  restarted: { readonly attempt: number; readonly downtimeMs: number; readonly restarts: number };
  /** A thread of this client was resumed on the new app-server. */
  threadResumed: { readonly threadId: string };
  /** A turn was running when the connection was lost: what the client saw, and what the server kept. */
  turnLost: TurnLostError;
}

/**
 * The client's events (`codex.events`): `notification` (every server notification), `diagnostic`, the
 * restart events ({@link RestartEventMap}), and one event per notification method carrying its params.
 *
 * @example
 * ```ts
 * const onCompleted = ({ data }: { data: CodexEventMap["turn/completed"] }) =>
 *   console.log(`turn ${data.turn.id} on ${data.threadId}: ${data.turn.status}`);
 * codex.on("turn/completed", onCompleted);
 * ```
 */
export type CodexEventMap = {
  notification: Notification;
  diagnostic: ClientDiagnostic;
} & RestartEventMap & { [M in ServerNotificationMethod]: ServerNotificationParams<M> };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Reports a diagnostic; `atMs` is filled in when left out. Internal. */
export type Diagnose = (diagnostic: DistributiveOmit<ClientDiagnostic, "atMs"> & { atMs?: number }) => void;
