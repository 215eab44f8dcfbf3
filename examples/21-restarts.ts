/**
 * 21 · Restarts: with the `restart` option, a client whose app-server dies (crashed, OOM-killed, upgraded)
 * starts a new one and goes on. The thread handle keeps working (it is resumed on the new app-server by the
 * first call that needs it); a turn that was running ends `lost` with `TurnLostError`, which says what the
 * client saw and what the server kept of it — nothing is run again for you. Here the app-server is killed on
 * purpose, twice: once while idle, once in the middle of a turn. (`docs/restarts.md` explains it all.)
 *
 * Run it with `npm run example -- 21`.
 */
import { waitFor } from "xstate";
import { AsyncCodex, TurnLostError } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("21-restarts");

await using codex = new AsyncCodex({
  ...runtime.config,
  restart: { maxRestarts: 3, backoff: { initialMs: 200, maxMs: 2_000 } },
});
codex.on("restarting", ({ data }) => console.log(`restarting: attempt ${data.attempt} in ${data.delayMs} ms`));
codex.on("restarted", ({ data }) => console.log(`restarted: after attempt ${data.attempt}`));
codex.on("threadResumed", ({ data }) =>
  console.log(`threadResumed: ${data.threadId === thread.id ? "our thread" : data.threadId}`),
);

/** Plays the crash: SIGKILL to the app-server's process group, then waits until the client has noticed. */
async function crash(): Promise<void> {
  const pid = codex.pid;
  if (pid === null) throw new Error("no app-server to kill");
  process.kill(-pid, "SIGKILL");
  await waitFor(codex.lifecycle, (snapshot) => !snapshot.matches("ready"));
}

const thread = await codex.threadStart();
console.log("first:", (await thread.run("Remember the word pelican.")).finalResponse);

await crash();
console.log("state after the crash:", JSON.stringify(codex.lifecycle.getSnapshot().value));

const handle = await thread.turn("Count to twelve, slowly.");
handle.on("delta", () => void (codex.pid !== null && crash()), { signal: AbortSignal.timeout(60_000) });
try {
  await handle.run();
} catch (error) {
  if (!(error instanceof TurnLostError)) throw error;
  console.log(
    `lost: ${error.items.length} item(s) seen; the server kept it as ${error.serverTurn?.status ?? "nothing"}`,
  );
  console.log("turn state:", handle.actor.getSnapshot().value);
}

console.log("after:", (await thread.run("What was the word?")).finalResponse);
console.log("restarts:", codex.lifecycle.getSnapshot().context.restarts);
