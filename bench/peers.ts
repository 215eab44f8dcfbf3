/**
 * Benchmark 6, side by side: the same work through a raw JSONL client (the floor, bench/peers/raw-client.ts),
 * this library's `AsyncCodex` and sync `Codex` (from the built dist/), and `@openai/codex-sdk`, all against the
 * same native codex binary, `CODEX_HOME` and scripted provider, which runs once, in this process, for all.
 * Each round runs every contender once, each in a fresh `node` process (bench/peers/worker.ts), in an order
 * rotated from round to round, so load from elsewhere on the machine falls on all of them alike. Reports each
 * measure's median (min–max) over the rounds and its ratio to raw's median.
 *
 *   npm run bench:peers                           # full size (5 rounds), also in report.json and docs/benchmarks.md
 *   npx node --import tsx bench/peers.ts          # alone; prints the JSON result
 *   BENCH_SMOKE=1 npx node --import tsx bench/peers.ts  # one round, tiny sizes: that it runs, not what it measures
 *
 * Needs dist/ (`npm run build`; bench/run.ts builds it) and Node ≥ 22.18 (the workers are TypeScript run by
 * plain `node`). Afterwards no codex process of this benchmark may be left.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createOfflineEnvironment, textReply, inputTexts, type RecordedRequest } from "../src/testing/index.js";
import type { PeersJob } from "./peers/contender.ts";
import type { WorkerResult } from "./peers/worker.ts";
import { line, writeResult } from "./lib/output.js";
import { PEER_CONTENDERS, PEER_MEASURES, type PeersResult } from "./lib/peers-report.js";
import { runWorker } from "./lib/peer-worker.js";
import { codexProcessesOf } from "./lib/processes.js";
import { format, summarize, type Summary } from "./lib/stats.js";

const SMOKE = process.env.BENCH_SMOKE === "1";
const QUICK = process.env.BENCH_QUICK === "1";
const ROUNDS = SMOKE ? 1 : Number(process.env.BENCH_PEERS_ROUNDS ?? (QUICK ? 2 : 5));
const root = fileURLToPath(new URL("..", import.meta.url));
/** Turns run (unmeasured) before the "steady" measures: enough for V8 to have compiled the client's hot code. */
const STEADY_AFTER = 200;

const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  throw new Error(
    `Node ${process.version} cannot run the workers (TypeScript without a loader): use Node ≥ 22.18, e.g. \`npm run bench:peers\`.`,
  );
}
if (!existsSync(join(root, "dist", "index.js"))) {
  throw new Error(
    "dist/ is missing: run `npm run build` first (bench/run.ts builds it), so the contenders import the library as users do.",
  );
}

const only = process.env.BENCH_PEERS_ONLY?.split(",");
const contenders = PEER_CONTENDERS.filter((contender) => only === undefined || only.includes(contender.name));

/** The scripted model's answer to a prompt `… deltas=N …`: N deltas of four characters. */
function reply(request: RecordedRequest) {
  const asked = /deltas=(\d+)/.exec(inputTexts(request).at(-1) ?? "");
  const deltas = Math.max(1, Number(asked?.[1] ?? 1));
  return textReply("abc ".repeat(deltas), { deltas });
}

const job = (env: { env: Record<string, string>; cwd: string; codexBin: string }): PeersJob => ({
  codexBin: env.codexBin,
  env: env.env,
  cwd: env.cwd,
  warmTurns: SMOKE ? 2 : 10,
  deltas: SMOKE ? 5 : 50,
  streamDeltas: SMOKE ? 50 : 5_000,
  bursts: SMOKE ? [2] : [8, 32],
  steadyAfter: SMOKE ? 2 : STEADY_AFTER,
});

const offline = await createOfflineEnvironment({ fallback: reply });
const outDir = mkdtempSync("/var/tmp/codex-peers-");
const runs = new Map<string, WorkerResult[]>(contenders.map((contender) => [contender.name, []]));
const loadPerRound: number[] = [];
let leftOverProcesses: number[];
const peersJob = job(offline);
if (/\.[cm]?js$/.test(peersJob.codexBin)) throw new Error(`expected the native codex binary, got ${peersJob.codexBin}`);
try {
  for (let round = 0; round < ROUNDS; round++) {
    loadPerRound.push(Math.round(loadavg()[0]! * 100) / 100);
    const order = contenders.map((_, index) => contenders[(index + round) % contenders.length]!);
    for (const contender of order) {
      const result = await runWorker(contender.name, peersJob, outDir, SMOKE ? 120_000 : 600_000);
      runs.get(contender.name)!.push(result);
      line(
        `peers  round ${round + 1}/${ROUNDS} ${contender.name.padEnd(12)} warm turn ${format(result.warmTurnMs)} ms, first start ${format(result.firstStartMs ?? Number.NaN)} ms`,
      );
    }
  }
  leftOverProcesses = codexProcessesOf(offline.home.path);
} finally {
  rmSync(outDir, { recursive: true, force: true });
  await offline.close();
}

function valuesOf(results: readonly WorkerResult[], key: string): number[] {
  return results
    .map((result) =>
      key.startsWith("burst")
        ? result.bursts[key.slice("burst".length)]
        : key.startsWith("steady.")
          ? (result.steady as Record<string, number | null> | null)?.[key.slice("steady.".length)]
          : (result as unknown as Record<string, number | null>)[key],
    )
    .filter((value): value is number => typeof value === "number" && Number.isFinite(value));
}

const rawRuns = runs.get("raw") ?? [];
const result: PeersResult = {
  smoke: SMOKE,
  rounds: ROUNDS,
  sizes: {
    warmTurns: peersJob.warmTurns,
    deltas: peersJob.deltas,
    streamDeltas: peersJob.streamDeltas,
    bursts: [...peersJob.bursts],
    steadyAfter: peersJob.steadyAfter ?? 0,
  },
  loadPerRound,
  contenders: contenders.map((contender) => {
    const results = runs.get(contender.name)!;
    const summary: Record<string, Summary | null> = {};
    const ratio: Record<string, number | null> = {};
    for (const measure of PEER_MEASURES) {
      const values = valuesOf(results, measure.key);
      const rawValues = valuesOf(rawRuns, measure.key);
      summary[measure.key] = values.length === 0 ? null : summarize(values);
      ratio[measure.key] =
        values.length === 0 || rawValues.length === 0 ? null : summarize(values).median / summarize(rawValues).median;
    }
    return { name: contender.name, summary, ratio };
  }),
  leftOverProcesses,
};

for (const measure of PEER_MEASURES) {
  const cells = result.contenders.map((contender) => {
    const summary = contender.summary[measure.key];
    const ratio = contender.ratio[measure.key];
    return `${contender.name} ${summary === null || summary === undefined ? "n/a" : format(summary.median)}${ratio === null || ratio === undefined || contender.name === "raw" ? "" : ` (${ratio.toFixed(2)}×)`}`;
  });
  line(`peers  ${measure.label.padEnd(40)} ${cells.join("  ")}`);
}
line(`peers  load per round: ${loadPerRound.join(", ")}; codex processes left: ${leftOverProcesses.length}`);
writeResult(result);
if (leftOverProcesses.length > 0) process.exitCode = 1;
