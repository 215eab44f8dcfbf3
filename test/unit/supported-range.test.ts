import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { AsyncCodex, type ClientDiagnostic } from "../../src/index.js";
import { belowRangeMessage, compareVersions, OLDEST_SUPPORTED_CODEX } from "../../src/client/supported-range.js";
import { checkServerNotification } from "../../src/schema/index.js";
import { checkOldestServerNotification } from "../../src/schema/oldest/validate.js";
import { FakeAppServer } from "../support/fake-app-server.js";
import { agentMessage, itemCompleted } from "../support/wire-notifications.js";
import { within } from "../support/within.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

test("the oldest supported codex is the codex-oldest alias's version and the oldest bundle's", () => {
  const manifest = JSON.parse(read("package.json")) as { devDependencies: Record<string, string> };
  assert.equal(manifest.devDependencies["codex-oldest"], `npm:@openai/codex@${OLDEST_SUPPORTED_CODEX}`);
  assert.equal(read("schema/oldest/VERSION"), `codex-cli ${OLDEST_SUPPORTED_CODEX}\n`);
});

test("versions compare by number, and only a server below the range gets the diagnostic", () => {
  assert.ok(compareVersions("0.168.9", "0.169.0")! < 0);
  assert.ok(compareVersions("0.170.0", "0.169.0")! > 0);
  assert.ok(compareVersions("0.169.10", "0.169.9")! > 0);
  assert.equal(compareVersions("0.169.0-alpha.1", "0.169.0"), 0);
  assert.equal(compareVersions("dev", "0.169.0"), undefined);
  assert.match(belowRangeMessage("0.160.0") ?? "", /codex 0\.160\.0, older than 0\.169\.0/);
  assert.equal(belowRangeMessage(OLDEST_SUPPORTED_CODEX), undefined);
  assert.equal(belowRangeMessage("0.171.0"), undefined);
  assert.equal(belowRangeMessage("9.8.7"), undefined);
  assert.equal(belowRangeMessage("not-a-version"), undefined);
});

/** An item/completed whose agent message carries 0.169.0's `AgentMessageDisplay` (an object with `action`). */
function olderShapeItem(display: unknown) {
  const item = { ...agentMessage("msg_1", "hidden answer"), moderation: { moderated: true, display } };
  return itemCompleted("thr_1", "turn_1", item as never);
}

test("0.169.0's AgentMessageDisplay fails the pinned schema but fits the oldest one: the union of the two accepts it", () => {
  const { params } = olderShapeItem({ action: "hide", blockType: null });
  assert.equal(checkServerNotification("item/completed", params).ok, false);
  assert.deepEqual(checkOldestServerNotification("item/completed", params), { ok: true });
  const newer = olderShapeItem({ mode: "block", version: 1, reason: { kind: "cyber" } }).params;
  assert.deepEqual(checkServerNotification("item/completed", newer), { ok: true });
  assert.equal(
    checkOldestServerNotification("item/completed", newer).ok,
    false,
    "the oldest schema alone would refuse 0.171.0's shape",
  );
});

test("a server below the range gets one diagnostic; an older shape is delivered without one; a broken message is delivered and named", async () => {
  const server = new FakeAppServer();
  server.initializeResult = {
    ...(server.initializeResult as object),
    userAgent: "codex_cli_rs/0.160.0 (Linux; x86_64)",
  };
  const diagnostics: ClientDiagnostic[] = [];
  const notifications: string[] = [];
  await using codex = new AsyncCodex({ transport: server.transport });
  codex.on("diagnostic", ({ data }) => void diagnostics.push(data));
  codex.on("notification", ({ data }) => void notifications.push(data.method));
  await codex.start();
  await codex.start();
  assert.deepEqual(
    diagnostics.map((d) => [d.kind, (d as { serverVersion?: string }).serverVersion]),
    [["unsupportedServer", "0.160.0"]],
  );
  assert.match(diagnostics[0]?.message ?? "", /older than 0\.169\.0/);

  server.notify(olderShapeItem({ action: "hide" }));
  server.notify(olderShapeItem({ mode: "hide", version: 1, replacement: { kind: "wellbeingPromptHelpline" } }));
  server.notify({
    method: "item/completed",
    params: { threadId: "thr_1", turnId: "turn_1", completedAtMs: "late", item: agentMessage("m", "x") },
  });
  // Diagnostics come in the order the notifications did: once the broken one's is here, an older shape's
  // diagnostic, had there been one, would be here too.
  await within(
    5_000,
    "the diagnostic of the broken notification",
    (async () => {
      while (!diagnostics.some((d) => d.message.includes("completedAtMs")))
        await new Promise((resolve) => setTimeout(resolve, 5));
    })(),
  );
  assert.equal(notifications.length, 3, "every message is delivered");
  const invalid = diagnostics.filter((d) => d.kind === "invalidNotification");
  assert.equal(invalid.length, 1, JSON.stringify(diagnostics.map((d) => d.message)));
  assert.equal((invalid[0] as { method?: string } | undefined)?.method, "item/completed");
  assert.match(invalid[0]?.message ?? "", /^item\/completed from codex 0\.160\.0: \/completedAtMs: must be integer/);
  assert.equal((invalid[0] as { serverVersion?: string }).serverVersion, "0.160.0");
});

test("a server request whose params fit neither schema is declined, and the diagnostic names the method, the field and the server's version", async () => {
  const server = new FakeAppServer();
  const diagnostics: ClientDiagnostic[] = [];
  let handled = 0;
  await using codex = new AsyncCodex({
    transport: server.transport,
    approvalHandler: () => {
      handled++;
    },
  });
  codex.on("diagnostic", ({ data }) => void diagnostics.push(data));
  await codex.start();
  const params = { itemId: "i", threadId: "thr_1", turnId: "turn_1", startedAtMs: "soon", command: "ls" };
  const answer = await within(5_000, "the answer", server.request("item/commandExecution/requestApproval", params));
  assert.deepEqual(answer, { decision: "decline" });
  assert.equal(handled, 0, "the handler never sees params that fit no schema");
  const failed = diagnostics.filter((d) => d.kind === "serverRequestFailed");
  assert.equal(failed.length, 1);
  assert.match(
    failed[0]?.message ?? "",
    /^server request item\/commandExecution\/requestApproval \(id \S+\): its params from codex 9\.8\.7 do not fit the schema \(\/startedAtMs: must be integer/,
  );
});
