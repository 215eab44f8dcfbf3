import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { createOfflineEnvironment, textReply, type OfflineEnvironment } from "../../src/testing/index.js";
import { killProcessesUsingHome, processesUsingHome, waitUntilNoProcessUsesHome } from "../support/processes.js";
import { within } from "../support/within.js";

/**
 * The synchronous Codex gets the same restart policy through its worker. It runs in a child process
 * (`test/fixtures/sync-restart/child.ts`): it blocks while a call waits, and the scripted provider lives here.
 */

const CHILD = fileURLToPath(new URL("../fixtures/sync-restart/child.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WAIT_MS = 60_000;

let offline: OfflineEnvironment;
let child: ChildProcessWithoutNullStreams | undefined;

/** The one app-server of this home that is not `killed`, once it runs. */
async function appServer(killed?: number): Promise<number> {
  for (;;) {
    const running = processesUsingHome(offline.home.path).filter((pid) => pid !== killed);
    if (running.length > 0) return Math.min(...running);
    await delay(25);
  }
}

describe("the synchronous Codex restarts a dead app-server", { timeout: 180_000 }, () => {
  before(async () => {
    offline = await createOfflineEnvironment();
  });

  after(async () => {
    child?.kill("SIGKILL");
    killProcessesUsingHome(offline.home.path);
    await offline.close();
  });

  it("killed while idle and mid-turn: the thread goes on, the lost turn throws TurnLostError, the events reach the caller's thread", async () => {
    let stderr = "";
    child = spawn(process.execPath, ["--import", "tsx", CHILD], {
      cwd: ROOT,
      env: { ...process.env, SYNC_FIXTURE: JSON.stringify({ env: offline.env, cwd: offline.cwd }) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async (step: string) => {
      const line = await within(WAIT_MS, `the child's "${step}"`, lines.next());
      assert.ok(!line.done, `the child ended before "${step}"; stderr:\n${stderr}`);
      const report = JSON.parse(line.value) as Record<string, unknown>;
      assert.equal(report.step, step, `stderr:\n${stderr}`);
      return report;
    };

    assert.equal((await next("first")).answer, "ok");
    await next("killMeIdle");
    const first = await appServer();
    process.kill(-first, "SIGKILL");
    const second = await within(WAIT_MS, "the restarted app-server", appServer(first));
    await delay(500); // its handshake with the worker
    child.stdin.write("go\n");
    const afterIdle = await next("afterIdleKill");
    assert.equal(afterIdle.answer, "ok");
    assert.deepEqual(afterIdle.events, [
      { name: "restarting", attempt: 1, errorIsError: true, lost: false },
      { name: "restarted", attempt: 1, errorIsError: false, lost: false },
      { name: "threadResumed", errorIsError: false, lost: false },
    ]);

    offline.provider.enqueue(textReply("slowly streamed words one by one and more", { deltas: 30, deltaDelayMs: 100 }));
    const requests = offline.provider.responsesRequests.length;
    await next("turning");
    await within(WAIT_MS, "the lost turn's model request", offline.provider.waitForRequest(requests + 1));
    await delay(300);
    process.kill(-second, "SIGKILL");
    const lost = await next("lostTurn");
    assert.deepEqual(lost, {
      step: "lostTurn",
      threw: true,
      isTurnLost: true,
      threadMatches: true,
      serverStatus: "interrupted",
      items: lost.items,
    });
    assert.ok((lost.items as number) > 0, "the items seen so far came across");
    await next("afterLoss");
    offline.provider.reset();
    await within(WAIT_MS, "the second restart", appServer(second));
    await delay(500);
    child.stdin.write("go\n");
    const afterTurn = await next("afterTurnKill");
    assert.equal(afterTurn.answer, "ok");
    assert.deepEqual(
      (afterTurn.events as { name: string }[]).map((event) => event.name),
      ["restarting", "restarted", "turnLost", "threadResumed"],
    );
    await next("closed");
    assert.deepEqual(
      await waitUntilNoProcessUsesHome(offline.home.path, 5_000),
      [],
      "a codex process outlived close()",
    );
  });
});
