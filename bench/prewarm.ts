/**
 * Benchmark 8, `prewarm: true`: a second client's first turn (start + thread + turn) while a first client of the
 * same config is open, with and without a spare app-server, interleaved round by round, against the real binary
 * offline. Also the restart case is the same path (a start that takes the spare).
 *
 * Run alone: `npx node --expose-gc --import tsx bench/prewarm.ts` (BENCH_QUICK=1 for 2 rounds).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { AsyncCodex } from "../src/client/async-codex.js";
import { createOfflineEnvironment, textReply } from "../src/testing/index.js";
import { line, QUICK, writeResult } from "./lib/output.js";
import { codexProcessesOf } from "./lib/processes.js";
import { format, summarize } from "./lib/stats.js";

const ROUNDS = QUICK ? 2 : 7;

const offline = await createOfflineEnvironment({ fallback: textReply("abc ".repeat(20), { deltas: 20 }) });
const times = { cold: [] as number[], prewarmed: [] as number[] };
let leftOver: number[];
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const prewarm of round % 2 === 0 ? [false, true] : [true, false]) {
      const config = { env: offline.env, cwd: offline.cwd, codexBin: offline.codexBin, prewarm };
      const first = new AsyncCodex(config);
      const second = new AsyncCodex(config);
      try {
        await first.start();
        // Let the spare (if any) finish its start, as it would while the first client works.
        await sleep(1_500);
        const at = performance.now();
        await (await second.threadStart()).run("Reply in twenty small pieces.");
        times[prewarm ? "prewarmed" : "cold"].push(performance.now() - at);
      } finally {
        await second.close();
        await first.close();
      }
    }
  }
  leftOver = codexProcessesOf(offline.home.path);
} finally {
  await offline.close();
}
const cold = summarize(times.cold);
const prewarmed = summarize(times.prewarmed);
line(
  `prewarm  second client's start + thread + first turn: without ${format(cold.median)} ms (${format(cold.min)}–${format(cold.max)}), with prewarm ${format(prewarmed.median)} ms (${format(prewarmed.min)}–${format(prewarmed.max)})`,
);
line(`prewarm  codex processes left: ${leftOver.length}`);
writeResult({ rounds: ROUNDS, cold, prewarmed, leftOverProcesses: leftOver });
if (leftOver.length > 0) process.exitCode = 1;
