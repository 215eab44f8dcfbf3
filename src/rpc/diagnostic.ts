import type { DiagnosticBase, TransportDiagnostic } from "../transport/diagnostic.js";
import type { RequestId } from "./messages.js";

/** A response whose id matches no call: never sent, or already settled. */
export interface UnknownResponseDiagnostic extends DiagnosticBase {
  readonly kind: "unknownResponse";
  readonly id: unknown;
}

/** A response to a call that had already timed out or been aborted; it is dropped. */
export interface LateResponseDiagnostic extends DiagnosticBase {
  readonly kind: "lateResponse";
  readonly id: RequestId;
  readonly method: string;
}

/**
 * A response with neither a `result` nor a well-formed `error` (its call rejects with a `ProtocolError`), or a
 * message with neither a method nor an id.
 */
export interface InvalidResponseDiagnostic extends DiagnosticBase {
  readonly kind: "invalidResponse";
  /** The id it carried, if any. */
  readonly id?: unknown;
}

/** A server request whose id is neither a number nor a string: it cannot be answered, so it is ignored. */
export interface InvalidServerRequestDiagnostic extends DiagnosticBase {
  readonly kind: "invalidServerRequest";
  readonly id: unknown;
  readonly method: string;
}

/** A server request for a method with no handler; it was answered with method-not-found (`-32601`). */
export interface UnhandledServerRequestDiagnostic extends DiagnosticBase {
  readonly kind: "unhandledServerRequest";
  readonly id: RequestId;
  readonly method: string;
}

/** A server-request handler threw; the server got an error answer. */
export interface ServerRequestFailedDiagnostic extends DiagnosticBase {
  readonly kind: "serverRequestFailed";
  readonly id: RequestId;
  readonly method: string;
  readonly error: unknown;
}

/** A listener threw (of a notification, an event, a turn's events, or the trace hook); the others still ran. */
export interface ListenerFailedDiagnostic extends DiagnosticBase {
  readonly kind: "listenerFailed";
  /** The notification it was given, when it was one. */
  readonly method?: string;
  readonly error: unknown;
}

/** The answer to a server request could not be sent (the transport refused it); the server gets no answer. */
export interface SendFailedDiagnostic extends DiagnosticBase {
  readonly kind: "sendFailed";
  /** The server request it answered. */
  readonly id: RequestId;
  readonly method: string;
  readonly error: unknown;
}

/**
 * Something went wrong on the wire without failing a call: the connection goes on, and users can see it
 * (`peer.onDiagnostic`).
 */
export type ProtocolDiagnostic =
  | TransportDiagnostic
  | UnknownResponseDiagnostic
  | LateResponseDiagnostic
  | InvalidResponseDiagnostic
  | InvalidServerRequestDiagnostic
  | UnhandledServerRequestDiagnostic
  | ServerRequestFailedDiagnostic
  | ListenerFailedDiagnostic
  | SendFailedDiagnostic;
