/**
 * Runs the benchmarks, each in a fresh Node process (`--expose-gc`, through tsx), after building dist/ for the
 * import benchmark; writes bench/report.json and the results section of docs/benchmarks.md.
 *
 *   npx tsx bench/run.ts                          # everything (about 2 minutes on 2 cores)
 *   npx tsx bench/run.ts --only=hot-path,cost-split  # some; the other sections of the report are kept
 *   BENCH_QUICK=1 npx tsx bench/run.ts            # a short run, to try the scripts (not for comparison)
 *   npx tsx bench/run.ts --peers                  # only the side-by-side (the same as --only=peers)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { machineInfo } from "./lib/machine.js";
import { renderResults, spliceResults } from "./lib/markdown.js";
import { QUICK } from "./lib/output.js";
import { BENCHMARKS, type BenchmarkKey, type Report, type Section } from "./lib/report.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const reportPath = join(root, "bench", "report.json");
const docPath = join(root, "docs", "benchmarks.md");

if (Number(process.versions.node.split(".")[0]) < 22) {
  throw new Error(
    `Node ${process.version} is too old for the benchmarks: run them with \`npm run bench\` or \`npx tsx bench/run.ts\`.`,
  );
}

const only = process.argv.includes("--peers")
  ? ["peers"]
  : process.argv
      .find((arg) => arg.startsWith("--only="))
      ?.slice("--only=".length)
      .split(",");
const selected = BENCHMARKS.filter((bench) => only === undefined || only.includes(bench.file.replace(/\.ts$/, "")));
if (selected.length === 0) {
  throw new Error(`--only names none of: ${BENCHMARKS.map((bench) => bench.file.replace(/\.ts$/, "")).join(", ")}`);
}

const previous: Report | null =
  only !== undefined && existsSync(reportPath) ? (JSON.parse(readFileSync(reportPath, "utf8")) as Report) : null;
const machine = machineInfo(root);
const startedAt = performance.now();
console.log(
  `bench: ${machine.cpuModel} × ${machine.cpuCount}, Node ${machine.node}, load ${machine.loadAverage.join(" ")}${QUICK ? ", QUICK" : ""}`,
);

/** The second half of `npm run build`: what users import is the bundle, so that is what the benchmarks load. */
function bundle(): void {
  execFileSync(process.execPath, ["--import", "tsx", join(root, "scripts", "bundle.ts")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

let build: Report["build"] = previous?.build ?? null;
if (selected.some((bench) => bench.needsBuild)) {
  const buildStart = Date.now();
  const emitted = join(root, "dist", "index.js");
  try {
    execFileSync(
      process.execPath,
      [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    bundle();
    build = { seconds: (Date.now() - buildStart) / 1000, ok: true };
    console.log(`build      npm run build (tsc, then the bundle) → dist/ in ${build.seconds.toFixed(1)} s`);
  } catch (error) {
    // tsc still emits when src/ has type errors (work in progress elsewhere): dist/ is usable if it was written now.
    const output = ((error as { stdout?: Buffer | string }).stdout ?? "").toString() || (error as Error).message;
    const errors = output.split("\n").filter((text) => text.includes("error TS")).length;
    const fresh = existsSync(emitted) && statSync(emitted).mtimeMs >= buildStart - 1_000;
    if (fresh) bundle();
    build = {
      seconds: (Date.now() - buildStart) / 1000,
      ok: fresh,
      error: fresh ? `emitted with ${errors} type error(s) in src/` : (output.split("\n")[0] ?? "tsc failed"),
    };
    console.log(
      `build      ${fresh ? `emitted dist/ with ${errors} type error(s) in src/ (not this benchmark's)` : `FAILED: ${output}`}`,
    );
  }
}

const outDir = mkdtempSync("/var/tmp/codex-bench-");
const sections: Partial<Record<BenchmarkKey, Section>> = { ...previous?.sections };
let failures = 0;
try {
  for (const bench of selected) {
    const measuredAt = new Date().toISOString();
    const loadAtStart = loadavg()[0]!;
    const benchStart = performance.now();
    if (bench.needsBuild && build?.ok !== true) {
      sections[bench.key] = { measuredAt, loadAtStart, seconds: 0, quick: QUICK, error: "dist/ could not be built" };
      failures++;
      continue;
    }
    const out = join(outDir, `${bench.key}.json`);
    const child = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", join("bench", bench.file)], {
      cwd: root,
      stdio: ["ignore", "inherit", "pipe"],
      env: { ...process.env, BENCH_OUT: out },
      encoding: "utf8",
      timeout: 10 * 60_000,
      killSignal: "SIGKILL", // a benchmark blocked in a sync call would sit out a SIGTERM
    });
    const seconds = (performance.now() - benchStart) / 1000;
    if (child.status === 0 && existsSync(out)) {
      sections[bench.key] = {
        measuredAt,
        loadAtStart,
        seconds,
        quick: QUICK,
        result: JSON.parse(readFileSync(out, "utf8")) as unknown,
      };
    } else {
      const why = child.error?.message ?? (child.stderr.trim() || `exited with ${child.status ?? child.signal}`);
      process.stderr.write(child.stderr);
      sections[bench.key] = {
        measuredAt,
        loadAtStart,
        seconds,
        quick: QUICK,
        ...(existsSync(out) ? { result: JSON.parse(readFileSync(out, "utf8")) as unknown } : {}),
        error: why.split("\n").find((text) => /Error|error/.test(text)) ?? why.split("\n")[0] ?? "failed",
      };
      failures++;
    }
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}

const loadAtEnd = loadavg().map((load) => Math.round(load * 100) / 100);
const report: Report = { machine, build, loadAtEnd, totalSeconds: (performance.now() - startedAt) / 1000, sections };
writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
const document = existsSync(docPath) ? readFileSync(docPath, "utf8") : null;
writeFileSync(docPath, spliceResults(document, renderResults(report)));
console.log(
  `bench: ${report.totalSeconds.toFixed(0)} s; wrote bench/report.json and docs/benchmarks.md${failures > 0 ? `; ${failures} failed` : ""}`,
);
if (failures > 0) process.exitCode = 1;
