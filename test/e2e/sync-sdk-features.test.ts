import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  createOfflineEnvironment,
  textReply,
  type OfflineEnvironment,
  type StreamReply,
} from "../../src/testing/index.js";
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

describe("the sync client's goals, as on AsyncThread", { timeout: 120_000 }, () => {
  let goals: OfflineEnvironment;
  before(async () => {
    goals = await createOfflineEnvironment();
  });
  after(async () => {
    await goals?.close();
  });

  it("a goal of two continuation turns is one run with summed usage; interrupt pauses; budget and objective errors are typed", async () => {
    const updateGoal: StreamReply = {
      kind: "stream",
      output: [{ type: "function_call", name: "update_goal", arguments: { status: "complete" } }],
      usage: { inputTokens: 40, outputTokens: 4 },
    };
    goals.provider.enqueue(
      textReply("Step one done.", { usage: { inputTokens: 100, outputTokens: 10 } }),
      textReply("Step two done.", { usage: { inputTokens: 200, outputTokens: 20 } }),
      updateGoal,
      textReply("The goal is achieved.", { usage: { inputTokens: 300, outputTokens: 30 } }),
      textReply("Working slowly on it.", { deltas: 20, deltaDelayMs: 50 }),
    );
    goals.provider.setFallback(textReply("Still working.", { usage: { inputTokens: 10, outputTokens: 2 } }));
    const steps = await runSyncFixture(goals, "goals");

    const goal = steps.get("goal")!;
    assert.equal(goal.objective, "Do the three steps, then mark the goal complete.");
    assert.equal(goal.phase, "ended");
    assert.equal(goal.goalStatus, "complete");
    assert.equal(goal.turnsStarted, 3, "the stream shows the first turn and two continuations");
    assert.equal((goal.turnIds as string[]).length, 3);
    assert.equal(goal.id, (goal.turnIds as string[])[0]);
    assert.equal(goal.status, "completed");
    assert.equal(goal.finalResponse, "The goal is achieved.");
    assert.ok((goal.completedAt as number) >= (goal.startedAt as number));
    // Each request's usage as the provider sent it: 110, 220, then the third turn's two requests, 44 and 330.
    assert.equal(goal.lastTotal, 110 + 220 + 44 + 330, "the usage of the three turns (four model requests), summed");

    const paused = steps.get("paused")!;
    assert.deepEqual([paused.status, paused.goalStatus], ["interrupted", "paused"]);

    const budget = steps.get("budget")!;
    assert.equal(budget.typed, true, JSON.stringify(budget));
    assert.equal(budget.status, "budgetLimited");
    assert.match(String(budget.message), /larger tokenBudget/);

    for (const name of ["blank", "tooLong"]) assert.equal(steps.get(name)!.invalidInput, true, name);
    assert.match(String(steps.get("tooLong")!.message), /4001 characters/);
    assert.ok(steps.has("end"));
  });
});
