/** A JSON-RPC request id. The client's are integers from 1; the server numbers its own requests from 0. */
export type RequestId = number | string;

/** A request, either way: `{ id, method, params? }` (no `"jsonrpc"` member: the app-server omits it). */
export interface JsonRpcRequest<P = unknown> {
  readonly id: RequestId;
  readonly method: string;
  readonly params?: P;
}

/**
 * A notification: `{ method, params? }`. The app-server adds `emittedAtMs`, its clock when it sent it; it is
 * kept here, untouched.
 */
export interface JsonRpcNotification<P = unknown> {
  readonly method: string;
  readonly params?: P;
  readonly emittedAtMs?: number;
}

/** The `error` member of an error response. */
export interface JsonRpcErrorBody {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

/** A successful response. */
export interface JsonRpcSuccess<R = unknown> {
  readonly id: RequestId;
  readonly result: R;
}

/** An error response. */
export interface JsonRpcFailure {
  readonly id: RequestId | null;
  readonly error: JsonRpcErrorBody;
}

/** A response, either kind. */
export type JsonRpcResponse<R = unknown> = JsonRpcSuccess<R> | JsonRpcFailure;

/** Any JSON-RPC message. */
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;
