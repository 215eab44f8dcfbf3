import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AsyncCodex, daemonSocketPath, type ThreadItem } from "../../src/index.js";
import { createOfflineEnvironment, textReply, type OfflineEnvironment } from "../../src/testing/index.js";
import { startTestDaemon, type TestDaemon } from "../support/daemon.js";
import { offlineClientConfig } from "../support/offline-client.js";
import { killProcessesUsingHome, processesUsingHome, waitUntilNoProcessUsesHome } from "../support/processes.js";
import { within } from "../support/within.js";

/**
 * `connect: "daemon"` against a real codex daemon (`codex app-server daemon start`) in a temporary CODEX_HOME,
 * offline: a turn keeps running on the daemon after the client that started it has gone, and a new client
 * resumes the thread and reads the turn's result.
 */

const WORDS = Array.from({ length: 20 }, (_, i) => `word${i}`).join(" ");

let offline: OfflineEnvironment;
let daemon: TestDaemon | undefined;

function agentTexts(items: readonly ThreadItem[]): string[] {
  return items.flatMap((item) => (item.type === "agentMessage" ? [item.text] : []));
}

describe("the codex daemon", { timeout: 120_000 }, () => {
  before(async () => {
    offline = await createOfflineEnvironment();
    daemon = await startTestDaemon(offlineClientConfig(offline).env as Record<string, string | undefined>);
  });

  after(async () => {
    await daemon?.stop();
    assert.deepEqual(
      await waitUntilNoProcessUsesHome(offline.home.path, 5_000),
      [],
      "no daemon process is left running",
    );
    killProcessesUsingHome(offline.home.path);
    await offline.close();
  });

  it('listens on CODEX_HOME/app-server-control/app-server-control.sock, where connect: "daemon" finds it', async () => {
    assert.equal(daemon!.started.socketPath, daemonSocketPath({ CODEX_HOME: offline.home.path }));
    const codex = new AsyncCodex({ ...offlineClientConfig(offline), connect: "daemon" });
    try {
      await codex.start();
      assert.equal(codex.metadata.codexHome, offline.home.path);
    } finally {
      await codex.close();
    }
    assert.ok(
      processesUsingHome(offline.home.path).includes(daemon!.started.pid),
      "closing the client leaves the daemon running",
    );
  });

  it("a turn keeps going after its client has gone; a new client resumes the thread and reads the turn's result", async () => {
    const first = new AsyncCodex({ ...offlineClientConfig(offline), connect: "daemon" });
    offline.provider.enqueue(textReply(WORDS, { deltas: 20, deltaDelayMs: 100 }));
    const thread = await first.threadStart();
    const handle = await thread.turn("Take your time.");
    for await (const notification of handle.stream()) if (notification.method === "item/agentMessage/delta") break;
    await first.close(); // the first client goes away mid-turn (about 1.9 s of deltas still to come)

    const second = new AsyncCodex({ ...offlineClientConfig(offline), connect: "daemon" });
    try {
      const resumed = await second.threadResume(thread.id);
      const turn = await within(
        30_000,
        "the turn to complete on the daemon",
        (async () => {
          for (;;) {
            const { thread: read } = await resumed.read({ includeTurns: true });
            const found = read.turns.find((t) => t.id === handle.id);
            if (found !== undefined && found.status !== "inProgress") return found;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        })(),
      );
      assert.equal(turn.status, "completed", "the turn was not interrupted by its client going away");
      assert.deepEqual(agentTexts(turn.items), [WORDS], "the whole answer was streamed to the end");
      offline.provider.enqueue(textReply("Still here."));
      assert.equal((await resumed.run("And now?")).finalResponse, "Still here.");
    } finally {
      await second.close();
    }
  });
});
