/**
 * 11 · CLI mini chat: an interactive loop on one thread. Type a message, watch the answer stream, see the
 * turn's status and token usage; `/exit` (or end of input) quits.
 *
 * Run it with `npm run example -- 11`, or feed it: `printf 'hello\n/exit\n' | npm run example -- 11`.
 */
import { createInterface } from "node:readline/promises";
import { AsyncCodex, type TurnStatus } from "../src/index.js";
import type { ThreadTokenUsage, TurnError } from "../src/schema/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("11-cli-chat");
await using codex = new AsyncCodex(runtime.config);

console.log("Codex mini CLI. Type /exit to quit.");
const thread = await codex.threadStart();
console.log("Thread:", thread.id);

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
let quit = false;
process.stdout.write("you> ");
for await (const line of lines) {
  if (!process.stdin.isTTY) console.log(line); // echo piped input, so the transcript reads like a chat
  const text = line.trim();
  quit = text === "/exit" || text === "/quit";
  if (quit) break;
  if (text !== "") await chat(text);
  process.stdout.write("you> ");
}
if (!quit) console.log(); // end of input
lines.close();

async function chat(text: string): Promise<void> {
  const handle = await thread.turn(text);
  let usage: ThreadTokenUsage | null = null;
  let status: TurnStatus | null = null;
  let error: TurnError | null = null;
  let printed = false;

  process.stdout.write("assistant> ");
  for await (const notification of handle.stream()) {
    if (notification.method === "item/agentMessage/delta") {
      process.stdout.write(notification.params.delta);
      printed = true;
    } else if (notification.method === "thread/tokenUsage/updated") {
      usage = notification.params.tokenUsage;
    } else if (notification.method === "turn/completed") {
      status = notification.params.turn.status;
      error = notification.params.turn.error ?? null;
    }
  }
  console.log(printed ? "" : "[no text]");
  console.log(`assistant.status> ${status}`);
  if (status === "failed") console.log("assistant.error>", error?.message);
  console.log(formatUsage(usage));
}

function formatUsage(usage: ThreadTokenUsage | null): string {
  if (usage === null) return "usage> (none)";
  const line = (name: string, u: ThreadTokenUsage["last"]) =>
    `  ${name}: input=${u.inputTokens} output=${u.outputTokens} reasoning=${u.reasoningOutputTokens} total=${u.totalTokens} cached=${u.cachedInputTokens}`;
  return `usage>\n${line("last", usage.last)}\n${line("total", usage.total)}`;
}
