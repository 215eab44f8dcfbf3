/**
 * 09 · Async parity: the same flow with the synchronous client (`Codex`) and the asynchronous one
 * (`AsyncCodex`), side by side. Same names, same arguments; the sync calls return values, the async ones
 * Promises. `Codex` starts the app-server in its constructor; `AsyncCodex` on the first call.
 *
 * Run it with `npm run example -- 09`.
 */
import { AsyncCodex, Codex, finalResponseOf, TextInput } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("09-async-parity");

{
  using codex = new Codex(runtime.config);
  console.log("sync.server:", codex.metadata.serverInfo.name, codex.metadata.serverInfo.version);

  const thread = codex.threadStart();
  const turn = thread.turn(new TextInput("Say hello in one sentence.")).run();

  console.log("sync.thread:", thread.id);
  console.log("sync.turn:", turn.id, turn.status);
  console.log("sync.text:", finalResponseOf(turn.items));
}

{
  await using codex = new AsyncCodex(runtime.config);
  await codex.start();
  console.log("async.server:", codex.metadata.serverInfo.name, codex.metadata.serverInfo.version);

  const thread = await codex.threadStart();
  const turn = await (await thread.turn(new TextInput("Say hello in one sentence."))).run();

  console.log("async.thread:", thread.id);
  console.log("async.turn:", turn.id, turn.status);
  console.log("async.text:", finalResponseOf(turn.items));
}
