/**
 * The last `maxBytes` bytes written to a stream (a child's stderr), kept without growing.
 */
export class StderrTail {
  readonly maxBytes: number;
  #chunks: Buffer[] = [];
  #bytes = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    while (this.#chunks.length > 1 && this.#bytes - this.#chunks[0]!.length >= this.maxBytes) {
      this.#bytes -= this.#chunks.shift()!.length;
    }
  }

  /** The tail, decoded as UTF-8. */
  text(): string {
    const all = Buffer.concat(this.#chunks, this.#bytes);
    return all.subarray(Math.max(0, all.length - this.maxBytes)).toString("utf8");
  }
}
