import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createOfflineEnvironment, textReply, type OfflineEnvironment } from "../../src/testing/index.js";
import { runSyncFixture } from "../support/sync-fixture.js";

// The synchronous Codex keeps level with AsyncCodex on the Python SDK's newer features. It blocks its thread, so
// it runs in a child process while this process serves the scripted model.

let offline: OfflineEnvironment;

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
      const steps = await runSyncFixture(offline, "modes");
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
