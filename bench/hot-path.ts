/**
 * Benchmark 1: the hot path, in-process, no codex. A fake app-server plays realistic turns (see
 * lib/turn-fixture.ts) one after another to a real AsyncCodex; the client frames (stream wire), parses,
 * validates each notification against its method's schema, routes it to its turn's machine and queue, and a
 * consumer reads it. Measures notifications/s, MB/s, and heap growth per 100k notifications, for each
 * consumer (`stream()`, `run()` only, `on("delta")`) and each wire (MemoryTransport, framed byte stream).
 *
 * Run alone: `npx node --expose-gc --import tsx bench/hot-path.ts` (BENCH_QUICK=1 for a short run).
 */
import { AsyncCodex } from "../src/client/async-codex.js";
import type { AsyncThread } from "../src/client/async-thread.js";
import type { AsyncTurnHandle } from "../src/client/async-turn-handle.js";
import { CONSUMERS, consumeTurn, type Consumer } from "./lib/consume.js";
import { FakeAppServer, type Wire } from "./lib/fake-app-server.js";
import { liveHeap, mib, PeakMemory } from "./lib/memory.js";
import { line, QUICK, REPEATS, writeResult } from "./lib/output.js";
import { format, signed, summarizeFields, type Summary } from "./lib/stats.js";
import { ANSWER_TEXT, assertFixtureValid, threadIdOf, TurnLines } from "./lib/turn-fixture.js";

const NOTIFICATIONS = QUICK ? 20_000 : 100_000;
/** Finished turns whose handles are kept, to measure what one finished handle holds on to. */
const KEPT_HANDLES = 50;
const WARM_UP_NOTIFICATIONS = QUICK ? 5_000 : 20_000;
const WIRES: readonly Wire[] = ["stream", "memory"];

interface Sample {
  notificationsPerSecond: number;
  megabytesPerSecond: number;
  microsecondsPerNotification: number;
  heapGrowthPer100kMiB: number;
  peakHeapAboveBaselineMiB: number;
}

export interface HotPathCase {
  readonly wire: Wire;
  readonly consumer: Consumer;
  readonly notifications: number;
  readonly turns: number;
  readonly summary: Record<keyof Sample, Summary>;
  /** Live heap held by one finished turn's handle that the caller still references, in KiB. */
  readonly keptHandleKiB: number;
}

async function runTurns(
  thread: AsyncThread,
  server: FakeAppServer,
  consumer: Consumer,
  atLeast: number,
  keep?: AsyncTurnHandle[],
): Promise<number> {
  const start = server.notificationsSent;
  // stream: every notification but the four thread- and account-wide ones; on-delta: every character.
  const expected =
    consumer === "on-delta" ? ANSWER_TEXT.length : consumer === "stream" ? server.turnShape.notifications - 4 : null;
  let turns = 0;
  while (server.notificationsSent - start < atLeast) {
    const handle = await thread.turn("Explain how the client handles a turn.");
    const seen = await consumeTurn(handle, consumer);
    if (expected === null ? seen < 1 : seen !== expected)
      throw new Error(`${consumer}: saw ${seen} where ${expected ?? "some"} were expected`);
    keep?.push(handle);
    turns++;
  }
  return turns;
}

async function measure(wire: Wire, consumer: Consumer): Promise<HotPathCase> {
  const server = new FakeAppServer({ wire });
  const codex = new AsyncCodex({ transport: () => server.transport });
  const samples: Sample[] = [];
  let turns = 0;
  let notifications = 0;
  let keptHandleKiB: number;
  try {
    const thread = await codex.threadStart();
    await runTurns(thread, server, consumer, WARM_UP_NOTIFICATIONS);
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      const before = liveHeap();
      const sentBefore = server.notificationsSent;
      const bytesBefore = server.bytesSent;
      const peak = new PeakMemory();
      const startedAt = performance.now();
      turns = await runTurns(thread, server, consumer, NOTIFICATIONS);
      const seconds = (performance.now() - startedAt) / 1000;
      const peaks = peak.stop();
      const after = liveHeap();
      notifications = server.notificationsSent - sentBefore;
      const bytes = server.bytesSent - bytesBefore;
      samples.push({
        notificationsPerSecond: notifications / seconds,
        megabytesPerSecond: bytes / seconds / 1e6,
        microsecondsPerNotification: (seconds * 1e6) / notifications,
        heapGrowthPer100kMiB: mib(((after - before) * 100_000) / notifications),
        peakHeapAboveBaselineMiB: mib(peaks.heapUsed - before),
      });
    }
    const kept: AsyncTurnHandle[] = [];
    const before = liveHeap();
    await runTurns(thread, server, consumer, 1, kept);
    while (kept.length < KEPT_HANDLES) await runTurns(thread, server, consumer, 1, kept);
    keptHandleKiB = (liveHeap() - before) / kept.length / 1024;
    kept.length = 0;
  } finally {
    await codex.close();
    await server.close();
  }
  const summary = summarizeFields(samples);
  line(
    `hot path  wire=${wire.padEnd(6)} consumer=${consumer.padEnd(8)} ${format(summary.notificationsPerSecond.median).padStart(9)} notifications/s` +
      `  ${format(summary.megabytesPerSecond.median).padStart(5)} MB/s  ${format(summary.microsecondsPerNotification.median)} µs each` +
      `  heap ${signed(summary.heapGrowthPer100kMiB.median)} MiB/100k  peak ${signed(summary.peakHeapAboveBaselineMiB.median)} MiB` +
      `  kept handle ${format(keptHandleKiB)} KiB`,
  );
  return { wire, consumer, notifications, turns, summary, keptHandleKiB };
}

assertFixtureValid();
const cases: HotPathCase[] = [];
for (const wire of WIRES) for (const consumer of CONSUMERS) cases.push(await measure(wire, consumer));
const template = new TurnLines(threadIdOf(0));
const shape = { notifications: template.count, bytes: template.bytes };
writeResult({ notificationsPerRun: NOTIFICATIONS, repeats: REPEATS, turn: shape, cases });
