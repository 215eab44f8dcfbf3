import { TransportClosedError } from "../errors/transport-closed-error.js";
import type { Transport, TransportCloseInfo, TransportListener, TransportMessage } from "./transport.js";

/** How the other end sees a {@link MemoryTransport} closing: e.g. a crash with an exit code and stderr. */
export type MemoryCloseDetails = Partial<Pick<TransportCloseInfo, "exitCode" | "signal" | "stderrTail">>;

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
  #closeInfo: TransportCloseInfo | undefined;

  /** @internal */
  static pair(): [MemoryTransport, MemoryTransport] {
    const a = new MemoryTransport();
    const b = new MemoryTransport();
    a.#other = b;
    b.#other = a;
    return [a, b];
  }

  get closeInfo(): TransportCloseInfo | undefined {
    return this.#closeInfo;
  }

  listen(listener: TransportListener): void {
    if (this.#listener !== undefined) throw new Error("MemoryTransport.listen() may be called only once");
    this.#listener = listener;
    for (const message of this.#queue.splice(0)) listener.message(message);
    if (this.#closeInfo !== undefined) listener.close(this.#closeInfo);
  }

  send(message: object): void {
    if (this.#closeInfo !== undefined) throw TransportClosedError.from(this.#closeInfo);
    const text = JSON.stringify(message);
    const other = this.#other!;
    queueMicrotask(() => other.#receive(text));
  }

  /**
   * Closes this end; the other end then closes with `reason: "exited"` and the given details, after the
   * messages already sent.
   */
  async close(details: MemoryCloseDetails = {}): Promise<TransportCloseInfo> {
    if (this.#closeInfo === undefined) {
      this.#end({ reason: "closed", exitCode: null, signal: null, stderrTail: "" });
      const other = this.#other!;
      queueMicrotask(() =>
        other.#end({ reason: "exited", exitCode: null, signal: null, stderrTail: "", ...details }),
      );
    }
    return this.#closeInfo!;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #receive(text: string): void {
    if (this.#closeInfo !== undefined) return;
    const message = JSON.parse(text) as TransportMessage;
    if (this.#listener === undefined) this.#queue.push(message);
    else this.#listener.message(message);
  }

  #end(info: TransportCloseInfo): void {
    if (this.#closeInfo !== undefined) return;
    this.#closeInfo = info;
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
 * const client = new JsonRpcPeer(clientSide);
 * const server = new JsonRpcPeer(serverSide);
 * server.onRequest("thread/list", () => ({ data: [], nextCursor: null }));
 * console.log(await client.request("thread/list", {}));
 * ```
 */
export function createMemoryTransportPair(): [MemoryTransport, MemoryTransport] {
  return MemoryTransport.pair();
}
