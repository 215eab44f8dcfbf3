import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { InvalidInputError } from "../../src/errors/invalid-input-error.js";
import { RequestMethods } from "../../src/observe/message-record.js";
import { REDACTED, rememberSecrets } from "../../src/errors/redact.js";
import { TraceFile, traceFileOf, type TraceLine } from "../../src/observe/trace-file.js";
import type { TraceEvent } from "../../src/rpc/trace.js";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "codex-trace-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A capability token a WebSocket connection remembered (shaped like no pattern: only its value marks it). */
const REMEMBERED_TOKEN = "Zq3rT8vLk2Wm9pXy4sNc7bHd";
/** A value the trace file was given as a secret (the client gives those of its `env`). */
const GIVEN_SECRET = "provider-secret-6c1e0a77";
rememberSecrets([REMEMBERED_TOKEN]);

const events: TraceEvent[] = [
  {
    direction: "outgoing",
    atMs: 1_000,
    message: { id: 1, method: "account/login/start", params: { type: "apiKey", apiKey: "sk-secret-0123456789abcdef" } },
  },
  { direction: "incoming", atMs: 1_002, elapsedMs: 2.5, message: { id: 1, result: { type: "apiKey" } } },
  { direction: "incoming", atMs: 1_003, message: { method: "account/updated", params: { authMode: "apikey" } } },
  {
    direction: "incoming",
    atMs: 1_004,
    message: { id: 0, method: "item/commandExecution/requestApproval", params: { threadId: "thr_1" } },
  },
  { direction: "outgoing", atMs: 1_005, elapsedMs: 1, message: { id: 0, result: { decision: "decline" } } },
  {
    direction: "outgoing",
    atMs: 1_006,
    message: {
      id: 2,
      method: "thread/start",
      params: {
        developerInstructions: `token ${REMEMBERED_TOKEN}, secret ${GIVEN_SECRET}`,
        config: { env: { A: "1" } },
      },
    },
  },
  {
    direction: "incoming",
    atMs: 1_007,
    elapsedMs: 1,
    message: { id: 2, error: { code: -32600, message: "bad key sk-secret-0123456789abcdef" } },
  },
];

function write(path: string, payloads: boolean): TraceFile {
  const file = TraceFile.open({ path, payloads }, [GIVEN_SECRET]);
  const methods = new RequestMethods();
  for (const event of events) file.write(event, methods.record(event));
  return file;
}

/** The payload of the `thread/start` request. */
function threadStartPayload(written: TraceLine[]): unknown {
  return written.find((line) => line.method === "thread/start" && line.kind === "request")?.payload;
}

async function lines(path: string): Promise<TraceLine[]> {
  return (await readFile(path, "utf8"))
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as TraceLine);
}

describe("the JSON Lines trace file", () => {
  it("writes one line per message, both ways, naming each response after its request", async () => {
    const path = join(dir, "plain.jsonl");
    write(path, false).close();
    const written = await lines(path);
    assert.deepEqual(
      written.map((line) => [line.direction, line.kind, line.id, line.method]),
      [
        ["outgoing", "request", 1, "account/login/start"],
        ["incoming", "response", 1, "account/login/start"],
        ["incoming", "notification", null, "account/updated"],
        ["incoming", "request", 0, "item/commandExecution/requestApproval"],
        ["outgoing", "response", 0, "item/commandExecution/requestApproval"],
        ["outgoing", "request", 2, "thread/start"],
        ["incoming", "error", 2, "thread/start"],
      ],
    );
    assert.equal(written[1]!.elapsedMs, 2.5);
    assert.equal(written[0]!.at, new Date(1_000).toISOString());
    assert.equal(written[0]!.bytes, Buffer.byteLength(JSON.stringify(events[0]!.message)));
    assert.ok(
      written.every((line) => line.payload === undefined),
      "no payloads unless asked",
    );
    assert.deepEqual(written[6]!.error, { code: -32600, message: `bad key sk-${REDACTED}` });
  });

  it("with payloads, writes them redacted: the key is nowhere in the file", async () => {
    const path = join(dir, "payloads.jsonl");
    write(path, true).close();
    const text = await readFile(path, "utf8");
    for (const secret of ["sk-secret-0123456789abcdef", REMEMBERED_TOKEN, GIVEN_SECRET])
      assert.ok(!text.includes(secret), `${secret} is in the trace`);
    assert.deepEqual(threadStartPayload(await lines(path)), {
      developerInstructions: `token ${REDACTED}, secret ${REDACTED}`,
      config: { env: { A: REDACTED } },
    });
    const written = await lines(path);
    assert.deepEqual(written[0]!.payload, { type: "apiKey", apiKey: REDACTED });
    assert.deepEqual(written[4]!.payload, { decision: "decline" });
  });

  it("appends, and writes what is pending when closed", async () => {
    const path = join(dir, "append.jsonl");
    write(path, false).close();
    const file = write(path, false);
    const count = () => readFileSync(path, "utf8").trimEnd().split("\n").length;
    assert.equal(count(), events.length, "lines are written in a batch, not one write per message");
    file.close();
    assert.equal(count(), 2 * events.length);
  });

  it("a path that cannot be written is an InvalidInputError naming the file", () => {
    assert.throws(
      () => TraceFile.open({ path: join(dir, "missing", "t.jsonl") }),
      (error: unknown) =>
        error instanceof InvalidInputError &&
        error.message.includes(join(dir, "missing", "t.jsonl")) &&
        /CODEX_APP_SERVER_TRACE/.test(error.message),
    );
  });

  it("traceFileOf: the config wins, false switches off, and the environment variable switches on", () => {
    const env = { CODEX_APP_SERVER_TRACE: "/var/tmp/env.jsonl" };
    assert.deepEqual(traceFileOf(undefined, env), { path: "/var/tmp/env.jsonl", payloads: false });
    assert.deepEqual(traceFileOf(undefined, { ...env, CODEX_APP_SERVER_TRACE_PAYLOADS: "1" }), {
      path: "/var/tmp/env.jsonl",
      payloads: true,
    });
    assert.equal(traceFileOf(false, env), null);
    assert.equal(traceFileOf(undefined, {}), null);
    assert.deepEqual(traceFileOf("/var/tmp/a.jsonl", env), { path: "/var/tmp/a.jsonl", payloads: false });
    assert.deepEqual(traceFileOf({ path: "/var/tmp/b.jsonl", payloads: true }, env), {
      path: "/var/tmp/b.jsonl",
      payloads: true,
    });
    assert.throws(() => traceFileOf("", env), InvalidInputError);
    assert.throws(() => traceFileOf({ path: "/x", payloads: "yes" } as never, env), /traceFile\.payloads/);
  });
});
