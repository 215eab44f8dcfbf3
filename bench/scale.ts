/**
 * Benchmark 7, scale. In-process (the fake app-server of lib/, byte-stream wire): 10,000 turns one after another
 * on one client with the live heap after a full collection and the RSS every 1,000 turns, and what one idle
 * thread handle holds. Against the real binary, offline: 1, 8, 32 and 128 turns at once on as many threads of
 * one client (threads started first, their start timed too), and the many-threads profile: a burst of new
 * threads with `features.shell_snapshot` off (the test kit's default) and on, interleaved.
 *
 * Run alone: `npx node --expose-gc --import tsx bench/scale.ts` (BENCH_QUICK=1: 1,000 turns, up to 8 at once).
 */
import { AsyncCodex } from "../src/client/async-codex.js";
import type { AsyncThread } from "../src/client/async-thread.js";
import { createOfflineEnvironment, textReply } from "../src/testing/index.js";
import { FakeAppServer } from "./lib/fake-app-server.js";
import { liveHeap, mib } from "./lib/memory.js";
import { line, QUICK, writeResult } from "./lib/output.js";
import { codexProcessesOf } from "./lib/processes.js";
import { format, summarize, type Summary } from "./lib/stats.js";
import { assertFixtureValid } from "./lib/turn-fixture.js";

const TURNS = QUICK ? 1_000 : 10_000;
const SAMPLE_EVERY = QUICK ? 100 : 1_000;
const IDLE_THREADS = QUICK ? 200 : 2_000;
const AT_ONCE = QUICK ? [1, 8] : [1, 8, 32, 128];
const BURST_THREADS = QUICK ? 4 : 16;
const BURST_ROUNDS = QUICK ? 1 : 3;

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** 10,000 turns on one thread of one client; the handles are dropped as a long-running program would. */
async function longRun(): Promise<{
  turns: number;
  notificationsPerTurn: number;
  samples: { turns: number; liveHeapMiB: number; rssMiB: number }[];
  seconds: number;
}> {
  const server = new FakeAppServer({ wire: "stream" });
  const codex = new AsyncCodex({ transport: () => server.transport });
  const samples: { turns: number; liveHeapMiB: number; rssMiB: number }[] = [];
  const startedAt = performance.now();
  try {
    const thread = await codex.threadStart();
    samples.push({ turns: 0, liveHeapMiB: mib(liveHeap()), rssMiB: mib(process.memoryUsage().rss) });
    for (let turn = 1; turn <= TURNS; turn++) {
      const result = await thread.run("Explain how the client handles a turn.");
      if (result.finalResponse === null) throw new Error(`turn ${turn} gave no final response`);
      if (turn % SAMPLE_EVERY === 0)
        samples.push({ turns: turn, liveHeapMiB: mib(liveHeap()), rssMiB: mib(process.memoryUsage().rss) });
    }
  } finally {
    await codex.close();
    await server.close();
  }
  return {
    turns: TURNS,
    notificationsPerTurn: server.turnShape.notifications,
    samples,
    seconds: (performance.now() - startedAt) / 1000,
  };
}

/** The heap one idle `AsyncThread` handle (started, no turn) keeps, with the client's bookkeeping for it. */
async function idleThreads(): Promise<{ threads: number; perThreadKiB: number }> {
  const server = new FakeAppServer({ wire: "stream" });
  const codex = new AsyncCodex({ transport: () => server.transport });
  try {
    await codex.start();
    const before = liveHeap();
    const kept: AsyncThread[] = [];
    for (let index = 0; index < IDLE_THREADS; index++) kept.push(await codex.threadStart());
    const perThreadKiB = (liveHeap() - before) / kept.length / 1024;
    kept.length = 0;
    return { threads: IDLE_THREADS, perThreadKiB };
  } finally {
    await codex.close();
    await server.close();
  }
}

interface AtOnce {
  turns: number;
  threadStartMs: number;
  turnsMs: number;
  clientCpuMs: number;
}

/** N threads, then one turn on each, all at once, against the real binary. */
async function turnsAtOnce(codex: AsyncCodex, count: number): Promise<AtOnce> {
  let at = performance.now();
  const threads = await Promise.all(Array.from({ length: count }, () => codex.threadStart()));
  const threadStartMs = performance.now() - at;
  const cpu = process.cpuUsage();
  at = performance.now();
  const results = await Promise.all(threads.map((thread) => thread.run("Reply in twenty small pieces.")));
  const turnsMs = performance.now() - at;
  const clientCpuMs = cpuMs(cpu);
  if (results.some((result) => result.finalResponse === null)) throw new Error("a turn gave no final response");
  return { turns: count, threadStartMs, turnsMs, clientCpuMs };
}

assertFixtureValid();
const long = await longRun();
for (const sample of long.samples) {
  line(
    `scale  after ${format(sample.turns).padStart(6)} turns  live heap ${format(sample.liveHeapMiB).padStart(5)} MiB  RSS ${format(sample.rssMiB).padStart(5)} MiB`,
  );
}
line(`scale  ${format(long.turns)} turns of ${long.notificationsPerTurn} notifications in ${format(long.seconds)} s`);
const idle = await idleThreads();
line(`scale  one idle thread handle: ${format(idle.perThreadKiB)} KiB (${idle.threads} threads)`);

const offline = await createOfflineEnvironment({ fallback: textReply("abc ".repeat(20), { deltas: 20 }) });
const atOnce: AtOnce[] = [];
const burst: { shellSnapshot: boolean; ms: Summary }[] = [];
let leftOver: number[];
try {
  const codex = new AsyncCodex({ env: offline.env, cwd: offline.cwd, codexBin: offline.codexBin });
  try {
    await codex.start();
    await (await codex.threadStart()).run("Warm up.");
    for (const count of AT_ONCE) {
      const result = await turnsAtOnce(codex, count);
      atOnce.push(result);
      line(
        `scale  ${String(count).padStart(3)} turns at once: threads started in ${format(result.threadStartMs)} ms, turns done in ${format(result.turnsMs)} ms, ` +
          `client CPU ${format(result.clientCpuMs)} ms (${format(result.clientCpuMs / count)} per turn)`,
      );
    }
  } finally {
    await codex.close();
  }
  const times = { off: [] as number[], on: [] as number[] };
  for (let round = 0; round < BURST_ROUNDS; round++) {
    for (const shellSnapshot of round % 2 === 0 ? [false, true] : [true, false]) {
      const client = new AsyncCodex({
        env: offline.env,
        cwd: offline.cwd,
        codexBin: offline.codexBin,
        configOverrides: [`features.shell_snapshot=${shellSnapshot}`],
      });
      try {
        await client.start();
        const at = performance.now();
        await Promise.all(Array.from({ length: BURST_THREADS }, () => client.threadStart()));
        times[shellSnapshot ? "on" : "off"].push(performance.now() - at);
      } finally {
        await client.close();
      }
    }
  }
  for (const shellSnapshot of [false, true]) {
    const ms = summarize(times[shellSnapshot ? "on" : "off"]);
    burst.push({ shellSnapshot, ms });
    line(
      `scale  ${BURST_THREADS} new threads at once, shell_snapshot=${shellSnapshot}: ${format(ms.median)} ms (${format(ms.min)}–${format(ms.max)})`,
    );
  }
  leftOver = codexProcessesOf(offline.home.path);
} finally {
  await offline.close();
}
line(`scale  codex processes left: ${leftOver.length}`);
writeResult({ long, idle, atOnce, burstThreads: BURST_THREADS, burst, leftOverProcesses: leftOver });
if (leftOver.length > 0) process.exitCode = 1;
