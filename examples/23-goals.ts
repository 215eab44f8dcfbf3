/**
 * 23 · Goals (the Python SDK's `run_goal` / `start_goal`): give a thread an objective and Codex works on it over
 * as many turns as it needs — the server starts each continuation turn by itself — until the model marks the goal
 * complete (or it is paused, blocked, or out of budget). The client presents the turns as one run.
 *
 * Offline, the scripted model works two turns, then calls its `update_goal` tool to mark the goal complete.
 *
 * Run it with `npm run example -- 23`.
 */
import { AsyncCodex, GoalNotCompletedError } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("23-goals");
await using codex = new AsyncCodex(runtime.config);

const thread = await codex.threadStart({ cwd: runtime.cwd });
const goal = await thread.startGoal("Draft release notes in three steps, then mark the goal complete.");
for await (const notification of goal.stream()) {
  if (notification.method === "turn/started") console.log(`turn started: ${notification.params.turn.id}`);
  if (notification.method === "thread/goal/updated" && notification.params.goal.status !== "active")
    console.log(`goal: ${notification.params.goal.status}`);
}
const result = await goal.run();
console.log(`turns: ${result.turnIds.length}, status: ${result.status}, goal: ${result.goal?.status}`);
console.log(`tokens (summed over the turns): ${result.usage?.last.totalTokens}`);
console.log(`answer: ${result.finalResponse}`);

// A tight token budget ends a goal early: runGoal() rejects with a typed error.
try {
  const other = await codex.threadStart({ cwd: runtime.cwd });
  await other.runGoal("Keep polishing for ever.", { tokenBudget: 30 });
} catch (error) {
  if (!(error instanceof GoalNotCompletedError)) throw error;
  console.log(`budget: ${error.name} (${error.status})`);
}
