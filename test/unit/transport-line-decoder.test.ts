import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LineDecoder } from "../../src/transport/line-decoder.js";

interface Seen {
  lines: string[];
  oversized: Array<[number, string]>;
  partial: string[];
}

function decoder(maxLineBytes = 1024): [LineDecoder, Seen] {
  const seen: Seen = { lines: [], oversized: [], partial: [] };
  const decode = new LineDecoder(
    {
      line: (text) => seen.lines.push(text),
      oversized: (bytes, head) => seen.oversized.push([bytes, head]),
      partial: (text) => seen.partial.push(text),
    },
    { maxLineBytes },
  );
  return [decode, seen];
}

const SAMPLE = '{"a":"héllo wörld"}\r\n\n{"b":"日本語 🎉 ok"}\n  \n{"c":1}\r\n';
const EXPECTED = ['{"a":"héllo wörld"}', '{"b":"日本語 🎉 ok"}', "  ", '{"c":1}'];

describe("LineDecoder", () => {
  test("cuts the same lines at every split point of the bytes, multi-byte characters included", () => {
    const bytes = Buffer.from(SAMPLE);
    for (let split = 0; split <= bytes.length; split++) {
      const [decode, seen] = decoder();
      decode.push(bytes.subarray(0, split));
      decode.push(bytes.subarray(split));
      decode.end();
      assert.deepEqual(seen.lines, EXPECTED, `split at byte ${split}`);
      assert.deepEqual(seen.partial, []);
    }
  });

  test("cuts the same lines when fed one byte at a time", () => {
    const [decode, seen] = decoder();
    for (const byte of Buffer.from(SAMPLE)) decode.push(Buffer.of(byte));
    decode.end();
    assert.deepEqual(seen.lines, EXPECTED);
  });

  test("drops a line over the limit, reporting its size and head, and goes on", () => {
    const [decode, seen] = decoder(100);
    const long = `{"id":7,"result":"${"x".repeat(300)}"}`;
    decode.push(Buffer.from(`{"ok":1}\n${long.slice(0, 50)}`));
    decode.push(Buffer.from(long.slice(50, 200)));
    decode.push(Buffer.from(`${long.slice(200)}\n{"ok":2}\n`));
    decode.push(Buffer.from(`${"y".repeat(150)}\n`));
    decode.end();
    assert.deepEqual(seen.lines, ['{"ok":1}', '{"ok":2}']);
    assert.equal(seen.oversized.length, 2);
    assert.deepEqual(seen.oversized[0]![0], Buffer.byteLength(long));
    assert.ok(seen.oversized[0]![1].startsWith('{"id":7,"result":"xxx'));
    assert.deepEqual(seen.oversized[1]![0], 150);
  });

  test("a line of exactly maxLineBytes is accepted, one byte more is not", () => {
    const [decode, seen] = decoder(10);
    decode.push(Buffer.from("0123456789\n0123456789A\n"));
    assert.deepEqual(seen.lines, ["0123456789"]);
    assert.deepEqual(
      seen.oversized.map(([bytes]) => bytes),
      [11],
    );
  });

  test("reports what is left without a newline at the end, and nothing for trailing blanks", () => {
    const [decode, seen] = decoder();
    decode.push(Buffer.from('{"id":1}\n{"id":2,"res'));
    decode.end();
    assert.deepEqual(seen.lines, ['{"id":1}']);
    assert.deepEqual(seen.partial, ['{"id":2,"res']);
    const [blank, blankSeen] = decoder();
    blank.push(Buffer.from('{"id":1}\n \r'));
    blank.end();
    assert.deepEqual(blankSeen.partial, []);
  });

  test("throughput on a synthetic stream of notifications in 64 KiB chunks", () => {
    const line = JSON.stringify({
      method: "item/agentMessage/delta",
      params: { threadId: "01a210d6-e641-7b70-ba7a-e13a0680f723", turnId: "t", itemId: "i", delta: "Hello, wörld! " },
      emittedAtMs: 1_795_578_848_820,
    });
    const stream = Buffer.from(`${line}\n`.repeat(200_000));
    let count = 0;
    let parsed = 0;
    const decode = new LineDecoder(
      {
        line: (text) => {
          count++;
          parsed += (JSON.parse(text) as { emittedAtMs: number }).emittedAtMs > 0 ? 1 : 0;
        },
        oversized: () => assert.fail("oversized"),
        partial: () => assert.fail("partial"),
      },
      { maxLineBytes: 64 * 1024 * 1024 },
    );
    const started = performance.now();
    for (let offset = 0; offset < stream.length; offset += 65_536)
      decode.push(stream.subarray(offset, offset + 65_536));
    decode.end();
    const seconds = (performance.now() - started) / 1_000;
    assert.equal(count, 200_000);
    assert.equal(parsed, 200_000);
    console.log(
      `framing + JSON.parse: ${(stream.length / 1_048_576 / seconds).toFixed(0)} MB/s, ${(count / seconds / 1_000).toFixed(0)} k messages/s (${line.length}-byte lines)`,
    );
  });
});
