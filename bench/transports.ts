/**
 * A warm turn's latency over each transport: stdio (the client spawns codex), WebSocket with a capability
 * token, and unix socket (both to a `codex app-server --listen …` started by `listenAppServer`). One app-server
 * per transport, one client, one thread; after a few warm-up turns, each measured turn streams the same
 * scripted 50-delta reply from the offline provider. Turns alternate between the transports, round by round,
 * so that a change of machine load spreads over all three. Medians, with min and max.
 *
 *   npx tsx bench/transports.ts            # 30 turns per transport
 *   BENCH_QUICK=1 npx tsx bench/transports.ts
 *
 * Not part of bench/run.ts's report: it prints a Markdown table for docs/benchmarks.md ("Transports").
 */
import { loadavg } from "node:os";
import { AsyncCodex } from "../src/client/async-codex.js";
import type { AsyncThread } from "../src/client/async-thread.js";
import { createOfflineEnvironment, textReply } from "../src/testing/index.js";
import { listenAppServer, type ListeningAppServer } from "../src/transport/listening-app-server.js";
import { QUICK } from "./lib/output.js";
import { codexProcessesOf } from "./lib/processes.js";
import { format, median } from "./lib/stats.js";

const TURNS = QUICK ? 5 : 30;
const WARM_UP = 3;
const DELTAS = 50;
const REPLY =
  "A warm turn streams this reply in fifty small deltas, so that the time to the first one and to the end can be told apart.";
type Name = "stdio" | "websocket" | "unix";
const NAMES: readonly Name[] = ["stdio", "websocket", "unix"];

interface Timing {
  turnStartMs: number;
  firstDeltaMs: number;
  completedMs: number;
}

async function timeTurn(thread: AsyncThread): Promise<Timing> {
  const startedAt = performance.now();
  const handle = await thread.turn("Reply with the scripted text.");
  const turnStartMs = performance.now() - startedAt;
  let firstDeltaMs = Number.NaN;
  let deltas = 0;
  for await (const notification of handle.stream()) {
    if (notification.method !== "item/agentMessage/delta") continue;
    if (deltas++ === 0) firstDeltaMs = performance.now() - startedAt;
  }
  if (deltas !== DELTAS) throw new Error(`the turn streamed ${deltas} deltas, not ${DELTAS}`);
  return { turnStartMs, firstDeltaMs, completedMs: performance.now() - startedAt };
}

const offline = await createOfflineEnvironment({ fallback: textReply(REPLY, { deltas: DELTAS }) });
const cleared: Record<string, undefined> = {};
for (const name of Object.keys(process.env)) if (/^(OPENAI|CODEX)_/i.test(name)) cleared[name] = undefined;
const env = { ...cleared, ...offline.env };
const servers: ListeningAppServer[] = [];
const clients = new Map<Name, AsyncCodex>();
const threads = new Map<Name, AsyncThread>();
const samples = new Map<Name, Timing[]>(NAMES.map((name) => [name, []]));
const load = loadavg()[0]!;
let left: number[];
try {
  for (const name of NAMES) {
    let codex: AsyncCodex;
    if (name === "stdio") codex = new AsyncCodex({ env, cwd: offline.cwd });
    else {
      const server = await listenAppServer({ env, cwd: offline.cwd, listen: name === "unix" ? "unix" : undefined });
      servers.push(server);
      codex = new AsyncCodex({ connect: server.connect });
    }
    clients.set(name, codex);
    const thread = await codex.threadStart();
    threads.set(name, thread);
    for (let i = 0; i < WARM_UP; i++) await timeTurn(thread);
  }
  for (let round = 0; round < TURNS; round++) {
    for (const name of NAMES) samples.get(name)!.push(await timeTurn(threads.get(name)!));
  }
} finally {
  for (const codex of clients.values()) await codex.close();
  for (const server of servers) await server.stop();
  left = codexProcessesOf(offline.home.path);
  await offline.close();
}

const rows: [string, keyof Timing][] = [
  ["warm turn, turn() resolves", "turnStartMs"],
  ["warm turn, to first delta", "firstDeltaMs"],
  ["warm turn, to turn/completed", "completedMs"],
];
console.log(
  `\n${TURNS} warm turns per transport (after ${WARM_UP} warm-up turns), ${DELTAS} deltas each; 1-minute load ${load.toFixed(2)} at the start.\n`,
);
console.log(`| Measure (ms, median [min–max]) | ${NAMES.join(" | ")} |`);
console.log(`| --- | ${NAMES.map(() => "---:").join(" | ")} |`);
for (const [label, key] of rows) {
  const cells = NAMES.map((name) => {
    const values = samples.get(name)!.map((timing) => timing[key]);
    return `${format(median(values))} [${format(Math.min(...values))}–${format(Math.max(...values))}]`;
  });
  console.log(`| ${label} | ${cells.join(" | ")} |`);
}
console.log(`\nCodex processes left afterwards: ${left.length}.`);
if (left.length > 0) process.exitCode = 1;
