/**
 * 04 · Models and metadata: what the app-server said about itself in the handshake, and the models it
 * offers, a page at a time.
 *
 * Run it with `npm run example -- 04`.
 */
import { AsyncCodex } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("04-models-and-metadata");
await using codex = new AsyncCodex(runtime.config);

await codex.start(); // metadata is known once the handshake is done
const { serverInfo, userAgent, platformFamily, platformOs } = codex.metadata;
console.log("server:", serverInfo.name, serverInfo.version);
console.log("userAgent:", userAgent);
console.log("platform:", platformFamily, platformOs);

let cursor: string | null | undefined;
let page = 0;
do {
  const { data, nextCursor } = await codex.models({ limit: 4, cursor });
  page += 1;
  for (const model of data) {
    const efforts = model.supportedReasoningEfforts.map((option) => option.reasoningEffort).join("/");
    console.log(`page ${page}: ${model.id}${model.isDefault ? " (default)" : ""} — efforts ${efforts}`);
  }
  cursor = nextCursor;
} while (cursor);

const all = await codex.models({ includeHidden: true });
console.log("models.visible+hidden:", all.data.length, "hidden:", all.data.filter((model) => model.hidden).length);
