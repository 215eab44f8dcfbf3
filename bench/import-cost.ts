/**
 * Benchmark 4: what importing the package costs, from the compiled dist/ (build it first:
 * `npx tsc -p tsconfig.build.json`; bench/run.ts does). Each import runs in a fresh Node process started in
 * the package's folder (so `codex-app-server` resolves to this package through its `exports`), which times
 * `await import(...)` and the heap it keeps after a full collection. A separate, untimed process counts the
 * modules the import loads, by package.
 *
 * Run alone: `npx node --import tsx bench/import-cost.ts` (BENCH_QUICK=1 for a short run).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { mib } from "./lib/memory.js";
import { line, QUICK, writeResult } from "./lib/output.js";
import { format, summarizeFields, type Summary } from "./lib/stats.js";

const RUNS = QUICK ? 2 : 7;
const SPECIFIERS = ["codex-app-server", "codex-app-server/protocol"] as const;
const root = fileURLToPath(new URL("..", import.meta.url));

const TIMED = (specifier: string) => `
globalThis.gc();
const before = process.memoryUsage();
const startedAt = performance.now();
await import(${JSON.stringify(specifier)});
const milliseconds = performance.now() - startedAt;
globalThis.gc();
const after = process.memoryUsage();
process.stdout.write(JSON.stringify({ milliseconds, heapUsed: after.heapUsed - before.heapUsed, rss: after.rss - before.rss }));
`;

const COUNTED = (specifier: string) => `
import { registerHooks } from "node:module";
const urls = new Set();
registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); urls.add(result.url); return result; } });
await import(${JSON.stringify(specifier)});
const byPackage = {};
for (const url of urls) {
  if (!url.startsWith("file:")) continue;
  const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(url);
  const name = match ? match[1] : "codex-app-server (dist)";
  byPackage[name] = (byPackage[name] ?? 0) + 1;
}
process.stdout.write(JSON.stringify(byPackage));
`;

interface Sample {
  milliseconds: number;
  heapUsedMiB: number;
  rssMiB: number;
}

export interface ImportCase {
  readonly specifier: string;
  readonly summary: Record<keyof Sample, Summary>;
  readonly modules: Record<string, number>;
}

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

if (!existsSync(new URL("../dist/index.js", import.meta.url))) {
  throw new Error("dist/ is missing: build it first with `npx tsc -p tsconfig.build.json` (bench/run.ts does).");
}
const cases: ImportCase[] = [];
for (const specifier of SPECIFIERS) {
  const samples: Sample[] = [];
  for (let run = 0; run < RUNS; run++) {
    const result = JSON.parse(node(["--expose-gc", "--input-type=module", "-e", TIMED(specifier)])) as {
      milliseconds: number;
      heapUsed: number;
      rss: number;
    };
    samples.push({ milliseconds: result.milliseconds, heapUsedMiB: mib(result.heapUsed), rssMiB: mib(result.rss) });
  }
  const modules = JSON.parse(node(["--input-type=module", "-e", COUNTED(specifier)])) as Record<string, number>;
  const summary = summarizeFields(samples);
  const count = Object.values(modules).reduce((sum, value) => sum + value, 0);
  line(
    `import  ${specifier.padEnd(26)} ${format(summary.milliseconds.median).padStart(6)} ms  heap +${format(summary.heapUsedMiB.median)} MiB` +
      `  rss +${format(summary.rssMiB.median)} MiB  ${count} modules (${Object.entries(modules)
        .map(([name, n]) => `${name} ${n}`)
        .join(", ")})`,
  );
  cases.push({ specifier, summary, modules });
}
writeResult({ runs: RUNS, cases });
