/**
 * Benchmark 5: what the sync client's bridge costs per call. The same requests go through `AsyncCodex`
 * (awaited one at a time) and through the sync `Codex` (whose calls block the caller while its worker thread
 * runs them on an `AsyncCodex` of its own), each client on its own real `codex app-server`, offline against
 * the scripted provider. Calls alternate between the two clients so both see the same machine load; each
 * round gives a median per client, and the bridge's cost is the sync median minus the async one. Also the two
 * clients' start and close. Afterwards no codex process of this benchmark may be left.
 *
 * No turns: while a sync call blocks, this thread cannot answer codex's requests to the scripted provider,
 * which runs in this process (test/e2e/sync-client.test.ts runs the sync client in a child for that reason).
 *
 * Run alone: `npx node --expose-gc --import tsx bench/sync-bridge.ts` (BENCH_QUICK=1 for a short run).
 */
import { AsyncCodex } from "../src/client/async-codex.js";
import type { AppServerConfig } from "../src/client/config.js";
import { Codex } from "../src/sync/codex.js";
import { createOfflineEnvironment } from "../src/testing/index.js";
import { line, QUICK, REPEATS, writeResult } from "./lib/output.js";
import { codexProcessesOf } from "./lib/processes.js";
import type { SyncBridgeResult } from "./lib/report.js";
import { format, median, quantile, summarize, summarizeFields } from "./lib/stats.js";

const ROUNDS = REPEATS;
const CALLS_PER_ROUND = QUICK ? 20 : 200;
const WARM_UP_CALLS = 20;
const STARTS = QUICK ? 2 : 5;

/** One request made through both clients. */
interface CallCase {
  readonly request: string;
  readonly label: string;
  readonly viaAsync: () => Promise<unknown>;
  readonly viaSync: () => unknown;
}

interface StartSample {
  asyncStartMs: number;
  syncConstructMs: number;
  asyncCloseMs: number;
  syncCloseMs: number;
}

async function elapsed(work: () => unknown): Promise<number> {
  const at = performance.now();
  await work();
  return performance.now() - at;
}

/** Times the same call through both clients, alternating which goes first; returns each one's times. */
async function timeCalls(callCase: CallCase, calls: number): Promise<{ async: number[]; sync: number[] }> {
  const times = { async: [] as number[], sync: [] as number[] };
  for (let call = 0; call < calls; call++) {
    if (call % 2 === 0) {
      times.async.push(await elapsed(callCase.viaAsync));
      times.sync.push(await elapsed(callCase.viaSync));
    } else {
      times.sync.push(await elapsed(callCase.viaSync));
      times.async.push(await elapsed(callCase.viaAsync));
    }
  }
  return times;
}

const env = await createOfflineEnvironment();
const config: AppServerConfig = { env: env.env, cwd: env.cwd };
let result: SyncBridgeResult;
try {
  let at = performance.now();
  const asyncCodex = new AsyncCodex(config);
  await asyncCodex.start();
  const firstAsyncStartMs = performance.now() - at;
  at = performance.now();
  const codex = new Codex(config);
  const firstSyncConstructMs = performance.now() - at;
  try {
    const serverVersion = asyncCodex.metadata.serverInfo.version;
    const asyncThread = await asyncCodex.threadStart();
    const syncThread = codex.threadStart();
    const cases: CallCase[] = [
      {
        request: "thread/list",
        label: "`threadList()`",
        viaAsync: () => asyncCodex.threadList({}),
        viaSync: () => codex.threadList({}),
      },
      {
        request: "model/list",
        label: "`models()`",
        viaAsync: () => asyncCodex.models(),
        viaSync: () => codex.models(),
      },
      {
        request: "thread/read",
        label: "`thread.read()`",
        viaAsync: () => asyncThread.read(),
        viaSync: () => syncThread.read(),
      },
    ];

    // Warm up both paths: validators, the worker, codex's own caches.
    for (const callCase of cases) await timeCalls(callCase, WARM_UP_CALLS);

    const perRound = cases.map(() => ({
      async: [] as number[],
      sync: [] as number[],
      bridge: [] as number[],
      allAsync: [] as number[],
      allSync: [] as number[],
    }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [index, callCase] of cases.entries()) {
        const times = await timeCalls(callCase, CALLS_PER_ROUND);
        const acc = perRound[index]!;
        const asyncMedian = median(times.async);
        const syncMedian = median(times.sync);
        acc.async.push(asyncMedian);
        acc.sync.push(syncMedian);
        acc.bridge.push(syncMedian - asyncMedian);
        acc.allAsync.push(...times.async);
        acc.allSync.push(...times.sync);
      }
    }

    const starts: StartSample[] = [];
    for (let run = 0; run < STARTS; run++) {
      const sample: StartSample = { asyncStartMs: 0, syncConstructMs: 0, asyncCloseMs: 0, syncCloseMs: 0 };
      const viaAsync = async () => {
        const client = new AsyncCodex(config);
        try {
          sample.asyncStartMs = await elapsed(() => client.start());
          sample.asyncCloseMs = await elapsed(() => client.close());
        } finally {
          await client.close();
        }
      };
      const viaSync = () => {
        let at = performance.now();
        const client = new Codex(config);
        sample.syncConstructMs = performance.now() - at;
        at = performance.now();
        client.close();
        sample.syncCloseMs = performance.now() - at;
      };
      if (run % 2 === 0) {
        await viaAsync();
        viaSync();
      } else {
        viaSync();
        await viaAsync();
      }
      starts.push(sample);
    }

    result = {
      serverVersion,
      rounds: ROUNDS,
      cases: cases.map((callCase, index) => {
        const acc = perRound[index]!;
        return {
          request: callCase.request,
          label: callCase.label,
          callsPerRound: CALLS_PER_ROUND,
          answerBytes: Buffer.byteLength(JSON.stringify(callCase.viaSync())),
          async: summarize(acc.async),
          sync: summarize(acc.sync),
          bridge: summarize(acc.bridge),
          asyncP95: quantile(acc.allAsync, 0.95),
          syncP95: quantile(acc.allSync, 0.95),
        };
      }),
      startup: {
        runs: STARTS,
        firstAsyncStartMs,
        firstSyncConstructMs,
        labels: {
          asyncStartMs: "`AsyncCodex` `start()` (spawn + initialize)",
          syncConstructMs: "`new Codex()` (spawn + initialize, worker running)",
          asyncCloseMs: "`AsyncCodex` `close()`",
          syncCloseMs: "`Codex` `close()`",
        },
        summary: summarizeFields(starts),
      },
      leftOverProcesses: [],
    };
  } finally {
    codex.close();
    await asyncCodex.close();
  }
  result = { ...result, leftOverProcesses: codexProcessesOf(env.home.path) };
} finally {
  await env.close();
}

for (const c of result.cases) {
  line(
    `sync bridge  ${c.request.padEnd(28)} async ${format(c.async.median).padStart(6)} ms  sync ${format(c.sync.median).padStart(6)} ms  ` +
      `bridge ${format(c.bridge.median).padStart(6)} ms (min ${format(c.bridge.min)}, max ${format(c.bridge.max)})`,
  );
}
const startup = result.startup;
line(
  `sync bridge  first AsyncCodex start() ${format(startup.firstAsyncStartMs)} ms, first new Codex() (starts the worker) ${format(startup.firstSyncConstructMs)} ms`,
);
for (const [key, label] of Object.entries(startup.labels)) {
  line(`sync bridge  ${label.replaceAll("`", "").padEnd(48)} ${format(startup.summary[key]!.median).padStart(6)} ms`);
}
line(`sync bridge  codex processes left: ${result.leftOverProcesses.length}`);
writeResult(result);
if (result.leftOverProcesses.length > 0) process.exitCode = 1;
