/**
 * First start in a fresh process, many times: the raw JSONL client and `AsyncCodex` (and the sync `Codex`) from
 * one or more builds of this library, each run a fresh plain `node` process that imports, spawns, initialises,
 * starts a thread and runs one turn, then exits; interleaved round by round like bench/peers.ts. For the
 * before/after of a change to the start path: build the other version's dist/ somewhere inside this checkout
 * (so its imports resolve to node_modules) and name it.
 *
 *   npx node --import tsx bench/first-start.ts
 *   BENCH_FIRST_START_LIBRARIES=before=/repo/.scratch/before/dist/index.js,after=/repo/dist/index.js npx node --import tsx bench/first-start.ts
 *
 * Env: BENCH_FIRST_START_ROUNDS (default 10), BENCH_FIRST_START_SYNC=1 to add the sync client,
 * BENCH_FIRST_START_WARM_TURNS=N to go on after the first turn with N warm turns and report the client CPU per
 * warm turn too (for a change to the hot path), BENCH_FIRST_START_WARM_UP_TURNS=N unmeasured turns before those
 * (default 2; e.g. 200 for the steady state of a long-running client), BENCH_FIRST_START_DELTAS (default 20)
 * deltas per turn.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createOfflineEnvironment, inputTexts, textReply, type RecordedRequest } from "../src/testing/index.js";
import type { PeersJob } from "./peers/contender.ts";
import type { WorkerResult } from "./peers/worker.ts";
import { line, writeResult } from "./lib/output.js";
import { runWorker } from "./lib/peer-worker.js";
import { codexProcessesOf } from "./lib/processes.js";
import { format, summarize, type Summary } from "./lib/stats.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const ROUNDS = Number(process.env.BENCH_FIRST_START_ROUNDS ?? 10);
const libraries = (process.env.BENCH_FIRST_START_LIBRARIES ?? `current=${join(root, "dist", "index.js")}`)
  .split(",")
  .map((entry) => {
    const [label, path] = entry.split("=");
    if (label === undefined || path === undefined)
      throw new Error(`BENCH_FIRST_START_LIBRARIES: "${entry}" is not label=/path/to/dist/index.js`);
    return { label, path };
  });
const WARM_TURNS = Number(process.env.BENCH_FIRST_START_WARM_TURNS ?? 0);
const WARM_UP_TURNS = Number(process.env.BENCH_FIRST_START_WARM_UP_TURNS ?? 2);
const DELTAS = Number(process.env.BENCH_FIRST_START_DELTAS ?? 20);
const clients = ["async-codex", ...(process.env.BENCH_FIRST_START_SYNC === "1" ? ["sync-codex"] : [])];
const contenders = [
  { key: "raw", name: "raw", library: undefined as string | undefined },
  ...libraries.flatMap((library) =>
    clients.map((name) => ({ key: `${name}@${library.label}`, name, library: library.path })),
  ),
];

/** The scripted model's answer to a prompt `… deltas=N …` (bench/peers/contender.ts's `prompt`): N deltas. */
function reply(request: RecordedRequest) {
  const deltas = Math.max(1, Number(/deltas=(\d+)/.exec(inputTexts(request).at(-1) ?? "")?.[1] ?? 1));
  return textReply("abc ".repeat(deltas), { deltas });
}

const offline = await createOfflineEnvironment({ fallback: reply });
const outDir = mkdtempSync("/var/tmp/codex-first-start-");
const runs = new Map<string, WorkerResult[]>(contenders.map((contender) => [contender.key, []]));
const loadPerRound: number[] = [];
let leftOver: number[];
try {
  for (let round = 0; round < ROUNDS; round++) {
    loadPerRound.push(Math.round(loadavg()[0]! * 100) / 100);
    for (let index = 0; index < contenders.length; index++) {
      const contender = contenders[(index + round) % contenders.length]!;
      const job: PeersJob = {
        codexBin: offline.codexBin,
        env: offline.env,
        cwd: offline.cwd,
        warmTurns: WARM_TURNS,
        warmUpTurns: WARM_UP_TURNS,
        deltas: DELTAS,
        streamDeltas: 0,
        bursts: [],
        firstOnly: WARM_TURNS === 0,
        ...(contender.library === undefined ? {} : { library: contender.library }),
      };
      runs.get(contender.key)!.push(await runWorker(contender.name, job, outDir, 120_000));
    }
  }
  leftOver = codexProcessesOf(offline.home.path);
} finally {
  rmSync(outDir, { recursive: true, force: true });
  await offline.close();
}

const measures = [
  "firstStartMs",
  "firstTurnMs",
  "firstTurnCpuMs",
  "peakRssMiB",
  ...(WARM_TURNS > 0 ? (["warmTurnMs", "cpuPerTurnMs"] as const) : []),
] as const;
const result: Record<string, Record<string, Summary>> = {};
for (const contender of contenders) {
  const summaries: Record<string, Summary> = {};
  for (const measure of measures) summaries[measure] = summarize(runs.get(contender.key)!.map((run) => run[measure]!));
  result[contender.key] = summaries;
  line(
    `first start  ${contender.key.padEnd(22)} ` +
      measures
        .map(
          (measure) =>
            `${measure} ${format(summaries[measure]!.median)} (${format(summaries[measure]!.min)}–${format(summaries[measure]!.max)})`,
        )
        .join("  "),
  );
}
line(
  `first start  ${ROUNDS} rounds, 1-minute load per round: ${loadPerRound.join(", ")}; codex processes left: ${leftOver.length}`,
);
writeResult({ rounds: ROUNDS, libraries, loadPerRound, result, leftOverProcesses: leftOver });
if (leftOver.length > 0) process.exitCode = 1;
