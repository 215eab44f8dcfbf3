import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { DOC_PATH, renderMachines, withBlock } from "../../scripts/draw-machines.js";

describe("docs/machines.md draws the machines as they are defined", { timeout: 30_000 }, () => {
  it("the generated diagrams match the machine definitions (redraw: npx tsx scripts/draw-machines.ts)", async () => {
    const doc = await readFile(DOC_PATH, "utf8");
    assert.equal(doc, withBlock(doc, renderMachines()));
  });

  it("every state of both machines appears in the diagrams", () => {
    const block = renderMachines();
    for (const state of ["idle", "starting", "ready", "failed", "closing", "closed", "reconnecting"]) {
      assert.match(block, new RegExp(`state "${state}" as client_${state}\\b`));
    }
    for (const state of ["backoff", "restarting"]) {
      assert.match(block, new RegExp(`state "${state}" as client_reconnecting_${state}\\b`));
    }
    assert.match(block, /client_reconnecting_backoff --> client_reconnecting_restarting : after backoff/, "the backoff is drawn as a delayed transition");
    for (const state of ["starting", "running", "started", "streaming", "completed", "interrupted", "failed", "lost"]) {
      assert.match(block, new RegExp(`state "${state}" as turn_\\S*${state}\\b`));
    }
  });
});
