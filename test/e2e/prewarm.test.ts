import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { waitFor } from "xstate";
import { AsyncCodex, InvalidInputError } from "../../src/index.js";
import { createMemoryTransportPair } from "../../src/transport/memory-transport.js";
import { createOfflineEnvironment, textReply, type OfflineEnvironment } from "../../src/testing/index.js";
import { offlineClientConfig } from "../support/offline-client.js";
import { killProcessesUsingHome, processesUsingHome, waitUntilNoProcessUsesHome } from "../support/processes.js";
import { within } from "../support/within.js";

/**
 * `prewarm: true` against the real app-server, offline: a spare app-server is started beside the client's,
 * the next client of the same config takes it (and a new spare starts), the taken app-server runs turns, and
 * the spare ends with the last client.
 */

/** The codex processes of this home (not the short-lived commands codex runs at start, which share its env). */
function codexPids(home: string): number[] {
  return processesUsingHome(home).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, "utf8").includes("codex");
    } catch {
      return false;
    }
  });
}

async function until(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

describe("prewarm: a spare app-server for the next start", () => {
  let offline: OfflineEnvironment;
  before(async () => {
    offline = await createOfflineEnvironment({ fallback: textReply("Warm and ready.", { deltas: 3 }) });
  });
  after(async () => {
    killProcessesUsingHome(offline.home.path);
    await offline.close();
  });

  it("the second client takes the first one's spare, runs a turn on it, and the spare ends with the last client", async () => {
    const home = offline.home.path;
    const first = new AsyncCodex(offlineClientConfig(offline, { prewarm: true }));
    const second = new AsyncCodex(offlineClientConfig(offline, { prewarm: true }));
    try {
      await within(60_000, "the first client starts", first.start());
      await until("a spare runs beside the first client's app-server", () => codexPids(home).length === 2);
      const spare = codexPids(home).sort((a, b) => a - b)[1]!;

      await within(60_000, "the second client starts on the spare", second.start());
      // The spare is now the second client's app-server (still running), and a new spare starts.
      await until("a new spare starts", () => codexPids(home).length === 3);
      assert.ok(codexPids(home).includes(spare), "the spare taken is still running, as the second client's app-server");

      const thread = await second.threadStart();
      const result = await within(60_000, "a turn on the taken app-server", thread.run("Are you warm?"));
      assert.equal(result.finalResponse, "Warm and ready.");
      assert.equal(second.metadata.serverInfo.name.length > 0, true);

      // Closing the second client ends the app-server it took: the one that was the spare.
      await second.close();
      await until("the second client's app-server has exited", () => !codexPids(home).includes(spare), 10_000);
      assert.equal(
        codexPids(home).length,
        2,
        "the first client's app-server and the new spare stay while the first client is open",
      );
    } finally {
      await first.close();
      await second.close();
    }
    assert.deepEqual(await waitUntilNoProcessUsesHome(home, 10_000), [], "the spare ends with the last client");
  });

  it("a restart takes the spare: the killed app-server is replaced by the one already running, and a new spare starts", async () => {
    const home = offline.home.path;
    const codex = new AsyncCodex(
      offlineClientConfig(offline, {
        prewarm: true,
        restart: { maxRestarts: 2, backoff: { initialMs: 50, jitter: 0 } },
      }),
    );
    try {
      await within(60_000, "the client starts", codex.start());
      await until("a spare runs beside the client's app-server", () => codexPids(home).length === 2);
      const first = codex.pid!;
      const spare = codexPids(home).find((pid) => pid !== first)!;
      const thread = await codex.threadStart();
      assert.equal(
        (await within(60_000, "a turn before the kill", thread.run("Before?"))).finalResponse,
        "Warm and ready.",
      );

      process.kill(-first, "SIGKILL");
      await within(
        60_000,
        "the restart",
        waitFor(codex.lifecycle, (state) => state.matches("ready") && state.context.restarts >= 1),
      );
      assert.equal(codex.pid, spare, "the restarted client runs on the spare, not on a fresh spawn");
      await until("a new spare starts", () => codexPids(home).length === 2 && !codexPids(home).includes(first));
      const result = await within(60_000, "a turn after the restart", thread.run("After?"));
      assert.equal(result.finalResponse, "Warm and ready.");
    } finally {
      await codex.close();
    }
    assert.deepEqual(await waitUntilNoProcessUsesHome(home, 10_000), [], "the spare ends with the client");
  });

  it("refuses a prewarm that is not a boolean, and prewarm with a transport of one's own", () => {
    assert.throws(
      () => new AsyncCodex({ prewarm: "yes" as never }),
      (error: unknown) => error instanceof InvalidInputError && /`prewarm` must be a boolean/.test(error.message),
    );
    assert.throws(
      () => new AsyncCodex({ prewarm: true, transport: () => createMemoryTransportPair()[0] }),
      (error: unknown) => error instanceof InvalidInputError && /prewarm.*transport/.test(error.message),
    );
  });
});
