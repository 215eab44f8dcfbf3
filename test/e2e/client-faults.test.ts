import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { waitFor } from "xstate";
import { AsyncCodex, TransportClosedError } from "../../src/index.js";
import { createOfflineEnvironment, textReply, type OfflineEnvironment } from "../../src/testing/index.js";
import { offlineClient, offlineClientConfig } from "../support/offline-client.js";
import { killProcessesUsingHome, processesUsingHome, waitUntilNoProcessUsesHome } from "../support/processes.js";
import { within } from "../support/within.js";

/** The async client when the real app-server dies under it, or is closed before it is ready. */

const WAIT_MS = 15_000;

let offline: OfflineEnvironment;

describe("AsyncCodex faults against the real app-server", { timeout: 60_000 }, () => {
  before(async () => {
    offline = await createOfflineEnvironment();
  });

  after(async () => {
    killProcessesUsingHome(offline.home.path);
    await offline.close();
  });

  it("when the app-server is killed mid-turn: stream() throws and run() rejects with TransportClosedError, the client goes failed, later calls reject and spawn nothing", async () => {
    const home = offline.home.path;
    const text = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    offline.provider.enqueue(textReply(text, { deltas: 40, deltaDelayMs: 100 }));
    const { codex } = offlineClient(offline);
    try {
      const thread = await codex.threadStart();
      const handle = await thread.turn("Stream until you are killed.");
      const reading = (async () => {
        for await (const notification of handle.stream()) {
          if (notification.method !== "item/agentMessage/delta") continue;
          for (const pid of processesUsingHome(home)) process.kill(pid, "SIGKILL");
        }
      })();
      const error = await within(
        WAIT_MS,
        "the stream to end",
        reading.then(
          () => null,
          (thrown: unknown) => thrown,
        ),
      );
      assert.ok(error instanceof TransportClosedError, `stream() ended with ${String(error)}`);
      assert.equal(error.reason, "exited");
      assert.equal(error.signal, "SIGKILL");
      await assert.rejects(within(WAIT_MS, "run() to settle", handle.run()), TransportClosedError);
      const failed = await within(
        WAIT_MS,
        "the lifecycle to fail",
        waitFor(codex.lifecycle, (s) => s.matches("failed")),
      );
      assert.ok(failed.context.error instanceof TransportClosedError);

      await assert.rejects(codex.threadStart(), TransportClosedError);
      await assert.rejects(thread.run("Are you there?"), TransportClosedError);
      assert.deepEqual(processesUsingHome(home), [], "no new app-server was started");
    } finally {
      await within(WAIT_MS, "close() after the failure", codex.close());
    }
    assert.equal(codex.lifecycle.getSnapshot().value, "closed");
  });

  it("close() while the client is starting (initialize sent, not answered) rejects the start and leaves no process once it resolves", async () => {
    const home = offline.home.path;
    let closing: Promise<void> | undefined;
    let stateAtClose = "";
    const codex: AsyncCodex = new AsyncCodex(
      offlineClientConfig(offline, {
        trace: ({ direction, message }) => {
          if (direction !== "outgoing" || (message as { method?: string }).method !== "initialize") return;
          const { value } = codex.lifecycle.getSnapshot();
          stateAtClose = typeof value === "string" ? value : JSON.stringify(value);
          closing = codex.close();
        },
      }),
    );
    try {
      await assert.rejects(codex.start(), TransportClosedError);
      await within(WAIT_MS, "close()", closing ?? Promise.reject(new Error("initialize was never sent")));
      assert.equal(stateAtClose, "starting");
      assert.equal(codex.lifecycle.getSnapshot().value, "closed");
      assert.deepEqual(processesUsingHome(home), [], "no process of this CODEX_HOME remains once close() has resolved");
    } finally {
      await waitUntilNoProcessUsesHome(home, 5_000);
    }
  });
});
