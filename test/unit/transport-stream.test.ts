import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, test } from "node:test";
import { TransportClosedError } from "../../src/errors/transport-closed-error.js";
import type { TransportDiagnostic } from "../../src/transport/diagnostic.js";
import { createMemoryTransportPair } from "../../src/transport/memory-transport.js";
import { StreamTransport } from "../../src/transport/stream-transport.js";
import type { TransportCloseInfo, TransportListener, TransportMessage } from "../../src/transport/transport.js";

function recorder(): TransportListener & {
  messages: TransportMessage[];
  diagnostics: TransportDiagnostic[];
  closes: TransportCloseInfo[];
} {
  const seen = {
    messages: [] as TransportMessage[],
    diagnostics: [] as TransportDiagnostic[],
    closes: [] as TransportCloseInfo[],
  };
  return {
    ...seen,
    message: (m) => seen.messages.push(m),
    diagnostic: (d) => seen.diagnostics.push(d),
    close: (info) => seen.closes.push(info),
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("StreamTransport", () => {
  test("reads messages across chunks, writes JSONL, and ends with reason exited when its input ends", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const transport = new StreamTransport({ input, output });
    const seen = recorder();
    transport.listen(seen);
    input.write('{"id":1,"res');
    input.write('ult":"ü"}\r\nbroken\n');
    transport.send({ id: 2, method: "thread/list", params: {} });
    await tick();
    assert.deepEqual(seen.messages, [{ id: 1, result: "ü" }]);
    assert.deepEqual(
      seen.diagnostics.map((d) => d.kind),
      ["malformedLine"],
    );
    assert.equal(String(output.read()), '{"id":2,"method":"thread/list","params":{}}\n');
    input.end('{"method":"last"}');
    await tick();
    assert.deepEqual(seen.messages.at(-1), { method: "last" });
    assert.deepEqual(seen.closes, [{ reason: "exited", exitCode: null, signal: null, stderrTail: "" }]);
    assert.throws(() => transport.send({ method: "x" }), TransportClosedError);
  });

  test("close() is idempotent and reports reason closed once", async () => {
    const transport = new StreamTransport({ input: new PassThrough(), output: new PassThrough() });
    const seen = recorder();
    transport.listen(seen);
    const [first, second] = await Promise.all([transport.close(), transport.close()]);
    assert.equal(first.reason, "closed");
    assert.strictEqual(first, second);
    assert.equal(seen.closes.length, 1);
  });
});

describe("MemoryTransport pair", () => {
  test("carries messages as JSON, in order, both ways, and closes the other end after what was sent", async () => {
    const [a, b] = createMemoryTransportPair();
    const seenA = recorder();
    const seenB = recorder();
    a.listen(seenA);
    a.send({ id: 1, params: { keep: 1, drop: undefined } });
    a.send({ id: 2 });
    b.listen(seenB);
    b.send({ id: 3 });
    await a.close();
    await tick();
    assert.deepEqual(seenB.messages, [{ id: 1, params: { keep: 1 } }, { id: 2 }]);
    assert.deepEqual(seenA.messages, []);
    assert.deepEqual(
      seenA.closes.map((c) => c.reason),
      ["closed"],
    );
    assert.deepEqual(
      seenB.closes.map((c) => c.reason),
      ["exited"],
    );
    assert.throws(() => b.send({ id: 4 }), TransportClosedError);
  });
});
