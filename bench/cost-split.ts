/**
 * Benchmark 1, split: the stages of the hot path timed alone, over the same realistic turns, so that the
 * end-to-end figure of hot-path.ts can be broken down. Each stage runs in a tight synchronous loop (no event
 * loop, no promises), so the sum of the stages is less than the end-to-end time; the rest is the asynchronous
 * plumbing between them (transport callbacks, promise resolution, the `for await` consumer).
 *
 * Run alone: `npx node --expose-gc --import tsx bench/cost-split.ts` (BENCH_QUICK=1 for a short run).
 */
import Emittery from "emittery";
import { setImmediate as nextMacrotask } from "node:timers/promises";
import { createActor } from "xstate";
import { LiveTurn } from "../src/client/live-turn.js";
import { AsyncCodex } from "../src/client/async-codex.js";
import { NotificationRouter, turnIdOf } from "../src/client/router.js";
import { turnMachine } from "../src/machines/turn.js";
import type { Notification } from "../src/schema/index.js";
import { checkServerNotification } from "../src/schema/validate.js";
import { JsonLinesReader } from "../src/transport/json-lines.js";
import { LineDecoder } from "../src/transport/line-decoder.js";
import { consumeTurn } from "./lib/consume.js";
import { FakeAppServer } from "./lib/fake-app-server.js";
import { collectGarbage } from "./lib/memory.js";
import { line, QUICK, REPEATS, writeResult } from "./lib/output.js";
import { format, summarize, type Summary } from "./lib/stats.js";
import { threadIdOf, TurnLines } from "./lib/turn-fixture.js";

const TURNS = 40;
const PER_SAMPLE = QUICK ? 10_000 : 50_000;
const CHUNK_BYTES = 64 * 1024;

export interface Stage {
  readonly name: string;
  readonly what: string;
  /** Nanoseconds per notification (of the stage's unit, for `per: "turn"`). */
  readonly nanoseconds: Summary;
  readonly per: "notification" | "turn" | "delta";
  readonly megabytesPerSecond?: number;
}

const threadId = threadIdOf(0);
const template = new TurnLines(threadId);
const turnLines = Array.from({ length: TURNS }, (_, index) => template.lines(index));
const lines = turnLines.flat();
const wire = Buffer.from(`${lines.join("\n")}\n`);
const chunks: Buffer[] = [];
for (let at = 0; at < wire.length; at += CHUNK_BYTES) chunks.push(wire.subarray(at, at + CHUNK_BYTES));
const bytesPerNotification = wire.length / lines.length;

/**
 * Times `pass` (which handles `count` items) repeatedly; returns nanoseconds per item, one value per repeat.
 * After each pass the event loop turns once, so that work a stage defers to microtasks (emittery's
 * listeners, promise reactions) is done, and timed, before the next pass.
 */
async function time(count: number, pass: () => unknown): Promise<number[]> {
  const passes = Math.max(1, Math.ceil(PER_SAMPLE / count));
  let sink: unknown;
  for (let warm = 0; warm < Math.max(2, passes >> 2); warm++) {
    sink = pass();
    await nextMacrotask();
  }
  const samples: number[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    collectGarbage();
    const start = process.hrtime.bigint();
    for (let index = 0; index < passes; index++) {
      sink = pass();
      await nextMacrotask();
    }
    samples.push(Number(process.hrtime.bigint() - start) / (passes * count));
  }
  if (sink === Symbol.for("never")) line("");
  return samples;
}

const stages: Stage[] = [];
function record(name: string, what: string, samples: number[], per: Stage["per"] | "delta" = "notification"): void {
  const nanoseconds = summarize(samples);
  const megabytesPerSecond = per === "notification" ? (bytesPerNotification / nanoseconds.median) * 1e3 : undefined;
  stages.push({ name, what, nanoseconds, per, ...(megabytesPerSecond === undefined ? {} : { megabytesPerSecond }) });
  line(
    `cost split  ${name.padEnd(26)} ${format(nanoseconds.median / 1000).padStart(7)} µs per ${per}` +
      (megabytesPerSecond === undefined ? "" : `  (${format(megabytesPerSecond)} MB/s)`),
  );
}

// First use of each method's validator compiles it: measured before anything else touches the schema.
const parsed = lines.map((text) => JSON.parse(text) as Notification);
const firstTurn = parsed.slice(0, template.count);
const methods = [...new Set(firstTurn.map((n) => n.method))];
const compileStart = process.hrtime.bigint();
for (const notification of firstTurn) checkServerNotification(notification.method, notification.params);
const compileMs = Number(process.hrtime.bigint() - compileStart) / 1e6;
line(`cost split  first validation of ${methods.length} methods (schema compile): ${format(compileMs)} ms`);
for (const notification of parsed) {
  if (!checkServerNotification(notification.method, notification.params).ok)
    throw new Error(`invalid ${notification.method}`);
}

/** The whole hot path in this process (byte stream, `stream()` consumer), the reference for the shares. */
async function endToEnd(): Promise<number[]> {
  const server = new FakeAppServer({ wire: "stream" });
  const codex = new AsyncCodex({ transport: () => server.transport });
  const samples: number[] = [];
  try {
    const thread = await codex.threadStart();
    const play = async (atLeast: number) => {
      const start = server.notificationsSent;
      while (server.notificationsSent - start < atLeast) await consumeTurn(await thread.turn("Explain."), "stream");
      return server.notificationsSent - start;
    };
    await play(PER_SAMPLE / 2);
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      collectGarbage();
      const start = process.hrtime.bigint();
      const count = await play(PER_SAMPLE);
      samples.push(Number(process.hrtime.bigint() - start) / count);
    }
  } finally {
    await codex.close();
    await server.close();
  }
  return samples;
}

record(
  "end-to-end",
  "AsyncCodex over the byte stream, `for await … stream()` consumer (as in hot-path.ts)",
  await endToEnd(),
);
record(
  "framing (LineDecoder)",
  "cut 64 KiB chunks into lines (UTF-8 decode included)",
  await time(lines.length, () => {
    let count = 0;
    const decoder = new LineDecoder(
      { line: () => count++, oversized() {}, partial() {} },
      { maxLineBytes: 64 * 1024 * 1024 },
    );
    for (const chunk of chunks) decoder.push(chunk);
    decoder.end();
    return count;
  }),
);
record(
  "parse (JSON.parse)",
  "JSON.parse of each line",
  await time(lines.length, () => {
    let last: unknown;
    for (const text of lines) last = JSON.parse(text);
    return last;
  }),
);
record(
  "framing + parse (reader)",
  "JsonLinesReader: framing, JSON.parse and the object check",
  await time(lines.length, () => {
    let count = 0;
    const reader = new JsonLinesReader({ message: () => count++, diagnostic() {} });
    for (const chunk of chunks) reader.push(chunk);
    reader.end();
    return count;
  }),
);
record(
  "validate (schema check)",
  "checkServerNotification(method, params), compiled validators",
  await time(parsed.length, () => {
    let ok = 0;
    for (const notification of parsed) if (checkServerNotification(notification.method, notification.params).ok) ok++;
    return ok;
  }),
);

const parsedTurns = turnLines.map((turn) => turn.map((text) => JSON.parse(text) as Notification));
const routedTurns = parsedTurns.map((turn) => turn.filter((notification) => turnIdOf(notification) !== null));
const routedPerTurn = routedTurns[0]!.length;
record(
  "machine send (turnMachine)",
  "actor.send({ type: 'notification' }) per routed notification; actor created per turn (time ÷ all notifications)",
  await time(parsed.length, () => {
    for (const turn of routedTurns) {
      const actor = createActor(turnMachine, { input: { threadId } });
      actor.start();
      actor.send({ type: "turn.accepted", turnId: (turn[0]!.params as { turn: { id: string } }).turn.id });
      for (const notification of turn) actor.send({ type: "notification", notification });
    }
    return routedTurns.length;
  }),
);
/**
 * A long agentic turn: `items` earlier items (started and completed), then an agent message streamed in
 * `DELTAS` deltas. Returns nanoseconds per delta sent to the machine: (time with deltas − time without) ÷ deltas.
 */
async function deltaCostWithItems(items: number): Promise<number[]> {
  const DELTAS = 234;
  const turnId = "01a210e9-8bff-7ab0-92ca-000000000000";
  const item = (id: string, text: string) => ({
    type: "agentMessage",
    id,
    text,
    phase: "commentary",
    memoryCitation: null,
  });
  const before: Notification[] = [];
  for (let index = 0; index < items; index++) {
    before.push({
      method: "item/started",
      params: { threadId, turnId, item: item(`m${index}`, ""), startedAtMs: 0 },
    } as unknown as Notification);
    before.push({
      method: "item/completed",
      params: { threadId, turnId, item: item(`m${index}`, "Looking."), completedAtMs: 0 },
    } as unknown as Notification);
  }
  before.push({
    method: "item/started",
    params: { threadId, turnId, item: item("final", ""), startedAtMs: 0 },
  } as unknown as Notification);
  const deltas = Array.from(
    { length: DELTAS },
    () =>
      ({
        method: "item/agentMessage/delta",
        params: { threadId, turnId, itemId: "final", delta: "abcd" },
      }) as unknown as Notification,
  );
  const play = (withDeltas: boolean) => () => {
    const actor = createActor(turnMachine, { input: { threadId } });
    actor.start();
    actor.send({ type: "turn.accepted", turnId });
    for (const notification of before) actor.send({ type: "notification", notification });
    if (withDeltas) for (const notification of deltas) actor.send({ type: "notification", notification });
    return actor;
  };
  const total = before.length + DELTAS;
  const withDeltas = await time(total, play(true));
  const without = await time(before.length, play(false));
  return withDeltas.map((ns, index) => (ns * total - without[index]! * before.length) / DELTAS);
}

record(
  "machine: delta, 1 item in turn",
  "one item/agentMessage/delta sent to the machine, the turn holding only that message",
  await deltaCostWithItems(0),
  "delta",
);
record(
  "machine: delta, 200 items in turn",
  "the same after 200 earlier items in the turn (a long agentic turn)",
  await deltaCostWithItems(200),
  "delta",
);
record(
  "machine create + start",
  "createActor(turnMachine).start() and turn.accepted, once per turn",
  await time(TURNS, () => {
    for (let index = 0; index < TURNS; index++) {
      const actor = createActor(turnMachine, { input: { threadId } });
      actor.start();
      actor.send({ type: "turn.accepted", turnId: "t" });
    }
    return TURNS;
  }),
  "turn",
);
const liveTurnPass = (listeners: boolean) => () => {
  const router = new NotificationRouter({ maxPendingTurns: 256, maxBufferedNotifications: 10_000, onDrop() {} });
  for (const turn of parsedTurns) {
    const turnId = (turn[1]!.params as { turn: { id: string } }).turn.id;
    const live = new LiveTurn({ threadId, maxBufferedNotifications: 10_000, onListenerError() {} });
    if (listeners) live.events.on("delta", () => {});
    live.accept(turnId);
    router.register(turnId, live);
    for (const notification of turn) router.route(notification);
    router.unregister(turnId, live);
  }
  return router.turnCount;
};
record(
  "route + LiveTurn.deliver",
  "router lookup, machine send, queue push (nobody reading)",
  await time(parsed.length, liveTurnPass(false)),
);
record(
  "… with an on('delta') listener",
  "the same, plus an emittery emit per delta",
  await time(parsed.length, liveTurnPass(true)),
);
record(
  "emittery emit alone",
  "events.emit('delta', …) with one listener (its listener call, in a microtask, included)",
  await time(parsed.length, () => {
    const events = new Emittery<{ delta: { itemId: string; delta: string } }>();
    events.on("delta", () => {});
    for (let index = 0; index < parsed.length; index++) void events.emit("delta", { itemId: "i", delta: "d" });
    return events.listenerCount();
  }),
);
record(
  "fake server (stream wire)",
  "the fake server making a turn's JSONL bytes (template ids replaced, joined, encoded), not client work",
  await time(lines.length, () => {
    let bytes = 0;
    for (let index = 0; index < TURNS; index++) bytes += Buffer.from(`${template.lines(index).join("\n")}\n`).length;
    return bytes;
  }),
);
record(
  "JSON.stringify (fake peer)",
  "the fake server's side of the memory wire, not client work",
  await time(parsed.length, () => {
    let length = 0;
    for (const notification of parsed) length += JSON.stringify(notification).length;
    return length;
  }),
);

writeResult({
  notificationsPerSample: PER_SAMPLE,
  repeats: REPEATS,
  turns: TURNS,
  notificationsPerTurn: template.count,
  routedPerTurn,
  bytesPerNotification,
  firstValidation: { methods: methods.length, milliseconds: compileMs },
  stages,
});
