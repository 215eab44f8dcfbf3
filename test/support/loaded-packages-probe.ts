/**
 * Run in a child process by test/unit/lazy-loading.test.ts (`node --import tsx`): which of the packages the
 * client loads lazily (`typebox`, `synckit`, `@opentelemetry/api`, installed here but with no tracer provider
 * registered) are loaded after importing the package, after a client starts and
 * checks a notification that fits its schema, and after one that does not. Prints one JSON line.
 */
import { registerHooks } from "node:module";

const WATCHED = ["typebox", "synckit", "@opentelemetry/api"] as const;
const loaded = new Set<string>();
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    for (const name of WATCHED) if (resolved.url.includes(`/node_modules/${name}/`)) loaded.add(name);
    return resolved;
  },
});
const snapshot = (): string[] => [...loaded].sort();

const { AsyncCodex } = await import("../../src/index.js");
const afterImport = snapshot();

const { FakeAppServer } = await import("./fake-app-server.js");
const server = new FakeAppServer();
const codex = new AsyncCodex({ transport: server.transport });
const diagnostics: string[] = [];
codex.on("diagnostic", ({ data }) => void diagnostics.push(data.kind));
await codex.start();
server.notify({
  method: "item/agentMessage/delta",
  params: { threadId: "thr_1", turnId: "turn_1", itemId: "msg_1", delta: "abc" },
});
await new Promise((resolve) => setTimeout(resolve, 50));
const afterFittingNotification = snapshot();
const diagnosticsAfterFitting = [...diagnostics];

server.notify({ method: "item/agentMessage/delta", params: { threadId: "thr_1", turnId: "turn_1", delta: 4 } });
const deadline = Date.now() + 10_000;
while (diagnostics.length === diagnosticsAfterFitting.length && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const afterMisfit = snapshot();
await codex.close();
console.log(
  JSON.stringify({ afterImport, afterFittingNotification, diagnosticsAfterFitting, afterMisfit, diagnostics }),
);
