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
       * `invalidNotification`: a notification failed its schema (it is still delivered);
       * `unknownNotification`: a method the pinned protocol does not know (a newer server);
       * `droppedNotifications`: a bound was reached and deltas were dropped;
       * `listenerFailed`: an event listener threw; `machineError`: a machine's actor failed.
       */
      readonly kind: "invalidNotification" | "unknownNotification" | "droppedNotifications" | "listenerFailed" | "machineError";
      readonly message: string;
      readonly atMs: number;
      readonly method?: string;
      readonly turnId?: string;
      readonly error?: unknown;
    };

/**
 * The client's events (`codex.events`): `notification` (every server notification), `diagnostic`, and one
 * event per notification method carrying its params.
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
} & { [M in ServerNotificationMethod]: ServerNotificationParams<M> };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Reports a diagnostic; `atMs` is filled in when left out. Internal. */
export type Diagnose = (diagnostic: DistributiveOmit<ClientDiagnostic, "atMs"> & { atMs?: number }) => void;
