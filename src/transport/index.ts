/**
 * Where messages come from: the `Transport` interface, the stdio child-process transport, JSONL framing, and
 * an in-memory pair for tests.
 *
 * @module
 */
export { appServerArgv, type AppServerArgvOptions } from "./app-server-argv.js";
export { resolveCodexBinary, type ResolveCodexBinaryOptions } from "./binary.js";
export {
  excerptOf,
  type DiagnosticBase,
  type InvalidMessageDiagnostic,
  type MalformedLineDiagnostic,
  type OversizedLineDiagnostic,
  type PartialLineDiagnostic,
  type TransportDiagnostic,
} from "./diagnostic.js";
export { DEFAULT_MAX_LINE_BYTES, JsonLinesReader, JsonLinesWriter, type JsonLinesHandlers } from "./json-lines.js";
export { guardedChildCount, killOnExit } from "./kill-on-exit.js";
export { LineDecoder, type LineDecoderOptions, type LineSink } from "./line-decoder.js";
export { createMemoryTransportPair, MemoryTransport, type MemoryCloseDetails } from "./memory-transport.js";
export { OWN_PROCESS_GROUP, signalProcessTree } from "./process-tree.js";
export { StderrTail } from "./stderr-tail.js";
export { StdioTransport, type StdioTransportOptions } from "./stdio-transport.js";
export { StreamTransport, type StreamTransportOptions } from "./stream-transport.js";
export type { Transport, TransportCloseInfo, TransportListener, TransportMessage } from "./transport.js";
