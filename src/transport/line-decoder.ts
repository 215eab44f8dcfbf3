/** Receives the lines a {@link LineDecoder} cuts. */
export interface LineSink {
  /** A whole line, without its `\n` or `\r\n`; never empty. */
  line(text: string): void;
  /** A line over the limit, dropped: its length in bytes and its first bytes, decoded. */
  oversized(bytes: number, head: string): void;
  /** What was left without a final newline when the stream ended. */
  partial(text: string): void;
}

/** Options of {@link LineDecoder}. */
export interface LineDecoderOptions {
  /** The longest line accepted, in bytes. Longer ones are dropped (without being held) and reported. */
  maxLineBytes: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 13;
const HEAD_BYTES = 256;

/**
 * Cuts a byte stream into lines: correct across chunk splits, `\r\n`, and multi-byte UTF-8 characters split
 * between chunks (bytes are joined before decoding); skips blank lines; drops lines over `maxLineBytes`
 * without holding them in memory.
 */
export class LineDecoder {
  readonly maxLineBytes: number;
  readonly #sink: LineSink;
  #parts: Buffer[] = [];
  #held = 0;
  #skipping = false;
  #skipped = 0;
  #head = "";

  constructor(sink: LineSink, options: LineDecoderOptions) {
    this.#sink = sink;
    this.maxLineBytes = options.maxLineBytes;
  }

  /** Feeds the next chunk of bytes. */
  push(chunk: Buffer): void {
    let start = 0;
    const length = chunk.length;
    while (start < length) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) {
        this.#hold(chunk, start, length);
        return;
      }
      this.#finish(chunk, start, newline);
      start = newline + 1;
    }
  }

  /** The stream ended: reports what is left of an unfinished line. */
  end(): void {
    if (this.#skipping) {
      this.#skipping = false;
      this.#sink.oversized(this.#skipped, this.#head);
    } else if (this.#held > 0) {
      const text = trimLine(Buffer.concat(this.#parts, this.#held).toString("utf8"));
      this.#parts = [];
      this.#held = 0;
      if (text.trim() !== "") this.#sink.partial(text);
    }
  }

  #hold(chunk: Buffer, start: number, end: number): void {
    const length = end - start;
    if (this.#skipping) {
      this.#skipped += length;
    } else if (this.#held + length > this.maxLineBytes) {
      this.#skipping = true;
      this.#skipped = this.#held + length;
      this.#head = headOf(this.#parts, chunk.subarray(start, end));
      this.#parts = [];
      this.#held = 0;
    } else {
      this.#parts.push(start === 0 ? chunk : chunk.subarray(start, end));
      this.#held += length;
    }
  }

  #finish(chunk: Buffer, start: number, end: number): void {
    if (this.#skipping) {
      this.#skipping = false;
      this.#sink.oversized(this.#skipped + end - start, this.#head);
      return;
    }
    const length = this.#held + end - start;
    if (length > this.maxLineBytes) {
      const head = headOf(this.#parts, chunk.subarray(start, end));
      this.#parts = [];
      this.#held = 0;
      this.#sink.oversized(length, head);
      return;
    }
    let text: string;
    if (this.#held === 0) {
      text = chunk.toString("utf8", start, end);
    } else {
      this.#parts.push(chunk.subarray(start, end));
      text = Buffer.concat(this.#parts, length).toString("utf8");
      this.#parts = [];
      this.#held = 0;
    }
    if (text.charCodeAt(text.length - 1) === CARRIAGE_RETURN) text = text.slice(0, -1);
    if (text.length !== 0) this.#sink.line(text);
  }
}

function trimLine(text: string): string {
  return text.charCodeAt(text.length - 1) === CARRIAGE_RETURN ? text.slice(0, -1) : text;
}

function headOf(parts: readonly Buffer[], last: Buffer): string {
  const head: Buffer[] = [];
  let bytes = 0;
  for (const part of [...parts, last]) {
    head.push(part.subarray(0, HEAD_BYTES - bytes));
    bytes += head.at(-1)!.length;
    if (bytes >= HEAD_BYTES) break;
  }
  return Buffer.concat(head).toString("utf8");
}
