import type { ProtocolDiagnostic } from "../rpc/diagnostic.js";
import type { Notification, ServerNotificationMethod, ServerNotificationParams } from "../schema/index.js";

/** Something the client noticed and reports without failing: a problem on the wire, in a listener, or a bound reached. */
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
 * The client's events: `notification` (every server notification), `diagnostic`, and one event per
 * notification method carrying its params.
 */
export type CodexEventMap = {
  notification: Notification;
  diagnostic: ClientDiagnostic;
} & { [M in ServerNotificationMethod]: ServerNotificationParams<M> };
