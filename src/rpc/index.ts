/**
 * The JSON-RPC peer: ids, pending calls, timeouts, `AbortSignal`, server-request dispatch, notifications,
 * diagnostics and tracing.
 *
 * @module
 */
export type {
  InvalidResponseDiagnostic,
  InvalidServerRequestDiagnostic,
  LateResponseDiagnostic,
  ListenerFailedDiagnostic,
  ProtocolDiagnostic,
  SendFailedDiagnostic,
  ServerRequestFailedDiagnostic,
  UnhandledServerRequestDiagnostic,
  UnknownResponseDiagnostic,
} from "./diagnostic.js";
export type {
  JsonRpcErrorBody,
  JsonRpcFailure,
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcRequest,
  JsonRpcResponse,
  JsonRpcSuccess,
  RequestId,
} from "./messages.js";
export { DEFAULT_REQUEST_TIMEOUT_MS, JsonRpcPeer, type JsonRpcPeerOptions, type RequestOptions } from "./peer.js";
export {
  unsubscribe,
  type ServerRequestContext,
  type ServerRequestHandler,
  type Unsubscribe,
} from "./server-request.js";
export type { TraceEvent, TraceHook } from "./trace.js";
