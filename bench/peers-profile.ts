/**
 * Where one contender of the side-by-side spends its CPU: runs its worker (bench/peers/worker.ts) in a fresh
 * plain `node` under `--cpu-prof`, against the same offline codex and scripted provider as bench/peers.ts, and
 * prints the worker's own figures (CPU to the first turn, CPU per warm turn, peak RSS), the modules it loaded,
 * and the profile's self time grouped by package / source file and by function. Run it twice, with
 * `BENCH_PROFILE_FIRST_ONLY=1` (the start alone) and without (start + many warm turns), to tell the start's
 * share from the warm turns'.
 *
 *   npx node --import tsx bench/peers-profile.ts async-codex          # 100 warm turns of 50 deltas
 *   BENCH_PROFILE_TURNS=300 npx node --import tsx bench/peers-profile.ts sync-codex
 *   BENCH_PROFILE_FIRST_ONLY=1 npx node --import tsx bench/peers-profile.ts async-codex
 *   BENCH_PROFILE_KEEP=/tmp/prof npx node --import tsx bench/peers-profile.ts raw   # keeps the .cpuprofile
 *   BENCH_PROFILE_DELTAS=1 …                                  # deltas per turn (default 50)
 *
 * Needs dist/ (`npm run build`). Not part of `npm run bench`: a tool for finding hot spots, not a measure.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createOfflineEnvironment, inputTexts, textReply, type RecordedRequest } from "../src/testing/index.js";
import type { PeersJob } from "./peers/contender.ts";
import type { WorkerResult } from "./peers/worker.ts";
import { line } from "./lib/output.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const name = process.argv[2] ?? "async-codex";
const turns = Number(process.env.BENCH_PROFILE_TURNS ?? 100);
const firstOnly = process.env.BENCH_PROFILE_FIRST_ONLY === "1";
const top = Number(process.env.BENCH_PROFILE_TOP ?? 25);

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function reply(request: RecordedRequest) {
  const asked = /deltas=(\d+)/.exec(inputTexts(request).at(-1) ?? "");
  const deltas = Math.max(1, Number(asked?.[1] ?? 1));
  return textReply("abc ".repeat(deltas), { deltas });
}

/** A profile node's place: a package (`xstate`), a file of this library (`client/live-turn.js`), or V8/Node. */
function placeOf(url: string, functionName: string): string {
  if (url === "") return `(${functionName || "native"})`;
  const packaged = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (packaged !== null && packaged[1] !== "codex-app-server") return packaged[1]!;
  const own = /\/dist\/(.+)$/.exec(url);
  if (own !== null) return own[1]!;
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0] ?? ""}`;
  return url.replace(root, "");
}

function selfTimes(profile: Profile): { byPlace: Map<string, number>; byFunction: Map<string, number>; total: number } {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    if (functionName === "(idle)" || functionName === "(program)") continue;
    total += us;
    const place = placeOf(url, functionName);
    byPlace.set(place, (byPlace.get(place) ?? 0) + us);
    const fn = `${functionName || "(anonymous)"} ${place}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  return { byPlace, byFunction, total };
}

function print(title: string, times: Map<string, number>, total: number, per: number): void {
  line(title);
  for (const [key, us] of [...times].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    line(`  ${(us / 1000 / per).toFixed(3).padStart(8)} ms  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`);
  }
}

const offline = await createOfflineEnvironment({ fallback: reply });
// A fresh folder per run, also under BENCH_PROFILE_KEEP: a profile left there by an earlier run must not be read as this one's.
const keep = process.env.BENCH_PROFILE_KEEP;
if (keep !== undefined) mkdirSync(keep, { recursive: true });
const profileDir = mkdtempSync(keep === undefined ? "/var/tmp/codex-peers-profile-" : join(keep, `${name}-`));
const out = join(profileDir, `${name}.json`);
const job: PeersJob = {
  codexBin: offline.codexBin,
  env: offline.env,
  cwd: offline.cwd,
  warmTurns: turns,
  deltas: Number(process.env.BENCH_PROFILE_DELTAS ?? 50),
  streamDeltas: 0,
  bursts: [],
  firstOnly,
};
try {
  line(`profile  ${name}, ${firstOnly ? "first turn only" : `${turns} warm turns`}, load ${loadavg()[0]!.toFixed(2)}`);
  const env: Record<string, string | undefined> = {
    ...process.env,
    BENCH_PEERS_JOB: JSON.stringify(job),
    BENCH_PEERS_OUT: out,
  };
  delete env.NODE_OPTIONS;
  const child = spawn(
    process.execPath,
    [
      "--disable-warning=ExperimentalWarning",
      "--cpu-prof",
      `--cpu-prof-dir=${profileDir}`,
      "--cpu-prof-interval=200",
      "--import",
      `data:text/javascript,${encodeURIComponent(
        `import { registerHooks } from "node:module"; let n = 0; registerHooks({ load(url, context, next) { if (url.startsWith("file:")) n++; return next(url, context); } }); process.on("exit", () => process.stderr.write("modules " + n + "\\n"));`,
      )}`,
      join(root, "bench", "peers", "worker.ts"),
      name,
    ],
    { cwd: root, env, stdio: ["ignore", "inherit", "pipe"] },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`the worker exited with ${code}: ${stderr}`);
  const result = JSON.parse(readFileSync(out, "utf8")) as WorkerResult;
  line(
    `worker   CPU to first turn ${result.firstTurnCpuMs.toFixed(1)} ms, CPU per warm turn ${firstOnly ? "n/a" : result.cpuPerTurnMs.toFixed(2)} ms (profiled: inflated), peak RSS ${result.peakRssMiB.toFixed(1)} MiB, ${/modules (\d+)/.exec(stderr)?.[1] ?? "?"} modules loaded`,
  );
  // One profile per thread (the sync client's worker thread writes its own).
  const files = readdirSync(profileDir).filter((entry) => entry.endsWith(".cpuprofile"));
  if (files.length === 0) throw new Error(`no .cpuprofile in ${profileDir}`);
  const per = firstOnly ? 1 : turns;
  for (const file of files) {
    const { byPlace, byFunction, total } = selfTimes(
      JSON.parse(readFileSync(join(profileDir, file), "utf8")) as Profile,
    );
    line(
      `profile  ${file}: ${(total / 1000).toFixed(0)} ms of CPU sampled; below: self time${per > 1 ? " per warm turn" : ""}`,
    );
    print("by place", byPlace, total, per);
    print("by function", byFunction, total, per);
  }
} finally {
  if (process.env.BENCH_PROFILE_KEEP === undefined) rmSync(profileDir, { recursive: true, force: true });
  await offline.close();
}
