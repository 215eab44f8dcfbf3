/**
 * 16 · Many threads at once: one client, one app-server, several threads whose turns stream at the same
 * time. Each turn's notifications go to its own handle (they are routed by turn id), so the streams never
 * mix — the Python SDK allows one turn consumer per client at a time.
 *
 * Run it with `npm run example -- 16`.
 */
import { AsyncCodex } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

const PROMPTS = ["Name a prime number.", "Name a colour.", "Name a planet."];

await using runtime = await startExampleRuntime("16-many-threads");
await using codex = new AsyncCodex(runtime.config);

const threads = await Promise.all(PROMPTS.map(() => codex.threadStart()));
const arrivals: number[] = []; // which thread each delta came from, in arrival order

const answers = await Promise.all(
  threads.map(async (thread, index) => {
    const handle = await thread.turn(PROMPTS[index]!);
    let text = "";
    for await (const notification of handle.stream()) {
      if (notification.method === "item/agentMessage/delta") {
        text += notification.params.delta;
        arrivals.push(index);
      }
    }
    const turn = await handle.run();
    return { thread: thread.id, status: turn.status, text };
  }),
);

answers.forEach((answer, index) =>
  console.log(`thread ${index + 1} (${answer.status}): ${PROMPTS[index]} -> ${answer.text}`),
);
const switches = arrivals.filter((from, index) => index > 0 && from !== arrivals[index - 1]).length;
console.log(`deltas: ${arrivals.length}, interleaved ${switches} times across ${threads.length} threads`);
console.log("distinct threads:", new Set(answers.map((answer) => answer.thread)).size);
