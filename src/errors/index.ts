/**
 * Every error class of `codex-app-server`, all under {@link AppServerError}.
 *
 * @module
 */
export { AppServerError } from "./app-server-error.js";
// Every class of the JSON-RPC error codes (AppServerRpcError and its subclasses): that module exports nothing else.
export * from "./app-server-rpc-error.js";
export { BinaryNotFoundError } from "./binary-not-found-error.js";
export { BufferLimitError } from "./buffer-limit-error.js";
export { ConnectError, type ConnectFailure } from "./connect-error.js";
export { GoalNotCompletedError } from "./goal-not-completed-error.js";
export { InvalidInputError } from "./invalid-input-error.js";
export { isRetryableError } from "./is-retryable-error.js";
export { LoginFailedError, type LoginFailure } from "./login-failed-error.js";
export { JsonRpcError, type JsonRpcErrorOptions } from "./json-rpc-error.js";
export { ProtocolError } from "./protocol-error.js";
export { RequestAbortedError } from "./request-aborted-error.js";
export { RequestTimeoutError } from "./request-timeout-error.js";
export { RestartsExhaustedError } from "./restarts-exhausted-error.js";
export {
  TransportClosedError,
  type ClosedCall,
  type TransportCloseInfo,
  type TransportCloseReason,
} from "./transport-closed-error.js";
export { ThreadLostError, type ThreadLostReason } from "./thread-lost-error.js";
export { TurnFailedError } from "./turn-failed-error.js";
export { TurnLostError } from "./turn-lost-error.js";
export { TurnNotRunningError } from "./turn-not-running-error.js";
