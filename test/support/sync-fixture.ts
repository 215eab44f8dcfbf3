import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { OfflineEnvironment } from "../../src/testing/index.js";

const FIXTURE = fileURLToPath(new URL("../fixtures/sync-client/sdk-features.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** One step the fixture reported. */
export type Step = Record<string, unknown> & { step: string };

/**
 * Runs `test/fixtures/sync-client/sdk-features.ts` with the given steps against the offline environment, in a
 * child process (the sync client blocks its thread; this process keeps serving the scripted model), and returns
 * its reports by step. Fails when the child does not exit 0 within 90 s.
 *
 * @example
 * ```ts
 * const steps = await runSyncFixture(offline, "modes");
 * assert.equal(steps.get("run")?.status, "completed");
 * ```
 */
export async function runSyncFixture(offline: OfflineEnvironment, ...steps: string[]): Promise<Map<string, Step>> {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, ...steps], {
    cwd: ROOT,
    env: { ...process.env, SYNC_FIXTURE: JSON.stringify({ env: offline.env, cwd: offline.cwd }) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  clearTimeout(timer);
  assert.equal(code, 0, `the fixture failed:\n${stdout}\n${stderr}`);
  const reports = stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Step);
  return new Map(reports.map((report) => [report.step, report]));
}
