import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, test } from "node:test";
import type { TransportDiagnostic } from "../../src/transport/diagnostic.js";
import { JsonLinesReader, JsonLinesWriter } from "../../src/transport/json-lines.js";
import type { TransportMessage } from "../../src/transport/transport.js";

function reader(maxLineBytes?: number): [JsonLinesReader, TransportMessage[], TransportDiagnostic[]] {
  const messages: TransportMessage[] = [];
  const diagnostics: TransportDiagnostic[] = [];
  const read = new JsonLinesReader(
    { message: (m) => messages.push(m), diagnostic: (d) => diagnostics.push(d) },
    maxLineBytes === undefined ? {} : { maxLineBytes },
  );
  return [read, messages, diagnostics];
}

describe("JsonLinesReader", () => {
  test("turns lines into messages and everything else into diagnostics, and reads on", () => {
    const [read, messages, diagnostics] = reader();
    read.push(
      Buffer.from('{"id":1,"result":{}}\nnot json\n[1,2]\n42\nnull\n   \n{"method":"x","params":{},"emittedAtMs":5}\n'),
    );
    read.end();
    assert.deepEqual(messages, [
      { id: 1, result: {} },
      { method: "x", params: {}, emittedAtMs: 5 },
    ]);
    assert.deepEqual(
      diagnostics.map((d) => [d.kind, "excerpt" in d ? d.excerpt : ""]),
      [
        ["malformedLine", "not json"],
        ["invalidMessage", "[1,2]"],
        ["invalidMessage", "42"],
        ["invalidMessage", "null"],
      ],
    );
    assert.ok(diagnostics.every((d) => d.atMs > 0 && d.message.length > 0));
  });

  test("an oversized answer names its id; an oversized notification names its method", () => {
    const [read, messages, diagnostics] = reader(64);
    read.push(Buffer.from(`{"id":12,"result":{"data":"${"x".repeat(100)}"}}\n`));
    read.push(Buffer.from(`{"id":"req-3","error":{"code":1,"message":"${"x".repeat(100)}"}}\n`));
    read.push(Buffer.from(`{"method":"item/completed","params":{"id":5,"text":"${"x".repeat(100)}"}}\n`));
    read.push(Buffer.from(`{"id":0,"method":"item/tool/call","params":{"x":"${"x".repeat(100)}"}}\n`));
    read.push(Buffer.from('{"id":13,"result":1}\n'));
    assert.deepEqual(messages, [{ id: 13, result: 1 }]);
    const found = diagnostics.map((d) => (d.kind === "oversizedLine" ? [d.id, d.method, d.limit] : d.kind));
    assert.deepEqual(found, [
      [12, undefined, 64],
      ["req-3", undefined, 64],
      [undefined, "item/completed", 64],
      [undefined, undefined, 64],
    ]);
    assert.match(
      diagnostics[0]!.message,
      /answer to request 12: 1\d\d bytes, over the 64-byte limit\. Raise `maxLineBytes`/,
    );
  });

  test("a last line without a newline is delivered if it parses, else reported as partial", () => {
    const [read, messages, diagnostics] = reader();
    read.push(Buffer.from('{"id":1,"result":true}'));
    read.end();
    assert.deepEqual(messages, [{ id: 1, result: true }]);
    const [cut, , cutDiagnostics] = reader();
    cut.push(Buffer.from('{"id":1,"res'));
    cut.end();
    assert.deepEqual(
      cutDiagnostics.map((d) => d.kind),
      ["partialLine"],
    );
    assert.equal(diagnostics.length, 0);
  });

  test("rejects a limit that is not a positive number, naming the option", () => {
    assert.throws(() => reader(0), /`maxLineBytes` must be a positive number/);
  });
});

describe("JsonLinesWriter", () => {
  test("writes one line per message, and the messages of one tick in a single write", async () => {
    const output = new PassThrough();
    const writes: string[] = [];
    output.on("data", (chunk: Buffer) => writes.push(chunk.toString()));
    const write = new JsonLinesWriter(output);
    for (let id = 1; id <= 1_000; id++) write.write({ id, method: "thread/list", params: {} });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(writes.length, 1);
    const lines = writes[0]!.split("\n");
    assert.equal(lines.length, 1_001);
    assert.equal(lines[0], '{"id":1,"method":"thread/list","params":{}}');
    assert.equal(lines[1_000], "");
    write.write({ method: "initialized" });
    write.end();
    await new Promise((resolve) => output.once("end", resolve));
    assert.equal(writes.at(-1), '{"method":"initialized"}\n');
  });

  test("a message JSON cannot carry throws at once and queues nothing", () => {
    const output = new PassThrough();
    const write = new JsonLinesWriter(output);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => write.write({ id: 1, method: "x", params: cyclic }), /circular/i);
    write.end();
    assert.equal(output.read(), null);
  });
});
