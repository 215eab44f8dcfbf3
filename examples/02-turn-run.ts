/**
 * 02 · Turn run: start a turn, wait for it, and look at everything it returns — the turn, its items, the
 * persisted copy on the server, and the token usage.
 *
 * Run it with `npm run example -- 02`.
 */
import { AsyncCodex, finalResponseOf, TextInput } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("02-turn-run");
await using codex = new AsyncCodex(runtime.config);

const thread = await codex.threadStart();
const handle = await thread.turn(new TextInput("Give 3 bullets about SIMD."));
const turn = await handle.run(); // the completed turn, whatever its status

const persisted = await thread.read({ includeTurns: true });
const persistedTurn = persisted.thread.turns.find((stored) => stored.id === turn.id);
const { usage } = handle.actor.getSnapshot().context; // the last thread/tokenUsage/updated of this turn

console.log("thread_id:", handle.threadId);
console.log("turn_id:", turn.id);
console.log("status:", turn.status);
if (turn.error) console.log("error:", turn.error.message);
console.log("items:", turn.items.map((item) => item.type).join(", "));
console.log("text:", finalResponseOf(turn.items));
console.log("persisted.items.count:", persistedTurn?.items.length ?? 0);
if (usage === null) throw new Error("the server reported no token usage for the turn");
console.log(
  `usage.last: input=${usage.last.inputTokens} cached=${usage.last.cachedInputTokens} output=${usage.last.outputTokens} total=${usage.last.totalTokens}`,
);

// The shortcut: thread.run() waits for the turn and hands back the answer, the items and the usage at once.
const again = await thread.run("Now in one line.");
console.log("run().finalResponse:", again.finalResponse);
