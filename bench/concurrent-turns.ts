/**
 * Benchmark 2: many turns at once on one client. N turns (N = 1, 8, 64), each on its own thread, run
 * together over the fake app-server's framed byte stream; the server interleaves their notifications
 * round-robin (one notification of each turn in turn), and one `for await` consumer per turn reads its
 * `stream()`. Rounds of N turns repeat until about 100k notifications have gone through. Measures
 * notifications/s, MB/s, peak heap while the turns run, and heap growth per 100k notifications.
 *
 * Run alone: `npx node --expose-gc --import tsx bench/concurrent-turns.ts` (BENCH_QUICK=1 for a short run).
 */
import { setImmediate as nextMacrotask } from "node:timers/promises";
import { AsyncCodex } from "../src/client/async-codex.js";
import type { AsyncThread } from "../src/client/async-thread.js";
import { consumeTurn } from "./lib/consume.js";
import { FakeAppServer, type StartedTurn } from "./lib/fake-app-server.js";
import { liveHeap, mib, PeakMemory } from "./lib/memory.js";
import { line, QUICK, REPEATS, writeResult } from "./lib/output.js";
import { format, signed, summarizeFields, type Summary } from "./lib/stats.js";
import { assertFixtureValid, turnIds } from "./lib/turn-fixture.js";

const NOTIFICATIONS = QUICK ? 20_000 : 100_000;
const CONCURRENCY = [1, 8, 64] as const;

interface Sample {
  notificationsPerSecond: number;
  megabytesPerSecond: number;
  microsecondsPerNotification: number;
  peakHeapAboveBaselineMiB: number;
  heapGrowthPer100kMiB: number;
}

export interface ConcurrentCase {
  readonly turnsAtOnce: number;
  readonly rounds: number;
  readonly notifications: number;
  readonly summary: Record<keyof Sample, Summary>;
  /** Live heap (after a full collection) halfway through a round, above the heap before it, per running turn. */
  readonly liveHeapPerRunningTurnKiB: number;
}

/** Starts one turn on every thread, lets the server play them interleaved, and reads every stream to its end. */
async function round(server: FakeAppServer, threads: readonly AsyncThread[], midway?: () => void): Promise<void> {
  const started: StartedTurn[] = [];
  server.onTurnStart = (turn) => {
    started.push(turn);
    if (started.length === threads.length) void server.emit(started, midway === undefined ? {} : { midway });
  };
  const handles = await Promise.all(threads.map((thread) => thread.turn("Explain how the client handles a turn.")));
  const seen = await Promise.all(handles.map((handle) => consumeTurn(handle, "stream")));
  const expected = server.turnShape.notifications - 4;
  if (seen.some((count) => count !== expected))
    throw new Error(`a turn saw ${seen.join(",")} notifications, not ${expected} each`);
}

async function rounds(server: FakeAppServer, threads: readonly AsyncThread[], atLeast: number): Promise<number> {
  const start = server.notificationsSent;
  let count = 0;
  while (server.notificationsSent - start < atLeast) {
    await round(server, threads);
    count++;
  }
  return count;
}

async function measure(turnsAtOnce: number): Promise<ConcurrentCase> {
  const server = new FakeAppServer({ wire: "stream" });
  const codex = new AsyncCodex({ transport: () => server.transport });
  const samples: Sample[] = [];
  let roundCount = 0;
  let notifications = 0;
  let liveHeapPerRunningTurnKiB: number;
  try {
    const threads: AsyncThread[] = [];
    for (let index = 0; index < turnsAtOnce; index++) threads.push(await codex.threadStart());
    await rounds(server, threads, NOTIFICATIONS / 5);
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      const before = liveHeap();
      const sentBefore = server.notificationsSent;
      const bytesBefore = server.bytesSent;
      const peak = new PeakMemory();
      const startedAt = performance.now();
      roundCount = await rounds(server, threads, NOTIFICATIONS);
      const seconds = (performance.now() - startedAt) / 1000;
      const peaks = peak.stop();
      const after = liveHeap();
      notifications = server.notificationsSent - sentBefore;
      samples.push({
        notificationsPerSecond: notifications / seconds,
        megabytesPerSecond: (server.bytesSent - bytesBefore) / seconds / 1e6,
        microsecondsPerNotification: (seconds * 1e6) / notifications,
        peakHeapAboveBaselineMiB: mib(peaks.heapUsed - before),
        heapGrowthPer100kMiB: mib(((after - before) * 100_000) / notifications),
      });
    }
    const before = liveHeap();
    let midway = Number.NaN;
    await round(server, threads, () => {
      midway = liveHeap();
    });
    liveHeapPerRunningTurnKiB = (midway - before) / turnsAtOnce / 1024;
  } finally {
    await codex.close();
    await server.close();
  }
  const summary = summarizeFields(samples);
  line(
    `concurrent  ${String(turnsAtOnce).padStart(2)} turns at once  ${format(summary.notificationsPerSecond.median).padStart(9)} notifications/s` +
      `  ${format(summary.megabytesPerSecond.median).padStart(5)} MB/s  peak heap ${signed(summary.peakHeapAboveBaselineMiB.median)} MiB` +
      `  heap ${signed(summary.heapGrowthPer100kMiB.median)} MiB/100k  live mid-turn ${format(liveHeapPerRunningTurnKiB)} KiB/turn`,
  );
  return { turnsAtOnce, rounds: roundCount, notifications, summary, liveHeapPerRunningTurnKiB };
}

/**
 * Turns the client did not start (a compaction's turn, a turn another client started on a shared server):
 * the router holds their notifications in case a `turn/start` answer is still to come. Plays `count` such
 * turns and measures the live heap they leave behind, per turn.
 */
async function unclaimedTurns(count: number): Promise<{ turns: number; heldPerTurnKiB: number }> {
  const server = new FakeAppServer({ wire: "stream" });
  const codex = new AsyncCodex({ transport: () => server.transport });
  try {
    const thread = await codex.threadStart();
    const before = liveHeap();
    for (let index = 0; index < count; index++) {
      const turnIndex = 1_000_000 + index;
      await server.emit([{ threadId: thread.id, index: turnIndex, turnId: turnIds(thread.id, turnIndex).turnId }]);
    }
    for (let tick = 0; tick < 10; tick++) await nextMacrotask();
    const heldPerTurnKiB = (liveHeap() - before) / count / 1024;
    line(
      `concurrent  turns this client did not start: ${format(heldPerTurnKiB)} KiB of live heap held per turn (${count} turns)`,
    );
    return { turns: count, heldPerTurnKiB };
  } finally {
    await codex.close();
    await server.close();
  }
}

assertFixtureValid();
const cases: ConcurrentCase[] = [];
for (const turnsAtOnce of CONCURRENCY) cases.push(await measure(turnsAtOnce));
const unclaimed = await unclaimedTurns(QUICK ? 16 : 64);
writeResult({ notificationsPerRun: NOTIFICATIONS, repeats: REPEATS, wire: "stream", cases, unclaimed });
