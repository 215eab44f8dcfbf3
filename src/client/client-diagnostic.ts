import type { ProtocolDiagnostic } from "../rpc/diagnostic.js";
import type { DiagnosticBase } from "../transport/diagnostic.js";

/**
 * A notification failed its schema, the pinned one and the oldest supported one's. It is still delivered; the
 * message names the method, the fields and the server's version.
 */
export interface InvalidNotificationDiagnostic extends DiagnosticBase {
  readonly kind: "invalidNotification";
  readonly method: string;
  /** The app-server's version (`serverInfo.version`), or `"unknown"` before the handshake. */
  readonly serverVersion: string;
}

/** A notification method the pinned protocol does not know (a newer server). It is still delivered. */
export interface UnknownNotificationDiagnostic extends DiagnosticBase {
  readonly kind: "unknownNotification";
  readonly method: string;
  /** The app-server's version (`serverInfo.version`), or `"unknown"` before the handshake. */
  readonly serverVersion: string;
}

/** The app-server is older than the oldest supported codex; told once per client, which goes on. */
export interface UnsupportedServerDiagnostic extends DiagnosticBase {
  readonly kind: "unsupportedServer";
  readonly serverVersion: string;
}

/**
 * A bound was reached and notifications of a turn were dropped: deltas past `maxBufferedNotifications` unread,
 * or a turn held longest past `maxPendingTurns`.
 */
export interface DroppedNotificationsDiagnostic extends DiagnosticBase {
  readonly kind: "droppedNotifications";
  readonly turnId: string;
}

/** A machine's actor (the client's lifecycle or a turn) failed. */
export interface MachineErrorDiagnostic extends DiagnosticBase {
  readonly kind: "machineError";
  readonly error: unknown;
}

/**
 * After a restart, a thread could not be read to learn what became of its lost turns: their `TurnLostError`s
 * keep `serverTurn: null`.
 */
export interface RecoveryFailedDiagnostic extends DiagnosticBase {
  readonly kind: "recoveryFailed";
  readonly threadId: string;
  readonly error: unknown;
}

/**
 * Something the client noticed and reports without failing: a problem on the wire, in a listener, or a bound
 * reached. Discriminated by `kind`, and each kind has one shape: `switch (data.kind)` gives each case its own
 * fields. Every diagnostic has a `message` and the time it happened (`atMs`).
 *
 * - the transport's: `malformedLine`, `oversizedLine`, `invalidMessage`, `partialLine`;
 * - the JSON-RPC peer's: `unknownResponse`, `lateResponse`, `invalidResponse`, `invalidServerRequest`,
 *   `unhandledServerRequest`, `serverRequestFailed`, `listenerFailed`, `sendFailed`;
 * - the client's: `invalidNotification`, `unknownNotification`, `unsupportedServer`, `droppedNotifications`,
 *   `machineError`, `recoveryFailed`.
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
 *     case "serverRequestFailed":
 *       console.warn(`${data.method} (id ${data.id}) failed:`, data.error);
 *       break;
 *     default:
 *       console.warn(data.kind, data.message);
 *   }
 * });
 * ```
 */
export type ClientDiagnostic =
  | ProtocolDiagnostic
  | InvalidNotificationDiagnostic
  | UnknownNotificationDiagnostic
  | UnsupportedServerDiagnostic
  | DroppedNotificationsDiagnostic
  | MachineErrorDiagnostic
  | RecoveryFailedDiagnostic;
