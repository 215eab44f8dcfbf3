/**
 * One contender's run in a fresh Node process (plain `node`, no loader): its first start (import + spawn +
 * `initialize`) and first turn from the top of this file, then warm turns, a long stream and bursts of turns at
 * once, with the process's CPU time and peak RSS. Started by bench/peers.ts, which passes the job in
 * `BENCH_PEERS_JOB` and reads the result (JSON) from the file named by `BENCH_PEERS_OUT`.
 *
 *   node bench/peers/worker.ts raw|async-codex|sync-codex|codex-sdk
 */
const processStartedAt = performance.now();
const cpuAtStart = process.cpuUsage();

import { writeFileSync } from "node:fs";
import type { Contender, ContenderThread, PeersJob } from "./contender.ts";
import { prompt } from "./contender.ts";

/** What one worker measured (milliseconds unless named otherwise; `null` where the contender cannot). */
export interface WorkerResult {
  readonly contender: string;
  /** From the top of the worker (Node itself already running) to `initialize` answered. */
  readonly firstStartMs: number | null;
  /** From the top of the worker to the first turn's completion (import, start, thread, turn). */
  readonly firstTurnMs: number;
  /** Process CPU (user + system) until the first turn completed. */
  readonly firstTurnCpuMs: number;
  /** Medians over the warm turns: `turn` call → completion, and → first delta. */
  readonly warmTurnMs: number;
  readonly warmFirstDeltaMs: number | null;
  /** The warm turns in a row, end to end. */
  readonly sequentialMs: number;
  /** This process's CPU time per warm turn (`process.cpuUsage`, user + system). */
  readonly cpuPerTurnMs: number;
  /** Deltas per second of the long stream, first delta → completion. */
  readonly streamDeltasPerSecond: number | null;
  /** Per burst size: first thread start → last turn completed. */
  readonly bursts: Record<string, number>;
  /**
   * The same warm turns and long stream measured again after `steadyAfter` more turns (null when skipped, or
   * for a contender that does not stream deltas).
   */
  readonly steady: {
    readonly warmTurnMs: number;
    readonly warmFirstDeltaMs: number;
    readonly cpuPerTurnMs: number;
    readonly streamDeltasPerSecond: number | null;
  } | null;
  /** `process.resourceUsage().maxRSS` at the end, MiB. */
  readonly peakRssMiB: number;
  readonly closeMs: number;
}

const WARM_UP_TURNS = 2;

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timedTurn(
  contender: Contender,
  thread: ContenderThread,
  text: string,
): Promise<{ ms: number; firstDeltaMs: number; deltas: number }> {
  const at = performance.now();
  let firstDeltaMs = Number.NaN;
  let deltas = 0;
  await contender.turn(thread, text, () => {
    if (deltas++ === 0) firstDeltaMs = performance.now() - at;
  });
  return { ms: performance.now() - at, firstDeltaMs, deltas };
}

/** `count` turns, not measured (warming up, or getting to the steady state). */
async function untimedTurns(contender: Contender, thread: ContenderThread, count: number): Promise<void> {
  for (let turn = 0; turn < count; turn++) await contender.turn(thread, prompt(job.deltas));
}

/** `job.warmTurns` timed turns in a row, each checked to stream `job.deltas` deltas, and the CPU they cost. */
async function warmTurns(contender: Contender, thread: ContenderThread) {
  const turns: { ms: number; firstDeltaMs: number }[] = [];
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  for (let turn = 0; turn < job.warmTurns; turn++) {
    const timed = await timedTurn(contender, thread, prompt(job.deltas));
    if (contender.streamsDeltas && timed.deltas !== job.deltas)
      throw new Error(`${name}: a warm turn streamed ${timed.deltas} deltas, not ${job.deltas}`);
    turns.push(timed);
  }
  return { turns, sequentialMs: performance.now() - startedAt, cpuPerTurnMs: cpuMs(cpuBefore) / job.warmTurns };
}

/** Deltas per second of one long streamed reply, first delta → completion (null when not measured). */
async function longStream(contender: Contender, thread: ContenderThread): Promise<number | null> {
  if (!contender.streamsDeltas || job.streamDeltas === 0) return null;
  const timed = await timedTurn(contender, thread, prompt(job.streamDeltas));
  if (timed.deltas !== job.streamDeltas)
    throw new Error(`${name}: the long stream had ${timed.deltas} deltas, not ${job.streamDeltas}`);
  return timed.deltas / ((timed.ms - timed.firstDeltaMs) / 1000);
}

const name = process.argv[2];
const jobText = process.env.BENCH_PEERS_JOB;
const out = process.env.BENCH_PEERS_OUT;
if (name === undefined || !/^[a-z-]+$/.test(name) || jobText === undefined || out === undefined) {
  throw new Error(
    "usage: BENCH_PEERS_JOB=<json> BENCH_PEERS_OUT=<file> node bench/peers/worker.ts <contender>; bench/peers.ts sets these",
  );
}
const job = JSON.parse(jobText) as PeersJob;

const { create } = (await import(`./contenders/${name}.ts`)) as { create: (job: PeersJob) => Promise<Contender> };
const contender = await create(job);
let closed = false;
try {
  await contender.start();
  const firstStartMs = contender.streamsDeltas ? performance.now() - processStartedAt : null;
  const thread = await contender.threadStart();
  await contender.turn(thread, prompt(job.deltas));
  const firstTurnMs = performance.now() - processStartedAt;
  const firstTurnCpuMs = cpuMs(cpuAtStart);
  if (job.firstOnly === true) {
    const peakRssMiB = process.resourceUsage().maxRSS / 1024;
    await contender.close();
    closed = true;
    writeFileSync(
      out,
      `${JSON.stringify({ contender: name, firstStartMs, firstTurnMs, firstTurnCpuMs, peakRssMiB })}\n`,
    );
    process.exit(0);
  }

  await untimedTurns(contender, thread, job.warmUpTurns ?? WARM_UP_TURNS);
  const warm = await warmTurns(contender, thread);

  const streamDeltasPerSecond = await longStream(contender, thread);

  const bursts: Record<string, number> = {};
  for (const count of job.bursts) {
    const at = performance.now();
    await contender.burst(count, prompt(job.deltas));
    bursts[String(count)] = performance.now() - at;
  }

  let steady: WorkerResult["steady"] = null;
  if (contender.streamsDeltas && (job.steadyAfter ?? 0) > 0) {
    await untimedTurns(contender, thread, job.steadyAfter!);
    const again = await warmTurns(contender, thread);
    steady = {
      cpuPerTurnMs: again.cpuPerTurnMs,
      warmTurnMs: median(again.turns.map((turn) => turn.ms)),
      warmFirstDeltaMs: median(again.turns.map((turn) => turn.firstDeltaMs)),
      streamDeltasPerSecond: await longStream(contender, thread),
    };
  }

  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  const closeAt = performance.now();
  await contender.close();
  closed = true;
  const result: WorkerResult = {
    contender: name,
    firstStartMs,
    firstTurnMs,
    firstTurnCpuMs,
    warmTurnMs: median(warm.turns.map((turn) => turn.ms)),
    warmFirstDeltaMs: contender.streamsDeltas ? median(warm.turns.map((turn) => turn.firstDeltaMs)) : null,
    sequentialMs: warm.sequentialMs,
    cpuPerTurnMs: warm.cpuPerTurnMs,
    streamDeltasPerSecond,
    bursts,
    steady,
    peakRssMiB,
    closeMs: performance.now() - closeAt,
  };
  writeFileSync(out, `${JSON.stringify(result)}\n`);
} finally {
  if (!closed) await contender.close();
}
// The sync client's worker thread or a leftover handle must not keep a finished run alive.
process.exit(0);
