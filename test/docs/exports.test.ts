import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { committedExports, listExports, renderExports } from "../../scripts/list-exports.js";

// The public surface is decided on purpose: docs/exports.md lists every export of every entry point, and a
// change to what the code exports must come with a change to that file (a visible diff in review).

describe("the public surface is the committed list in docs/exports.md", { timeout: 60_000 }, () => {
  const lists = listExports();

  it("each entry point exports what docs/exports.md lists (else: npm run exports, and review the diff)", () => {
    const committed = committedExports();
    if (committed === renderExports(lists)) return;
    const listed = new Set(committed.split("\n").filter((line) => line.startsWith("- ") || line.startsWith("## ")));
    const fresh = renderExports(lists).split("\n").filter((line) => line.startsWith("- ") || line.startsWith("## "));
    const added = fresh.filter((line) => !listed.has(line) && line.startsWith("- "));
    const removed = [...listed].filter((line) => !fresh.includes(line) && line.startsWith("- "));
    assert.fail(
      "The exports of the package differ from docs/exports.md.\n" +
        `  exported but not listed: ${added.join(", ") || "none"}\n` +
        `  listed but not exported: ${removed.join(", ") || "none"}\n` +
        "If the change is on purpose, run `npm run exports` and commit docs/exports.md (and `npm run docs` for docs/api).",
    );
  });

  it("no implementation detail is exported: the helpers the review found are gone from the root", () => {
    const root = new Set((lists.get("codex-app-server") ?? []).map((line) => line.split(" ")[0]));
    for (const name of ["toMetadata", "checkConfig", "checkCodexConfig", "toUserInputs", "mapJsonRpcError", "isServerOverloaded", "mentionsRetryLimit", "JsonRpcErrorObject"]) {
      assert.equal(root.has(name), false, `${name} is an implementation detail`);
    }
    for (const name of ["Transport", "MemoryTransport", "StreamTransport", "IDEMPOTENT_METHODS", "AppServerMetadata"]) {
      assert.ok(root.has(name), `${name} is what users need`);
    }
  });

  it("one name per thing: InitializeResponse is only the wire type of codex-app-server/protocol", () => {
    const has = (entry: string, name: string) => (lists.get(entry) ?? []).some((line) => line.startsWith(`${name} (`));
    assert.equal(has("codex-app-server", "InitializeResponse"), false);
    assert.ok(has("codex-app-server/protocol", "InitializeResponse"));
  });
});
