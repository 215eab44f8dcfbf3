/**
 * `npm run demo`: one real turn, streamed to the terminal, with the client's and the turn's machine states
 * as they change and the token usage at the end.
 *
 * - Offline (the default): the real pinned `codex app-server`, talking to the test kit's scripted model on
 *   127.0.0.1 in a throw-away `CODEX_HOME`. No network, no API key; the reply is scripted.
 * - Live, with `--model <name>`: your own Codex (your `~/.codex` configuration and login), that model.
 * - Live, with `OPENAI_API_KEY` set: the OpenAI Responses API with that key, through a provider given on the
 *   command line (nothing is written to `~/.codex`). `--offline` stays offline even then.
 *
 * `npm run demo -- "your prompt"` asks something else (offline, the scripted model still answers its script).
 * Ctrl-C once interrupts the turn; twice quits.
 */
import { parseArgs, styleText } from "node:util";
import { AsyncCodex, type AppServerConfig, type AsyncTurnHandle } from "../src/index.js";
import { serveInspector, type Inspector } from "../src/inspector/index.js";
import { createOfflineEnvironment, textReply, type OfflineEnvironment } from "../src/testing/index.js";

const DEFAULT_PROMPT = "In a few sentences: what is this library, and what can it do that `codex exec` cannot?";
const SCRIPTED_REPLY =
  "Hello from the real codex app-server! This answer comes from a scripted model on 127.0.0.1, so the demo " +
  "needs no network and no API key. Every word you see arrived as an item/agentMessage/delta notification, " +
  "routed to this turn's handle by its turn id. The same client can steer a running turn, interrupt it, " +
  "answer approvals, and stream many threads at once over one app-server. Run `npm run example` to see how.";
const API_KEY_PROVIDER = [
  'model_provider="openai_api_key"',
  'model_providers.openai_api_key.name="OpenAI (OPENAI_API_KEY)"',
  'model_providers.openai_api_key.base_url="https://api.openai.com/v1"',
  'model_providers.openai_api_key.env_key="OPENAI_API_KEY"',
  'model_providers.openai_api_key.wire_api="responses"',
];

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: "string" },
    offline: { type: "boolean", default: false },
    "delta-delay": { type: "string", default: "35" },
    inspect: { type: "boolean", default: false },
    "inspect-port": { type: "string", default: "0" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (flags.help) {
  console.log(`usage: npm run demo -- [--model <name>] [--offline] [--delta-delay <ms>] ["prompt"]

  offline (default)   the real codex app-server + the test kit's scripted model on 127.0.0.1
  --model <name>      live: your own Codex login and config, with that model
  OPENAI_API_KEY=…    live: the OpenAI Responses API with that key (nothing written to ~/.codex)
  --offline           stay offline even when OPENAI_API_KEY is set
  --inspect           serve the live inspector page on 127.0.0.1 (and keep it up after the turn until Enter/Ctrl-C)
  --inspect-port <n>  its port (default: any free port)`);
  process.exit(0);
}

const deltaDelayMs = Number(flags["delta-delay"]);
if (!Number.isFinite(deltaDelayMs) || deltaDelayMs < 0) {
  console.error(`--delta-delay must be a number of milliseconds ≥ 0, got ${JSON.stringify(flags["delta-delay"])}.`);
  process.exit(2);
}
const apiKey = process.env.OPENAI_API_KEY;
const live = !flags.offline && (flags.model !== undefined || (apiKey !== undefined && apiKey !== ""));
const prompt = positionals.join(" ").trim() || DEFAULT_PROMPT;
const color = process.stdout.isTTY && process.env.NO_COLOR === undefined;
const paint = (format: Parameters<typeof styleText>[0], text: string) => (color ? styleText(format, text) : text);

let midLine = false; // the streamed text has no newline yet
const line = (label: string, text: string, format: Parameters<typeof styleText>[0] = "dim") => {
  if (midLine) process.stdout.write("\n");
  midLine = false;
  console.log(`${paint(["bold", "cyan"], label.padEnd(7))}${paint(format, text)}`);
};

let offline: OfflineEnvironment | undefined;
let config: AppServerConfig;
if (live) {
  // --model: your own Codex login and configuration. OPENAI_API_KEY alone: a provider that sends that key.
  config = flags.model === undefined ? { configOverrides: API_KEY_PROVIDER } : {};
  const how =
    flags.model === undefined
      ? "the OpenAI Responses API with OPENAI_API_KEY"
      : `your Codex login, model ${flags.model}`;
  line("demo", `live: ${how}`, "yellow");
} else {
  const parentDir = process.env.CODEX_EXAMPLES_HOME_DIR;
  offline = await createOfflineEnvironment({
    replies: [
      textReply(SCRIPTED_REPLY, {
        deltaDelayMs,
        usage: { inputTokens: 2_345, cachedInputTokens: 1_024, outputTokens: 96, reasoningOutputTokens: 12 },
      }),
    ],
    ...(parentDir ? { parentDir } : {}),
  });
  // Only the scripted model's environment: nothing of this shell's OPENAI_*/CODEX_* reaches the app-server.
  const cleared: Record<string, undefined> = {};
  for (const name of Object.keys(process.env)) if (/^(OPENAI|CODEX)_/i.test(name)) cleared[name] = undefined;
  config = { env: { ...cleared, ...offline.env }, cwd: offline.cwd };
  line("demo", "offline: the real codex app-server, a scripted model on 127.0.0.1 (no network, no API key)", "yellow");
}

const codex = new AsyncCodex({ ...config, requestTimeoutMs: 60_000 });
let handle: AsyncTurnHandle | undefined;
let interrupts = 0;
/** Set while the demo keeps the inspector up after the turn: Enter or Ctrl-C ends the wait. */
let quitWaiting: (() => void) | null = null;
let inspector: Inspector | undefined;
if (flags.inspect) {
  const port = Number(flags["inspect-port"]);
  try {
    inspector = await serveInspector(codex, { port });
  } catch (error) {
    line("error", error instanceof Error ? error.message : String(error), "red");
    await codex.close();
    await offline?.close();
    process.exit(2);
  }
  line("page", `${inspector.url}   (the live inspector page)`, "yellow");
}
process.on("SIGINT", () => {
  if (quitWaiting !== null) {
    quitWaiting();
    return;
  }
  interrupts += 1;
  if (interrupts === 1 && handle !== undefined) {
    line("demo", "interrupting the turn (Ctrl-C again to quit)", "yellow");
    void handle.interrupt().catch(() => {});
  } else {
    void shutDown(130);
  }
});

let clientState = stateName(codex.lifecycle.getSnapshot().value);
codex.lifecycle.subscribe((snapshot) => {
  const state = stateName(snapshot.value);
  if (state === clientState) return;
  const detail = state === "ready" ? `   ${serverDescription()}` : "";
  line("client", `${clientState} → ${state}${detail}`);
  clientState = state;
});

try {
  const startedAt = performance.now();
  const thread = await codex.threadStart(flags.model === undefined ? {} : { model: flags.model });
  line("thread", thread.id);
  line("you", prompt, "reset");

  handle = await thread.turn(prompt);
  let turnState = stateName(handle.actor.getSnapshot().value);
  line("turn", `${handle.id}   ${turnState}`);
  // The machine moves as notifications arrive; the loop below prints them a little later. The final state
  // is shown once the loop has printed everything before it, so it never lands in the middle of the reply.
  let finalLine = null as string | null; // set by the subscription below, which the compiler does not follow
  handle.actor.subscribe((snapshot) => {
    const state = stateName(snapshot.value);
    if (state === turnState) return;
    if (snapshot.status === "done") finalLine = `${turnState} → ${state}`;
    else line("turn", `${turnState} → ${state}`);
    turnState = state;
  });

  for await (const notification of handle.stream()) {
    if (notification.method !== "item/agentMessage/delta") continue;
    if (!midLine) process.stdout.write(paint(["bold", "green"], "codex".padEnd(7)));
    process.stdout.write(notification.params.delta);
    midLine = true;
  }
  const turn = await handle.run();
  if (finalLine !== null) line("turn", finalLine);
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  const usage = handle.actor.getSnapshot().context.usage;
  if (turn.status === "failed") line("error", turn.error?.message ?? "the turn failed", "red");
  line(
    "usage",
    usage === null
      ? `none reported · ${seconds} s`
      : `input ${n(usage.last.inputTokens)} (cached ${n(usage.last.cachedInputTokens)}) · output ${n(usage.last.outputTokens)}` +
          ` (reasoning ${n(usage.last.reasoningOutputTokens)}) · total ${n(usage.last.totalTokens)} tokens · ${seconds} s`,
  );
  if (inspector !== undefined) {
    line("page", `${inspector.url} stays up: press Enter (or Ctrl-C) to quit`, "yellow");
    await new Promise<void>((resolve) => {
      quitWaiting = resolve;
      process.stdin.once("data", () => resolve());
      process.stdin.once("end", () => resolve());
      process.stdin.resume();
    });
    process.stdin.pause();
  }
  await shutDown(turn.status === "failed" ? 1 : 0);
} catch (error) {
  line("error", error instanceof Error ? error.message : String(error), "red");
  await shutDown(1);
}

async function shutDown(code: number): Promise<never> {
  await codex.close();
  await offline?.close();
  line("demo", code === 0 ? "done: the app-server is closed" : `exiting with ${code}`);
  process.exit(code);
}

function serverDescription(): string {
  try {
    const { serverInfo, platformOs } = codex.metadata;
    return `codex ${serverInfo.version} on ${platformOs}`;
  } catch {
    return "";
  }
}

function stateName(value: unknown): string {
  if (typeof value === "string") return value;
  const [[parent, child]] = Object.entries(value as Record<string, unknown>) as [[string, unknown]];
  return `${parent}.${stateName(child)}`;
}

function n(value: number): string {
  return value.toLocaleString("en-US");
}
