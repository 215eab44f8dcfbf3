/**
 * 06 · Thread lifecycle and controls: run turns, resume, list, read, rename, archive, unarchive, fork and
 * compact a thread.
 *
 * Run it with `npm run example -- 06`.
 */
import { AsyncCodex } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("06-thread-lifecycle");
await using codex = new AsyncCodex(runtime.config);

const thread = await codex.threadStart();
const first = await (await thread.turn("One sentence about structured planning.")).run();
const second = await (await thread.turn("Now restate it for a junior engineer.")).run();

const reopened = await codex.threadResume(thread.id);
const active = await codex.threadList({ limit: 20, archived: false });
const reading = await reopened.read({ includeTurns: true });

await reopened.setName("sdk-lifecycle-demo");
await codex.threadArchive(reopened.id);
const archived = await codex.threadList({ limit: 20, archived: true });
const unarchived = await codex.threadUnarchive(reopened.id);

const resumed = await codex.threadResume(unarchived.id);
const resumedTurn = await (await resumed.turn("Continue in one short sentence.")).run();

const forked = await codex.threadFork(unarchived.id);
const forkedTurn = await (await forked.turn("Take a different angle in one short sentence.")).run();

// Compaction runs as a turn of its own on the server; wait for it before reading the thread again.
const compacted = new Promise<void>((resolve) => {
  const stop = codex.on("item/completed", ({ data }) => {
    if (data.threadId === unarchived.id && data.item.type === "contextCompaction") {
      stop();
      resolve();
    }
  });
});
await unarchived.compact();
await compacted;
const after = await unarchived.read({ includeTurns: true });

console.log("Lifecycle OK:", thread.id);
console.log("first:", first.id, first.status);
console.log("second:", second.id, second.status);
console.log("read.turns:", reading.thread.turns.length);
console.log("list.active:", active.data.length);
console.log("list.archived:", archived.data.length);
console.log("resumed:", resumedTurn.id, resumedTurn.status);
console.log("forked:", forked.id, forkedTurn.status, `(a new thread, forked from ${unarchived.id})`);
console.log("compact: done");
console.log("name:", after.thread.name);
console.log("turns after compaction:", after.thread.turns.length);
