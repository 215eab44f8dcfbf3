import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { createOfflineEnvironment, textReply, type OfflineEnvironment } from "../../src/testing/index.js";

// The synchronous Codex keeps level with AsyncCodex on the Python SDK's newer features. It blocks its thread, so
// it runs in a child process while this process serves the scripted model.

const FIXTURE = fileURLToPath(new URL("../fixtures/sync-client/sdk-features.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

let offline: OfflineEnvironment;

type Step = Record<string, unknown> & { step: string };

async function runFixture(...steps: string[]): Promise<Map<string, Step>> {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, ...steps], {
    cwd: ROOT,
    env: { ...process.env, SYNC_FIXTURE: JSON.stringify({ env: offline.env, cwd: offline.cwd }) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
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

describe(
  "the sync client: approval modes, sandbox presets and RunResult, as on AsyncCodex",
  { timeout: 120_000 },
  () => {
    before(async () => {
      offline = await createOfflineEnvironment({ approvalPolicy: "on-request", sandboxMode: "workspace-write" });
    });
    after(async () => {
      await offline?.close();
    });

    it("runs with a mode and a preset, reports the turn's id, status and times, and refuses the bypass with a sandbox before sending", async () => {
      offline.provider.enqueue(textReply("Hello from the sync client."));
      const steps = await runFixture("modes");
      const run = steps.get("run")!;
      assert.equal(run.status, "completed");
      assert.equal(run.finalResponse, "Hello from the sync client.");
      assert.equal(typeof run.id, "string");
      assert.ok((run.completedAt as number) >= (run.startedAt as number));
      assert.equal(typeof run.durationMs, "number");
      for (const name of ["bypassTurn", "bypassThread"]) {
        const refused = steps.get(name)!;
        assert.equal(refused.invalidInput, true, JSON.stringify(refused));
        assert.match(String(refused.message), /turns the sandbox off/);
      }
      assert.equal(offline.provider.responsesRequests.length, 1, "only the one valid turn reached the model");
      assert.ok(steps.has("end"));
    });
  },
);
