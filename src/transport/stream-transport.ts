import type { Readable, Writable } from "node:stream";
import { closeInfo, TransportClosedError } from "../errors/transport-closed-error.js";
import { JsonLinesReader, JsonLinesWriter } from "./json-lines.js";
import type { Transport, TransportCloseInfo, TransportListener } from "./transport.js";

/**
 * Options of {@link StreamTransport}.
 *
 * @example
 * ```ts
 * const socket = net.connect("/run/codex.sock");
 * const options: StreamTransportOptions = { input: socket, output: socket, maxLineBytes: 16 * 1024 * 1024 };
 * const codex = new AsyncCodex({ transport: () => new StreamTransport(options) });
 * ```
 */
export interface StreamTransportOptions {
  /** Where messages come from (e.g. a socket, a child's stdout). */
  input: Readable;
  /** Where messages go (e.g. the same socket, a child's stdin). */
  output: Writable;
  /** The longest line accepted, in bytes. Default 64 MiB. */
  maxLineBytes?: number | undefined;
}

/** Where the connection is in its life: open, or closed with its close info (nothing is delivered after). */
type StreamState = { readonly name: "open" } | { readonly name: "closed"; readonly info: TransportCloseInfo };

/**
 * A {@link Transport} speaking JSONL over a pair of byte streams: a socket, or two in-memory `PassThrough`s in
 * tests. It ends when `input` ends (`reason: "exited"`), fails on a stream error, and `close()` ends `output`.
 *
 * @example
 * ```ts
 * const socket = net.connect("/run/codex.sock");
 * await using codex = new AsyncCodex({ transport: () => new StreamTransport({ input: socket, output: socket }) });
 * await codex.start();
 * ```
 */
export class StreamTransport implements Transport {
  readonly #input: Readable;
  readonly #output: Writable;
  readonly #reader: JsonLinesReader;
  readonly #writer: JsonLinesWriter;
  #listener: TransportListener | undefined;
  #state: StreamState = { name: "open" };

  constructor(options: StreamTransportOptions) {
    this.#input = options.input;
    this.#output = options.output;
    this.#writer = new JsonLinesWriter(options.output);
    this.#reader = new JsonLinesReader(
      {
        message: (message) => {
          if (this.#state.name === "open") this.#listener?.message(message);
        },
        diagnostic: (diagnostic) => {
          if (this.#state.name === "open") this.#listener?.diagnostic(diagnostic);
        },
      },
      { maxLineBytes: options.maxLineBytes },
    );
  }

  /**
   * How the connection ended, once it has.
   *
   * @example
   * ```ts
   * if (transport.closeInfo !== undefined) console.log("ended:", transport.closeInfo.reason);
   * ```
   */
  get closeInfo(): TransportCloseInfo | undefined {
    return this.#state.name === "closed" ? this.#state.info : undefined;
  }

  /**
   * Starts delivering to `listener`; call it once.
   *
   * @example
   * ```ts
   * const transport = new StreamTransport({ input: socket, output: socket });
   * transport.listen({ message: console.log, diagnostic: console.warn, close: (info) => console.log(info.reason) });
   * ```
   */
  listen(listener: TransportListener): void {
    if (this.#listener !== undefined) throw new Error("StreamTransport.listen() may be called only once");
    this.#listener = listener;
    const fail = (error: Error): void => {
      this.#finish({ reason: "failed", error });
    };
    this.#output.on("error", fail);
    this.#input.on("error", fail);
    this.#input.on("end", () => {
      this.#reader.end();
      this.#finish({ reason: "exited" });
    });
    this.#input.on("data", (chunk: Buffer) => this.#reader.push(chunk));
  }

  /**
   * Sends one message.
   *
   * @throws {TransportClosedError} once the transport is closed.
   * @example
   * ```ts
   * transport.send({ id: 1, method: "thread/list", params: {} });
   * ```
   */
  send(message: object): void {
    if (this.#state.name === "closed") throw TransportClosedError.from(this.#state.info);
    this.#writer.write(message);
  }

  /**
   * Ends `output` and stops reading `input`. Idempotent.
   *
   * @example
   * ```ts
   * const info = await transport.close(); // info.reason === "closed"
   * ```
   */
  async close(): Promise<TransportCloseInfo> {
    return this.#finish({ reason: "closed" });
  }

  /** Same as `close()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #finish(end: { reason: TransportCloseInfo["reason"]; error?: Error }): TransportCloseInfo {
    if (this.#state.name === "closed") return this.#state.info;
    const info = closeInfo(end.reason, end.error === undefined ? {} : { error: end.error });
    this.#state = { name: "closed", info };
    this.#writer.end();
    this.#input.destroy();
    this.#listener?.close(info);
    return info;
  }
}
