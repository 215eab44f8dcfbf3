import type { Writable } from "node:stream";
import { excerptOf, type TransportDiagnostic } from "./diagnostic.js";
import { LineDecoder } from "./line-decoder.js";
import type { TransportMessage } from "./transport.js";

/** The default bound on one line: 64 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Where a {@link JsonLinesReader} delivers. */
export interface JsonLinesHandlers {
  message(message: TransportMessage): void;
  diagnostic(diagnostic: TransportDiagnostic): void;
}

const RESPONSE_HEAD = /^\s*\{\s*"id"\s*:\s*(-?\d+|"[^"\\]*")\s*,\s*"(?:result|error)"/;
const METHOD_HEAD = /^\s*\{\s*"method"\s*:\s*"([^"\\]{1,200})"/;

/**
 * Reads JSONL: one JSON object per line. Lines that are not JSON, not objects, or over `maxLineBytes` become
 * diagnostics, and reading goes on. A last line without a newline is still accepted if it parses.
 */
export class JsonLinesReader {
  readonly #handlers: JsonLinesHandlers;
  readonly #decoder: LineDecoder;

  constructor(handlers: JsonLinesHandlers, options: { maxLineBytes?: number | undefined } = {}) {
    this.#handlers = handlers;
    const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!(maxLineBytes > 0))
      throw new RangeError(`\`maxLineBytes\` must be a positive number of bytes, not ${maxLineBytes}`);
    this.#decoder = new LineDecoder(
      {
        line: (text) => this.#parse(text, false),
        partial: (text) => this.#parse(text, true),
        oversized: (bytes, head) => this.#oversized(bytes, head, maxLineBytes),
      },
      { maxLineBytes },
    );
  }

  /** Feeds the next chunk of bytes. */
  push(chunk: Buffer): void {
    this.#decoder.push(chunk);
  }

  /** The stream ended. */
  end(): void {
    this.#decoder.end();
  }

  #parse(text: string, partial: boolean): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      if (text.trim() === "") return;
      const bytes = Buffer.byteLength(text);
      this.#handlers.diagnostic(
        partial
          ? {
              kind: "partialLine",
              message: `The stream ended inside a line of ${bytes} bytes that is not valid JSON; it was dropped.`,
              atMs: Date.now(),
              bytes,
              excerpt: excerptOf(text),
            }
          : {
              kind: "malformedLine",
              message: `Skipped a line of ${bytes} bytes that is not valid JSON (${(error as Error).message}).`,
              atMs: Date.now(),
              bytes,
              excerpt: excerptOf(text),
            },
      );
      return;
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      this.#handlers.message(value as TransportMessage);
    } else {
      this.#handlers.diagnostic({
        kind: "invalidMessage",
        message: `Skipped a line that is JSON but not an object (${Array.isArray(value) ? "an array" : typeof value}).`,
        atMs: Date.now(),
        excerpt: excerptOf(text),
      });
    }
  }

  #oversized(bytes: number, head: string, limit: number): void {
    const id = RESPONSE_HEAD.exec(head)?.[1];
    const method = METHOD_HEAD.exec(head)?.[1];
    const what =
      id !== undefined ? `the answer to request ${id}` : method !== undefined ? `a ${method} message` : "a line";
    this.#handlers.diagnostic({
      kind: "oversizedLine",
      message: `Dropped ${what}: ${bytes} bytes, over the ${limit}-byte limit. Raise \`maxLineBytes\` to accept it.`,
      atMs: Date.now(),
      bytes,
      limit,
      excerpt: excerptOf(head),
      ...(id === undefined ? {} : { id: id.startsWith('"') ? id.slice(1, -1) : Number(id) }),
      ...(method === undefined ? {} : { method }),
    });
  }
}

/**
 * Writes JSONL: one JSON object per line. Messages sent in the same tick go out in a single write.
 */
export class JsonLinesWriter {
  readonly #output: Writable;
  #batch = "";
  #scheduled = false;

  constructor(output: Writable) {
    this.#output = output;
  }

  /**
   * Queues one message for the next write.
   * @throws what `JSON.stringify` throws (a cycle, a `bigint`), synchronously, before anything is queued.
   */
  write(message: object): void {
    this.#batch += `${JSON.stringify(message)}\n`;
    if (!this.#scheduled) {
      this.#scheduled = true;
      process.nextTick(this.#flush);
    }
  }

  /** Writes what is queued, then ends the stream. */
  end(): void {
    this.#flush();
    if (!this.#output.writableEnded) this.#output.end();
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    const batch = this.#batch;
    if (batch === "") return;
    this.#batch = "";
    if (this.#output.writable) this.#output.write(batch);
  };
}
