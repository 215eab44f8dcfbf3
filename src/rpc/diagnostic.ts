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

/** A message that is neither a request, a notification nor a well-formed response. */
export interface InvalidResponseDiagnostic extends DiagnosticBase {
  readonly kind: "invalidResponse";
  readonly id?: unknown;
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

/** A notification listener (or the trace hook) threw; the others still ran. */
export interface ListenerFailedDiagnostic extends DiagnosticBase {
  readonly kind: "listenerFailed";
  readonly method?: string;
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
  | UnhandledServerRequestDiagnostic
  | ServerRequestFailedDiagnostic
  | ListenerFailedDiagnostic;
