/**
 * Where messages come from: the `Transport` interface, the stdio child-process transport, JSONL framing, an
 * in-memory pair for tests, and the listening app-servers: WebSocket and unix socket, their auth, a helper that
 * starts one, and the codex daemon's socket.
 *
 * @module
 */
export { appServerArgv, type AppServerArgvOptions } from "./app-server-argv.js";
export { signBearerToken, type BearerTokenOptions } from "./bearer-token.js";
export { resolveCodexBinary, type ResolveCodexBinaryOptions } from "./binary.js";
export { checkConnectTarget, connectTransport, type ConnectTarget } from "./connect.js";
export { codexHomeOf, daemonSocketPath } from "./daemon.js";
export {
  excerptOf,
  type DiagnosticBase,
  type InvalidMessageDiagnostic,
  type MalformedLineDiagnostic,
  type OversizedLineDiagnostic,
  type PartialLineDiagnostic,
  type TransportDiagnostic,
} from "./diagnostic.js";
export { parseEndpoint, type Endpoint } from "./endpoint.js";
export { mergeEnv } from "./environment.js";
export { DEFAULT_MAX_LINE_BYTES, JsonLinesReader, JsonLinesWriter, type JsonLinesHandlers } from "./json-lines.js";
export { guardedChildCount, killOnExit } from "./kill-on-exit.js";
export {
  listenAppServer,
  type ListenAppServerOptions,
  type ListenAuth,
  type ListeningAppServer,
} from "./listening-app-server.js";
export { LineDecoder, type LineDecoderOptions, type LineSink } from "./line-decoder.js";
export { createMemoryTransportPair, MemoryTransport, type MemoryCloseDetails } from "./memory-transport.js";
export { OWN_PROCESS_GROUP, signalProcessTree } from "./process-tree.js";
export { authorizationFor, checkRemoteAppServer, type RemoteAppServer } from "./remote-options.js";
export { StderrTail } from "./stderr-tail.js";
export { StdioTransport, type StdioTransportOptions } from "./stdio-transport.js";
export { StreamTransport, type StreamTransportOptions } from "./stream-transport.js";
export { WebSocketTransport, type WebSocketTransportOptions } from "./websocket-transport.js";
export type { Transport, TransportCloseInfo, TransportListener, TransportMessage } from "./transport.js";
