/**
 * 05 · Existing thread: threads are stored by the app-server. Keep a thread's id, and any later client —
 * another process, tomorrow — resumes it with its history.
 *
 * Run it with `npm run example -- 05`.
 */
import { AsyncCodex } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("05-existing-thread");

let threadId: string;
{
  await using codex = new AsyncCodex(runtime.config);
  const original = await codex.threadStart();
  const first = await original.run("Tell me one fact about Saturn.");
  threadId = original.id;
  console.log("Created thread:", threadId);
  console.log("First:", first.finalResponse);
} // this client and its app-server are gone now

await using codex = new AsyncCodex(runtime.config);
const resumed = await codex.threadResume(threadId);
const second = await resumed.run("Continue with one more fact.");
console.log("Resumed thread:", resumed.id);
console.log("Second:", second.finalResponse);
