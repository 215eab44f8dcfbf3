/**
 * 03 · Stream events: read a turn's notifications as they arrive — every one of them, in order, ending with
 * `turn/completed` — and print the agent's text as it streams.
 *
 * Run it with `npm run example -- 03`.
 */
import { AsyncCodex, type Notification } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("03-stream-events");
await using codex = new AsyncCodex(runtime.config);

const thread = await codex.threadStart();
const handle = await thread.turn("Explain what a JSON-RPC notification is, in two sentences.");

const counts = new Map<string, number>();
let text = "";
for await (const notification of handle.stream()) {
  counts.set(notification.method, (counts.get(notification.method) ?? 0) + 1);
  if (notification.method === "item/agentMessage/delta") {
    text += notification.params.delta;
    console.log(`${notification.method} ${JSON.stringify(notification.params.delta)}`);
  } else {
    console.log(`${notification.method} ${summary(notification)}`);
  }
}

console.log("text:", text);
console.log(
  "events.count:",
  [...counts.values()].reduce((sum, n) => sum + n, 0),
);
for (const [method, n] of counts) console.log(`  ${method}: ${n}`);

/** A one-line view of a notification's params. */
function summary(notification: Notification): string {
  switch (notification.method) {
    case "turn/started":
      return `turn=${notification.params.turn.id}`;
    case "item/started":
    case "item/completed":
      return `${notification.params.item.type} id=${notification.params.item.id}`;
    case "thread/tokenUsage/updated":
      return `total=${notification.params.tokenUsage.last.totalTokens}`;
    case "turn/completed":
      return `status=${notification.params.turn.status}`;
    default: {
      const json = JSON.stringify(notification.params);
      return json.length > 100 ? `${json.slice(0, 97)}...` : json;
    }
  }
}
