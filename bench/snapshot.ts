/**
 * What `codex.snapshot()` costs with many turns running: 1,000 turns (by default) started on one AsyncCodex over
 * an in-process fake app-server, each streaming (an item open, a few deltas), then `snapshot()` taken repeatedly.
 * Reports the median and 95th percentile time of one snapshot, its JSON size, and the cost of one coalesced
 * `subscribe()` delivery while deltas flow.
 *
 *   npx node --import tsx bench/snapshot.ts            # 1,000 running turns
 *   TURNS=5000 npx node --import tsx bench/snapshot.ts
 */
import { performance } from "node:perf_hooks";
import { AsyncCodex, type AsyncTurnHandle } from "../src/index.js";
import { FakeAppServer } from "../test/support/fake-app-server.js";
import { agentDelta, agentMessage, itemStarted } from "../test/support/wire-notifications.js";
import { median, quantile } from "./lib/stats.js";

const TURNS = Number(process.env.TURNS ?? 1_000);
const SNAPSHOTS = Number(process.env.SNAPSHOTS ?? 200);

const server = new FakeAppServer();
const codex = new AsyncCodex({
  transport: server.transport,
  traceFile: false,
  openTelemetry: false,
  requestTimeoutMs: 60_000,
});
const thread = await codex.threadStart();
const handles: AsyncTurnHandle[] = [];
for (let i = 0; i < TURNS; i++) handles.push(await thread.turn(`turn ${i}`));
for (const handle of handles) {
  server.notify(itemStarted(thread.id, handle.id, agentMessage(`m_${handle.id}`, "")));
  for (let d = 0; d < 3; d++) server.notify(agentDelta(thread.id, handle.id, `m_${handle.id}`, "word "));
}
await new Promise((resolve) => setTimeout(resolve, 200));
const check = codex.snapshot();
if (check.runningTurns.length !== TURNS || check.runningTurns.some((turn) => turn.deltas !== 3)) {
  throw new Error(`expected ${TURNS} streaming turns with 3 deltas each, got ${check.runningTurns.length}`);
}

for (let i = 0; i < 20; i++) codex.snapshot(); // warm up
const times: number[] = [];
for (let i = 0; i < SNAPSHOTS; i++) {
  const start = performance.now();
  codex.snapshot();
  times.push(performance.now() - start);
}
const json: number[] = [];
for (let i = 0; i < 20; i++) {
  const start = performance.now();
  JSON.stringify(codex.snapshot());
  json.push(performance.now() - start);
}
const bytes = Buffer.byteLength(JSON.stringify(codex.snapshot()));

// A subscriber while 10,000 deltas flow over the running turns: how many calls, and the time they took.
let calls = 0;
let spent = 0;
const unsubscribe = codex.subscribe(
  (snapshot) => {
    calls++;
    const start = performance.now();
    JSON.stringify(snapshot);
    spent += performance.now() - start;
  },
  { intervalMs: 100 },
);
const flowStart = performance.now();
for (let i = 0; i < 10_000; i++) {
  const handle = handles[i % handles.length]!;
  server.notify(agentDelta(thread.id, handle.id, `m_${handle.id}`, "x"));
  if (i % 1_000 === 0) await new Promise((resolve) => setImmediate(resolve));
}
await new Promise((resolve) => setTimeout(resolve, 250));
const flowMs = performance.now() - flowStart;
unsubscribe();

const heap = process.memoryUsage().heapUsed / 2 ** 20;
console.log(`running turns: ${TURNS}`);
console.log(
  `snapshot(): median ${median(times).toFixed(3)} ms, p95 ${quantile(times, 0.95).toFixed(3)} ms (${SNAPSHOTS} snapshots)`,
);
console.log(
  `snapshot() + JSON.stringify: median ${median(json).toFixed(3)} ms; ${(bytes / 1024).toFixed(0)} KiB of JSON`,
);
console.log(
  `subscribe(intervalMs 100) during 10,000 deltas over ${flowMs.toFixed(0)} ms: ${calls} calls, ${spent.toFixed(1)} ms in listeners`,
);
console.log(`heap used: ${heap.toFixed(0)} MiB`);
await codex.close();
