import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AsyncCodex, TransportClosedError, TurnLostError, type AsyncThread } from "../../src/index.js";
import { createOfflineEnvironment, textReply, type OfflineEnvironment } from "../../src/testing/index.js";
import { offlineClientConfig } from "../support/offline-client.js";
import { killProcessesUsingHome, processesUsingHome, waitUntilNoProcessUsesHome } from "../support/processes.js";
import { within } from "../support/within.js";

/**
 * Soak: turns on several threads while the app-server is killed (SIGKILL to its process group) every
 * `RESTART_SOAK_KILL_EVERY` turns. Every turn must be accounted for: completed, lost (with TurnLostError), or
 * refused at its start (its turn/start was cut off: TransportClosedError) — none silently missing — and no
 * codex process may be left. CI runs a small size; the size is
 * `RESTART_SOAK_TURNS=500 RESTART_SOAK_KILL_EVERY=50 node --import tsx --test test/e2e/restart-soak.test.ts`.
 */

const TURNS = Number(process.env.RESTART_SOAK_TURNS ?? 100);
const KILL_EVERY = Number(process.env.RESTART_SOAK_KILL_EVERY ?? 25);
const THREADS = Number(process.env.RESTART_SOAK_THREADS ?? 4);
const TURN_WAIT_MS = 60_000;

let offline: OfflineEnvironment;

describe(
  `restart soak: ${TURNS} turns on ${THREADS} threads, the app-server killed every ${KILL_EVERY} turns`,
  { timeout: 60_000 + TURNS * 2_000 },
  () => {
    before(async () => {
      offline = await createOfflineEnvironment();
      // Every turn streams a few deltas, so that some kills land in the middle of a turn.
      offline.provider.setFallback(textReply("one two three four five", { deltas: 5, deltaDelayMs: 15 }));
    });

    after(async () => {
      killProcessesUsingHome(offline.home.path);
      await offline.close();
    });

    it("every turn is completed, lost with TurnLostError, or refused at its start; none is missing; no process is left", async () => {
      const codex = new AsyncCodex(
        offlineClientConfig(offline, {
          restart: { maxRestarts: 5, backoff: { initialMs: 50, maxMs: 500 }, resetAfterMs: 1_000 },
        }),
      );
      const completed = new Set<string>();
      const lost = new Map<string, TurnLostError>();
      const reported: TurnLostError[] = [];
      codex.on("turnLost", ({ data }) => void reported.push(data));
      let refusedAtStart = 0;
      let started = 0;
      let kills = 0;
      const killed: number[] = [];
      const unexpected: unknown[] = [];
      try {
        const threads: AsyncThread[] = [];
        for (let i = 0; i < THREADS; i++) threads.push(await codex.threadStart());
        // A first turn on each thread writes it down, so that it can be resumed after a kill.
        for (const thread of threads) await thread.run("hello");

        const work = threads.map(async (thread) => {
          while (started < TURNS) {
            started++;
            if (started % KILL_EVERY === 0) {
              const pid = codex.pid;
              if (pid !== null) {
                process.kill(-pid, "SIGKILL");
                killed.push(pid);
                kills++;
              }
            }
            let handle;
            try {
              handle = await within(TURN_WAIT_MS, "turn/start", thread.turn(`turn ${started}`));
            } catch (error) {
              if (error instanceof TransportClosedError && !(error instanceof TurnLostError)) refusedAtStart++;
              else unexpected.push(error);
              continue;
            }
            try {
              const turn = await within(TURN_WAIT_MS, `turn ${handle.id} to end`, handle.run());
              if (turn.status === "completed") completed.add(turn.id);
              else unexpected.push(new Error(`turn ${turn.id} ended ${turn.status}`));
            } catch (error) {
              if (error instanceof TurnLostError && error.turnId === handle.id) lost.set(handle.id, error);
              else unexpected.push(error);
            }
          }
        });
        await Promise.all(work);

        assert.deepEqual(unexpected, [], "no turn ended in a way the client does not report");
        assert.equal(completed.size + lost.size + refusedAtStart, started, "every turn is accounted for");
        assert.ok(kills >= Math.floor(TURNS / KILL_EVERY) - 1, `only ${kills} kills`);
        assert.equal(new Set(reported).size, lost.size, "each lost turn was reported once as a turnLost event");
        for (const error of lost.values()) assert.ok(reported.includes(error));

        // The server's side: every turn it has is one the client completed, lost, or saw refused at its start.
        let serverOnly = 0;
        for (const thread of threads) {
          const { thread: read } = await thread.read({ includeTurns: true });
          for (const turn of read.turns.slice(1)) {
            if (completed.has(turn.id)) assert.equal(turn.status, "completed");
            else if (!lost.has(turn.id)) serverOnly++;
          }
        }
        assert.ok(
          serverOnly <= refusedAtStart,
          `${serverOnly} turns on the server that the client never reported (refused at start: ${refusedAtStart})`,
        );
        for (const pid of killed)
          assert.ok(!processesUsingHome(offline.home.path).includes(pid), `killed app-server ${pid} still runs`);

        const withServerAccount = [...lost.values()].filter((error) => error.serverTurn !== null).length;
        console.log(
          JSON.stringify({
            turns: started,
            threads: THREADS,
            kills,
            restarts: codex.lifecycle.getSnapshot().context.restarts,
            completed: completed.size,
            lost: lost.size,
            lostWithServerAccount: withServerAccount,
            refusedAtStart,
            silentlyMissing: started - completed.size - lost.size - refusedAtStart,
            serverTurnsNotReportedAsCompletedOrLost: serverOnly,
          }),
        );
      } finally {
        await within(30_000, "close()", codex.close());
      }
      const orphans = await waitUntilNoProcessUsesHome(offline.home.path, 5_000);
      console.log(JSON.stringify({ orphanProcesses: orphans.length }));
      assert.deepEqual(orphans, [], "no codex process outlived the soak");
    });
  },
);
