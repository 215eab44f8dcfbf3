/**
 * 17 · Watching the machines: the client's lifecycle and each turn are XState v5 machines. Subscribe to
 * their actors to see every state change, ask a snapshot what the machine would accept now, read what it
 * remembers, or attach an XState inspector to see every event. (`docs/machines.md` draws both machines.)
 *
 * Run it with `npm run example -- 17`.
 */
import type { InspectionEvent } from "xstate";
import { AsyncCodex } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("17-watching-machines");

const inspected = new Map<string, number>();
const inspect = (event: InspectionEvent) => inspected.set(event.type, (inspected.get(event.type) ?? 0) + 1);

await using codex = new AsyncCodex({ ...runtime.config, inspect });

let clientState = JSON.stringify(codex.lifecycle.getSnapshot().value);
console.log("client:", clientState);
codex.lifecycle.subscribe((snapshot) => {
  const state = JSON.stringify(snapshot.value);
  if (state !== clientState) console.log(`client: ${clientState} -> ${state}`);
  clientState = state;
});

const thread = await codex.threadStart();
const handle = await thread.turn("What do machines give a client library?");

let turnState = JSON.stringify(handle.actor.getSnapshot().value);
console.log("turn:", turnState, "| can interrupt:", handle.actor.getSnapshot().can({ type: "interrupt" }));
handle.actor.subscribe((snapshot) => {
  const state = JSON.stringify(snapshot.value);
  if (state === turnState) return;
  console.log(`turn: ${turnState} -> ${state} | can interrupt: ${snapshot.can({ type: "interrupt" })}`);
  turnState = state;
});

const turn = await handle.run();
const { context, status } = handle.actor.getSnapshot();
console.log("turn.status:", turn.status, "| actor:", status);
console.log("context.items:", context.items.map((item) => item.type).join(", "));
console.log("context.usage.total:", context.usage?.total.totalTokens);
console.log("context.steers:", context.steers, "| interruptRequested:", context.interruptRequested);

await codex.close();
console.log("inspection events:", [...inspected].map(([type, n]) => `${type}×${n}`).join(", "));
