/**
 * 01 · Quickstart: start Codex, start a thread, run one turn, print the answer.
 *
 * Run it with `npm run example -- 01`. In your own code, leave out the runtime and write `new AsyncCodex()`:
 * it starts the installed `codex app-server` with your own Codex configuration and login.
 */
import { AsyncCodex } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("01-quickstart");
await using codex = new AsyncCodex(runtime.config);

await codex.start();
console.log("Server:", codex.metadata.serverInfo.name, codex.metadata.serverInfo.version);

const thread = await codex.threadStart();
const result = await thread.run("Say hello in one sentence.");

console.log("Thread:", thread.id);
console.log("Text:", result.finalResponse);
