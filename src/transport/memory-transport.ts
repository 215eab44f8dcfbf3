import { closeInfo, TransportClosedError } from "../errors/transport-closed-error.js";
import type { Transport, TransportCloseInfo, TransportListener, TransportMessage } from "./transport.js";

/**
 * How the other end sees a {@link MemoryTransport} closing: e.g. a crash with an exit code and stderr.
 *
 * @example
 * ```ts
 * const [client, server] = createMemoryTransportPair();
 * await server.close({ exitCode: 101, stderrTail: "thread 'main' panicked\n" }); // the client sees an exit
 * ```
 */
export type MemoryCloseDetails = Partial<Pick<TransportCloseInfo, "exitCode" | "signal" | "stderrTail">>;

/** Where one end is in its life: open, or closed with its close info. */
type MemoryState = { readonly name: "open" } | { readonly name: "closed"; readonly info: TransportCloseInfo };

/**
 * One end of an in-memory connection made by {@link createMemoryTransportPair}. Messages go through
 * `JSON.stringify`/`JSON.parse`, as on the wire, and arrive in order, asynchronously.
 *
 * @example
 * ```ts
 * const [client, server] = createMemoryTransportPair();
 * server.listen({ message: (m) => server.send({ id: m.id, result: {} }), diagnostic() {}, close() {} });
 * ```
 */
export class MemoryTransport implements Transport {
  #other: MemoryTransport | undefined;
  #listener: TransportListener | undefined;
  #queue: TransportMessage[] = [];
  #state: MemoryState = { name: "open" };

  /** @internal */
  static pair(): [MemoryTransport, MemoryTransport] {
    const a = new MemoryTransport();
    const b = new MemoryTransport();
    a.#other = b;
    b.#other = a;
    return [a, b];
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
   * const [transport, server] = createMemoryTransportPair();
   * transport.listen({ message: console.log, diagnostic: console.warn, close: (info) => console.log(info.reason) });
   * ```
   */
  listen(listener: TransportListener): void {
    if (this.#listener !== undefined) throw new Error("MemoryTransport.listen() may be called only once");
    this.#listener = listener;
    for (const message of this.#queue.splice(0)) listener.message(message);
    if (this.#state.name === "closed") listener.close(this.#state.info);
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
    const text = JSON.stringify(message);
    const other = this.#other!;
    queueMicrotask(() => other.#receive(text));
  }

  /**
   * Closes this end; the other end then closes with `reason: "exited"` and the given details, after the
   * messages already sent.
   *
   * @example
   * ```ts
   * const [client, server] = createMemoryTransportPair();
   * await server.close({ exitCode: 1 }); // the client's close info: { reason: "exited", exitCode: 1, … }
   * ```
   */
  async close(details: MemoryCloseDetails = {}): Promise<TransportCloseInfo> {
    if (this.#state.name === "closed") return this.#state.info;
    const info = closeInfo("closed");
    this.#end(info);
    const other = this.#other!;
    queueMicrotask(() => other.#end(closeInfo("exited", details)));
    return info;
  }

  /** Same as `close()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #receive(text: string): void {
    if (this.#state.name === "closed") return;
    const message = JSON.parse(text) as TransportMessage;
    if (this.#listener === undefined) this.#queue.push(message);
    else this.#listener.message(message);
  }

  #end(info: TransportCloseInfo): void {
    if (this.#state.name === "closed") return;
    this.#state = { name: "closed", info };
    this.#listener?.close(info);
  }
}

/**
 * Two connected in-memory transports: what one sends, the other receives. For tests, and for running a
 * fake app-server in-process (the way vscode-jsonrpc tests itself).
 *
 * @example
 * ```ts
 * const [clientSide, serverSide] = createMemoryTransportPair();
 * serverSide.listen({
 *   message: (request) => serverSide.send({ id: request.id, result: { data: [], nextCursor: null } }),
 *   diagnostic() {},
 *   close() {},
 * });
 * clientSide.listen({ message: (answer) => console.log(answer), diagnostic() {}, close() {} });
 * clientSide.send({ id: 1, method: "thread/list", params: {} }); // logs { id: 1, result: { data: [], nextCursor: null } }
 * ```
 */
export function createMemoryTransportPair(): [MemoryTransport, MemoryTransport] {
  return MemoryTransport.pair();
}
