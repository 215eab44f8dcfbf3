/**
 * Benchmark 3: the real `codex app-server` against the offline scripted provider (src/testing). Each run
 * starts a fresh client and measures: spawn → `initialize` (`start()`), `threadStart`, a cold first turn,
 * then a warm second turn's latency to its first delta and to `turn/completed`, and `close()`. Medians over
 * the runs; afterwards no codex process of this benchmark may be left.
 *
 * Run alone: `npx node --expose-gc --import tsx bench/real-binary.ts` (BENCH_QUICK=1 for a short run).
 */
import { AsyncCodex } from "../src/client/async-codex.js";
import type { AsyncThread } from "../src/client/async-thread.js";
import { guardedChildCount } from "../src/transport/kill-on-exit.js";
import { createOfflineEnvironment, textReply } from "../src/testing/index.js";
import { line, QUICK, writeResult } from "./lib/output.js";
import { codexProcessesOf } from "./lib/processes.js";
import { format, median, summarizeFields, type Summary } from "./lib/stats.js";

const RUNS = QUICK ? 3 : 10;
const DELTAS = 50;
const REPLY =
  "A warm turn streams this reply in fifty small deltas, so that the time to the first one and to the end can be told apart.";

interface TurnTiming {
  /** From calling `thread.turn()` to its handle (the `turn/start` answer). */
  turnStartMs: number;
  /** From calling `thread.turn()` to the first `item/agentMessage/delta` read from `stream()`. */
  firstDeltaMs: number;
  /** From calling `thread.turn()` to the end of `stream()` (after `turn/completed`). */
  completedMs: number;
  /** Median over the turn's deltas of (read by the consumer − the server's `emittedAtMs`), in ms. */
  deltaTransitMs: number;
  /** Median over the turn's deltas of (received by the JSON-RPC peer − the server's `emittedAtMs`), in ms. */
  deltaArrivalMs: number;
}

/** When each delta reached the JSON-RPC peer (Date.now(), from the trace hook), by its emittedAtMs and text. */
const arrivals = new Map<string, number>();
function arrivalKey(message: { params?: unknown; emittedAtMs?: unknown }): string {
  const params = message.params as { turnId?: string; delta?: string } | undefined;
  return `${params?.turnId}|${String(message.emittedAtMs)}|${params?.delta}`;
}

interface Sample {
  startMs: number;
  threadStartMs: number;
  coldTurnCompletedMs: number;
  warmTurnStartMs: number;
  warmFirstDeltaMs: number;
  warmCompletedMs: number;
  warmDeltaArrivalMs: number;
  warmDeltaTransitMs: number;
  closeMs: number;
}

async function timeTurn(thread: AsyncThread): Promise<TurnTiming> {
  const startedAt = performance.now();
  const handle = await thread.turn("Reply with the scripted text.");
  const turnStartMs = performance.now() - startedAt;
  let firstDeltaMs = Number.NaN;
  const transits: number[] = [];
  const arrivalDelays: number[] = [];
  for await (const notification of handle.stream()) {
    if (notification.method !== "item/agentMessage/delta") continue;
    if (Number.isNaN(firstDeltaMs)) firstDeltaMs = performance.now() - startedAt;
    const emittedAtMs = (notification as { emittedAtMs?: number }).emittedAtMs;
    if (typeof emittedAtMs !== "number") continue;
    transits.push(Date.now() - emittedAtMs);
    const arrivedAt = arrivals.get(arrivalKey(notification));
    if (arrivedAt !== undefined) arrivalDelays.push(arrivedAt - emittedAtMs);
  }
  arrivals.clear();
  const completedMs = performance.now() - startedAt;
  if (transits.length !== DELTAS) throw new Error(`the turn streamed ${transits.length} deltas, not ${DELTAS}`);
  return {
    turnStartMs,
    firstDeltaMs,
    completedMs,
    deltaTransitMs: median(transits),
    deltaArrivalMs: median(arrivalDelays),
  };
}

const env = await createOfflineEnvironment({ fallback: textReply(REPLY, { deltas: DELTAS }) });
const samples: Sample[] = [];
let serverVersion = "unknown";
let leftOver: number[];
try {
  for (let run = 0; run < RUNS; run++) {
    const codex = new AsyncCodex({
      env: env.env,
      cwd: env.cwd,
      trace: (event) => {
        const message = event.message as { method?: string; params?: unknown; emittedAtMs?: unknown };
        if (event.direction === "incoming" && message.method === "item/agentMessage/delta")
          arrivals.set(arrivalKey(message), event.atMs);
      },
    });
    try {
      let at = performance.now();
      await codex.start();
      const startMs = performance.now() - at;
      serverVersion = codex.metadata.serverInfo.version;
      at = performance.now();
      const thread = await codex.threadStart();
      const threadStartMs = performance.now() - at;
      const cold = await timeTurn(thread);
      const warm = await timeTurn(thread);
      at = performance.now();
      await codex.close();
      const closeMs = performance.now() - at;
      samples.push({
        startMs,
        threadStartMs,
        coldTurnCompletedMs: cold.completedMs,
        warmTurnStartMs: warm.turnStartMs,
        warmFirstDeltaMs: warm.firstDeltaMs,
        warmCompletedMs: warm.completedMs,
        warmDeltaArrivalMs: warm.deltaArrivalMs,
        warmDeltaTransitMs: warm.deltaTransitMs,
        closeMs,
      });
    } finally {
      await codex.close();
    }
  }
  leftOver = codexProcessesOf(env.home.path);
} finally {
  await env.close();
}

const summary: Record<keyof Sample, Summary> = summarizeFields(samples);
const labels: Record<keyof Sample, string> = {
  startMs: "start() (spawn + initialize)",
  threadStartMs: "threadStart()",
  coldTurnCompletedMs: "first turn, to turn/completed",
  warmTurnStartMs: "warm turn, turn() resolves",
  warmFirstDeltaMs: "warm turn, to first delta",
  warmCompletedMs: "warm turn, to turn/completed",
  warmDeltaArrivalMs: "delta: server emit → client peer",
  warmDeltaTransitMs: "delta: server emit → consumer",
  closeMs: "close()",
};
for (const key of Object.keys(labels) as (keyof Sample)[]) {
  line(
    `real binary  ${labels[key].padEnd(32)} ${format(summary[key].median).padStart(7)} ms  (min ${format(summary[key].min)}, max ${format(summary[key].max)})`,
  );
}
line(`real binary  codex processes left: ${leftOver.length}; children still guarded: ${guardedChildCount()}`);
writeResult({
  runs: RUNS,
  deltas: DELTAS,
  serverVersion,
  labels,
  summary,
  leftOverProcesses: leftOver,
  guardedChildren: guardedChildCount(),
});
if (leftOver.length > 0) process.exitCode = 1;
