/**
 * 14 · Steer and interrupt: change a running turn's course with more input (`steer`), and stop a running
 * turn (`interrupt`). Neither is possible when driving `codex exec`.
 *
 * A steer joins the running turn: Codex stops the answer it was writing and answers again with the new input.
 * An interrupt ends the turn `interrupted`; the partly streamed message never gets an `item/completed` from
 * the server, so the client closes it with the text streamed so far.
 *
 * Run it with `npm run example -- 14`.
 */
import { AsyncCodex, finalResponseOf, type AsyncTurnHandle } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("14-steer-and-interrupt");
await using codex = new AsyncCodex(runtime.config);
const thread = await codex.threadStart();

// Steer: once the answer has started to stream, ask for less.
const steerTurn = await thread.turn("Count from 1 to 40 with commas, then one summary sentence.");
const steered = await watch(steerTurn, async () => {
  const answer = await steerTurn.steer("Keep it brief and stop after 10 numbers.");
  console.log("steer.result:", JSON.stringify(answer));
});
console.log("steer.final.status:", steered.status);
console.log("steer.events.count:", steered.events);
console.log("steer.answer:", steered.answer);

// Interrupt: once the answer has started to stream, stop the turn.
const interruptTurn = await thread.turn("Count from 1 to 200 with commas, then one summary sentence.");
const interrupted = await watch(interruptTurn, async () => {
  const answer = await interruptTurn.interrupt();
  console.log("interrupt.result:", JSON.stringify(answer));
});
console.log("interrupt.final.status:", interrupted.status);
console.log("interrupt.events.count:", interrupted.events);
console.log("interrupt.closed.items:", interruptTurn.actor.getSnapshot().context.closedItemIds.length);
console.log("interrupt.preview:", interrupted.preview);

/** Streams a turn to its end, calling `control` once, when the first delta arrives. */
async function watch(handle: AsyncTurnHandle, control: () => Promise<void>) {
  let events = 0;
  let preview = "";
  let controlled = false;
  for await (const notification of handle.stream()) {
    events += 1;
    if (notification.method === "item/agentMessage/delta") {
      preview += notification.params.delta;
      if (!controlled) {
        controlled = true;
        await control();
      }
    }
  }
  const turn = await handle.run();
  return { status: turn.status, events, answer: finalResponseOf(turn.items), preview: preview.trim() };
}
