import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PeersJob } from "../peers/contender.ts";
import type { WorkerResult } from "../peers/worker.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Runs one contender in a fresh plain `node` process (bench/peers/worker.ts, no loader) and returns what it
 * measured; rejects with the end of its stderr when it fails, and kills it after `timeoutMs`.
 *
 * @example
 * ```ts
 * const result = await runWorker("raw", job, outDir, 600_000);
 * ```
 */
export function runWorker(name: string, job: PeersJob, outDir: string, timeoutMs: number): Promise<WorkerResult> {
  const out = join(outDir, `${name}.json`);
  rmSync(out, { force: true });
  const env: Record<string, string | undefined> = {
    ...process.env,
    BENCH_PEERS_JOB: JSON.stringify(job),
    BENCH_PEERS_OUT: out,
  };
  delete env.NODE_OPTIONS; // a loader (tsx) inherited from this process would be timed with the import
  const child = spawn(
    process.execPath,
    ["--disable-warning=ExperimentalWarning", join(root, "bench", "peers", "worker.ts"), name],
    {
      cwd: root,
      env,
      stdio: ["ignore", "inherit", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && existsSync(out)) resolve(JSON.parse(readFileSync(out, "utf8")) as WorkerResult);
      else
        reject(
          new Error(
            `the ${name} worker exited with ${code ?? signal}: ${stderr.trim().split("\n").slice(-8).join("\n")}`,
          ),
        );
    });
  });
}
