import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { AsyncCodex } from "../../src/index.js";
import { serveInspector, type Inspector } from "../../src/inspector/index.js";
import { createOfflineEnvironment, textReply, type OfflineEnvironment } from "../../src/testing/index.js";
import { offlineClientConfig } from "../support/offline-client.js";

/**
 * The inspector page in a real browser: Debian's `chromium` (apt-get install chromium; .ci/run installs it),
 * driven by playwright-core, which never downloads a browser of its own. A real offline turn runs meanwhile.
 * `INSPECTOR_SCREENSHOT=docs` writes the screenshot to docs/inspector.png (else to a temporary folder).
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOT =
  process.env.INSPECTOR_SCREENSHOT === "docs"
    ? fileURLToPath(new URL("../../docs/inspector.png", import.meta.url))
    : join(mkdtempSync(join(tmpdir(), "inspector-")), "inspector.png");
const REPLY =
  "The inspector shows this turn while it streams: its state on the turn machine's diagram, its deltas, " +
  "and the messages on the wire, live over Server-Sent Events from codex.subscribe().";

let offline: OfflineEnvironment;
let codex: AsyncCodex;
let inspector: Inspector;
let browser: Browser;

describe("the inspector page in Chromium, during a real offline turn", { timeout: 120_000 }, () => {
  before(async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
    offline = await createOfflineEnvironment();
    codex = new AsyncCodex(offlineClientConfig(offline));
    inspector = await serveInspector(codex, { intervalMs: 50 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
  });

  after(async () => {
    await browser?.close();
    await codex?.close();
    await inspector?.closed;
    await offline?.close();
  });

  it("sees the turn stream and complete, clicks into its thread, and fetches nothing from elsewhere", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requested: string[] = [];
    page.on("request", (request) => void requested.push(request.url()));
    await page.goto(inspector.url);
    await page.locator("#live.on").waitFor();
    await page.locator('[data-testid="client-state"]', { hasText: "idle" }).waitFor();

    const thread = await codex.threadStart();
    offline.provider.enqueue(
      textReply(REPLY, { deltas: 24, deltaDelayMs: 60, usage: { inputTokens: 812, outputTokens: 64 } }),
    );
    const handle = await thread.turn("Show me the inspector.");
    const card = page.locator(`#turns .turn[data-turn-id="${handle.id}"]`);
    await card.and(page.locator('[data-state="running.streaming"]')).waitFor({ timeout: 30_000 });
    assert.equal(
      await card.locator('g.state.active[data-state="running.streaming"]').count(),
      1,
      "streaming is highlighted on the diagram",
    );
    assert.equal(await card.locator('g.state.active[data-state="running"]').count(), 1, "and so is its parent state");
    assert.equal(await page.locator('[data-testid="client-state"]').textContent(), "ready");

    await handle.run();
    const finishedRow = page.locator(`#finished tr[data-turn-id="${handle.id}"]`);
    await finishedRow.locator(".badge.completed").waitFor();

    await page.locator(`#threads button[data-thread-id="${thread.id}"]`).click();
    await page.locator("#turns-title", { hasText: thread.id }).waitFor();
    const completed = page.locator(`#turns .turn[data-turn-id="${handle.id}"][data-state="completed"]`);
    await completed.waitFor();
    assert.equal(
      await completed.locator('g.state.active[data-state="completed"]').count(),
      1,
      "completed is highlighted",
    );
    assert.match((await completed.locator(".facts").textContent()) ?? "", /24 deltas · 876 tokens/);
    assert.ok((await page.locator("#messages tr").count()) > 5, "recent messages are listed");

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.deepEqual([...readFileSync(SCREENSHOT).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], "a PNG");
    const origin = new URL(inspector.url).origin;
    assert.deepEqual(
      requested.filter((url) => !url.startsWith(origin)),
      [],
      "only the inspector itself was asked for anything",
    );
    await page.close();
  });

  it("closing the client ends the page's stream and stops the server", async () => {
    const page = await browser.newPage();
    await page.goto(inspector.url);
    await page.locator("#live.on").waitFor();
    await codex.close();
    await page.locator("#live", { hasText: "client closed" }).waitFor();
    await inspector.closed;
    await page.close();
  });
});
