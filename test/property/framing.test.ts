import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { DEFAULT_MAX_LINE_BYTES, JsonLinesReader, LineDecoder } from "../../src/transport/index.js";
import { CaseCounter, runs } from "./support/settings.js";

/**
 * The line framing against a whole-buffer parse: whatever chunks the bytes arrive in (recorded real traffic,
 * multi-byte UTF-8 split at every byte, `\r\n`, blank and over-long lines), the lines, the over-long-line
 * reports and the partial last line are exactly those of splitting the whole buffer on `\n` at once.
 */

const REAL_TRAFFIC = readFileSync(new URL("fixtures/real-traffic.jsonl", import.meta.url));
const counter = new CaseCounter();
after(() => console.log(counter.report("framing property cases")));

type Event =
  | { kind: "line"; text: string }
  | { kind: "oversized"; bytes: number; head: string }
  | { kind: "partial"; text: string };

/** The reference: split the whole buffer on `\n`, with the decoder's documented rules, no streaming at all. */
function wholeBufferParse(buffer: Buffer, maxLineBytes: number): Event[] {
  const events: Event[] = [];
  let start = 0;
  for (;;) {
    const newline = buffer.indexOf(0x0a, start);
    const end = newline === -1 ? buffer.length : newline;
    const bytes = buffer.subarray(start, end);
    if (bytes.length > maxLineBytes) {
      events.push({ kind: "oversized", bytes: bytes.length, head: bytes.subarray(0, 256).toString("utf8") });
    } else {
      let text = bytes.toString("utf8");
      if (text.endsWith("\r")) text = text.slice(0, -1);
      if (newline !== -1 && text !== "") events.push({ kind: "line", text });
      if (newline === -1 && text.trim() !== "") events.push({ kind: "partial", text });
    }
    if (newline === -1) return events;
    start = newline + 1;
  }
}

function decodeInChunks(chunks: readonly Buffer[], maxLineBytes: number): Event[] {
  const events: Event[] = [];
  const decoder = new LineDecoder(
    {
      line: (text) => events.push({ kind: "line", text }),
      oversized: (bytes, head) => events.push({ kind: "oversized", bytes, head }),
      partial: (text) => events.push({ kind: "partial", text }),
    },
    { maxLineBytes },
  );
  for (const chunk of chunks) decoder.push(chunk);
  decoder.end();
  return events;
}

/**
 * Over-long lines are dropped without being held, so the head of one is what had arrived when it went over
 * the limit: compare its size, and check that its head is a prefix of the line (the cut may split a
 * character, which decodes to U+FFFD).
 */
function assertSameEvents(actual: Event[], expected: Event[]): void {
  assert.equal(actual.length, expected.length, "as many events as the whole-buffer parse");
  actual.forEach((event, i) => {
    const want = expected[i]!;
    if (event.kind === "oversized" && want.kind === "oversized") {
      assert.equal(event.bytes, want.bytes);
      const head = event.head.replace(/\uFFFD+$/, "");
      assert.ok(
        want.head.replace(/\uFFFD+$/, "").startsWith(head) || head.startsWith(want.head.replace(/\uFFFD+$/, "")),
        "the head is the line's start",
      );
    } else {
      assert.deepEqual(event, want);
    }
  });
}

/** Cuts a buffer at the given offsets (any order, duplicates allowed: empty chunks are pushed too). */
function cut(buffer: Buffer, offsets: readonly number[]): Buffer[] {
  const points = [...offsets].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let previous = 0;
  for (const point of points) {
    chunks.push(buffer.subarray(previous, point));
    previous = point;
  }
  chunks.push(buffer.subarray(previous));
  return chunks;
}

const offsetsIn = (length: number) => fc.array(fc.nat({ max: length }), { maxLength: 64 });

/** A line as the tests write them: JSON with any Unicode, blank, spaces, not JSON, or over a small limit. */
const lineArbitrary = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .dictionary(fc.string({ unit: "grapheme", maxLength: 6 }), fc.string({ unit: "grapheme", maxLength: 40 }), {
        maxKeys: 4,
      })
      .map((value) => JSON.stringify(value)),
  },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 60 }).filter((text) => !text.includes("\n")) },
  { weight: 1, arbitrary: fc.constantFrom("", " ", "\t", "\r", "  \r") },
  {
    weight: 1,
    arbitrary: fc
      .string({ unit: "grapheme", minLength: 300, maxLength: 900 })
      .map((text) => JSON.stringify({ long: text })),
  },
);

const streamArbitrary = fc
  .record({
    lines: fc.array(fc.record({ text: lineArbitrary, crlf: fc.boolean() }), { maxLength: 25 }),
    tail: fc.option(lineArbitrary, { nil: undefined }),
  })
  .map(({ lines, tail }) =>
    Buffer.from(lines.map(({ text, crlf }) => `${text}${crlf ? "\r\n" : "\n"}`).join("") + (tail ?? ""), "utf8"),
  );

describe("line framing against a whole-buffer parse", () => {
  it("recorded real traffic, cut into random chunks, gives the same lines", () => {
    assert.ok(REAL_TRAFFIC.length > 10_000, "the recorded traffic is there");
    fc.assert(
      fc.property(
        offsetsIn(REAL_TRAFFIC.length),
        fc.constantFrom(DEFAULT_MAX_LINE_BYTES, 2_048, 512),
        (offsets, maxLineBytes) => {
          counter.add("real traffic, random chunks");
          assertSameEvents(
            decodeInChunks(cut(REAL_TRAFFIC, offsets), maxLineBytes),
            wholeBufferParse(REAL_TRAFFIC, maxLineBytes),
          );
        },
      ),
      runs(60, 30_000),
    );
  });

  it("recorded real traffic, fed one byte at a time, gives the same lines", () => {
    counter.add("real traffic, byte by byte");
    const bytes = Array.from({ length: REAL_TRAFFIC.length }, (_, i) => REAL_TRAFFIC.subarray(i, i + 1));
    assertSameEvents(
      decodeInChunks(bytes, DEFAULT_MAX_LINE_BYTES),
      wholeBufferParse(REAL_TRAFFIC, DEFAULT_MAX_LINE_BYTES),
    );
  });

  it("every multi-byte character split at every byte gives the same line", () => {
    const text = JSON.stringify({ text: "é ß 日本 🎉 👩‍💻 Ω ‰ \u{10FFFF} \u0800 \u07FF" });
    const line = Buffer.from(`${text}\r\n${text}\n`, "utf8");
    const expected = wholeBufferParse(line, DEFAULT_MAX_LINE_BYTES);
    assert.equal(expected.length, 2);
    for (let i = 0; i <= line.length; i += 1) {
      for (let j = i; j <= line.length; j += 1) {
        counter.add("multi-byte, every pair of split points");
        assertSameEvents(decodeInChunks(cut(line, [i, j]), DEFAULT_MAX_LINE_BYTES), expected);
      }
    }
  });

  it("random lines (Unicode, \\r\\n, blank, not JSON, over-long, a partial last one) in random chunks give the same lines", () => {
    fc.assert(
      fc.property(
        streamArbitrary.chain((buffer) =>
          fc.tuple(
            fc.constant(buffer),
            offsetsIn(buffer.length),
            fc.constantFrom(DEFAULT_MAX_LINE_BYTES, 1_000, 64, 1),
          ),
        ),
        ([buffer, offsets, maxLineBytes]) => {
          counter.add("random lines, random chunks");
          assertSameEvents(decodeInChunks(cut(buffer, offsets), maxLineBytes), wholeBufferParse(buffer, maxLineBytes));
          assertSameEvents(decodeInChunks([buffer], maxLineBytes), wholeBufferParse(buffer, maxLineBytes));
        },
      ),
      runs(300, 70_000),
    );
  });

  it("the JSON reader delivers the same messages and reports the same lines however the bytes are cut", () => {
    const read = (chunks: readonly Buffer[], maxLineBytes: number) => {
      const seen: unknown[] = [];
      const reader = new JsonLinesReader(
        {
          message: (message) => seen.push(message),
          diagnostic: (d) => seen.push({ diagnostic: d.kind, bytes: "bytes" in d ? d.bytes : undefined }),
        },
        { maxLineBytes },
      );
      for (const chunk of chunks) reader.push(chunk);
      reader.end();
      return seen;
    };
    fc.assert(
      fc.property(
        streamArbitrary.chain((buffer) =>
          fc.tuple(fc.constant(buffer), offsetsIn(buffer.length), fc.constantFrom(DEFAULT_MAX_LINE_BYTES, 1_000)),
        ),
        ([buffer, offsets, maxLineBytes]) => {
          counter.add("JSON reader, random chunks");
          assert.deepEqual(read(cut(buffer, offsets), maxLineBytes), read([buffer], maxLineBytes));
        },
      ),
      runs(100, 10_000),
    );
  });
});
