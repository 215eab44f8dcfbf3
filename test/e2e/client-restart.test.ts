import assert from "node:assert/strict";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { waitFor } from "xstate";
import {
  AsyncCodex,
  RestartsExhaustedError,
  ThreadLostError,
  TransportClosedError,
  TurnLostError,
  type AppServerConfig,
  type CodexEventMap,
  type ServerRequest,
} from "../../src/index.js";
import {
  createOfflineEnvironment,
  execCommandReply,
  inputTexts,
  textReply,
  type OfflineEnvironment,
} from "../../src/testing/index.js";
import { offlineClientConfig } from "../support/offline-client.js";
import { killProcessesUsingHome, processesUsingHome, waitUntilNoProcessUsesHome } from "../support/processes.js";
import { within } from "../support/within.js";

/**
 * The restart policy against the real app-server: killed (SIGKILL to its process group) idle, mid-`thread/start`,
 * mid-turn, mid-approval, during the handshake of a restart and during `close()`; a binary that crashes at once
 * on every start; a thread through three kills.
 */

const WAIT_MS = 30_000;
const POLICY = { maxRestarts: 3, backoff: { initialMs: 50, maxMs: 400, jitter: 0 } } as const;

let offline: OfflineEnvironment;

type Recorded = { [K in "restarting" | "restarted" | "threadResumed" | "turnLost"]: CodexEventMap[K][] };

function restartingClient(extra: AppServerConfig = {}): { codex: AsyncCodex; events: Recorded } {
  const codex = new AsyncCodex(offlineClientConfig(offline, { restart: POLICY, ...extra }));
  const events: Recorded = { restarting: [], restarted: [], threadResumed: [], turnLost: [] };
  codex.on("restarting", ({ data }) => void events.restarting.push(data));
  codex.on("restarted", ({ data }) => void events.restarted.push(data));
  codex.on("threadResumed", ({ data }) => void events.threadResumed.push(data));
  codex.on("turnLost", ({ data }) => void events.turnLost.push(data));
  return { codex, events };
}

/** SIGKILL to the process group of the app-server this client started (its pid, read from the client). */
function kill(codex: AsyncCodex): number {
  const pid = codex.pid;
  assert.ok(pid !== null, "the client has no app-server to kill");
  process.kill(-pid, "SIGKILL");
  return pid;
}

function restarted(codex: AsyncCodex, count: number) {
  return within(
    WAIT_MS,
    `restart ${count}`,
    waitFor(codex.lifecycle, (s) => s.matches("ready") && s.context.restarts >= count),
  );
}

/** Only the client's current app-server (and what it spawned) runs for this home: the killed one is gone. */
function onlyTheCurrentAppServerRuns(codex: AsyncCodex, killed: number): void {
  const running = processesUsingHome(offline.home.path);
  assert.ok(!running.includes(killed), `the killed app-server ${killed} still runs`);
  assert.ok(
    codex.pid !== null && running.includes(codex.pid),
    `the new app-server ${codex.pid} is not among ${running.join(", ")}`,
  );
}

async function closeLeavingNothing(codex: AsyncCodex): Promise<void> {
  await within(WAIT_MS, "close()", codex.close());
  assert.equal(codex.lifecycle.getSnapshot().value, "closed");
  assert.deepEqual(await waitUntilNoProcessUsesHome(offline.home.path, 5_000), [], "a codex process outlived close()");
}

function lastUserTexts(): string[] {
  const request = offline.provider.responsesRequests.at(-1);
  assert.ok(request !== undefined, "the model was never asked");
  return inputTexts(request);
}

describe("AsyncCodex restarts a dead app-server (the restart option)", { timeout: 180_000 }, () => {
  before(async () => {
    offline = await createOfflineEnvironment();
  });

  afterEach(() => {
    offline.provider.reset();
    killProcessesUsingHome(offline.home.path);
  });

  after(async () => {
    killProcessesUsingHome(offline.home.path);
    await offline.close();
  });

  it("killed while idle: the thread is resumed lazily with its history; an ephemeral thread, or one that never ran a turn, fails with ThreadLostError", async () => {
    const { codex, events } = restartingClient();
    try {
      const thread = await codex.threadStart({ approvalPolicy: "never" });
      const scratch = await codex.threadStart({ ephemeral: true });
      const unused = await codex.threadStart();
      offline.provider.enqueue(textReply("first answer"));
      assert.equal((await thread.run("remember the word pelican")).finalResponse, "first answer");

      const killed = kill(codex);
      await restarted(codex, 1);
      onlyTheCurrentAppServerRuns(codex, killed);
      assert.equal(events.restarting.length, 1);
      assert.equal(events.restarting[0]?.attempt, 1);
      const restartError = events.restarting[0]?.error;
      assert.ok(restartError instanceof TransportClosedError);
      assert.equal(restartError.signal, "SIGKILL");
      assert.deepEqual(events.threadResumed, [], "threads are resumed lazily, not with the restart");

      offline.provider.enqueue(textReply("second answer"));
      assert.equal(
        (await within(WAIT_MS, "a turn after the restart", thread.run("what was the word?"))).finalResponse,
        "second answer",
      );
      assert.deepEqual(events.threadResumed, [{ threadId: thread.id }]);
      assert.deepEqual(
        lastUserTexts().slice(-2),
        ["remember the word pelican", "what was the word?"],
        "the resumed thread kept its history",
      );

      await assert.rejects(
        scratch.run("still there?"),
        (error: unknown) =>
          error instanceof ThreadLostError && error.threadId === scratch.id && error.reason === "ephemeral",
      );
      await assert.rejects(
        unused.run("still there?"),
        (error: unknown) =>
          error instanceof ThreadLostError && error.threadId === unused.id && error.reason === "notPersisted",
      );
      assert.equal(events.restarted.length, 1);
      assert.equal(events.restarted[0]?.attempt, 1);
    } finally {
      await closeLeavingNothing(codex);
    }
  });

  it("killed mid-thread/start: that call rejects with TransportClosedError (its outcome unknown), and the next one works on the new app-server", async () => {
    let armed = true;
    const holder: { codex?: AsyncCodex } = {};
    const { codex, events } = restartingClient({
      trace: ({ direction, message }) => {
        if (!armed || direction !== "outgoing" || (message as { method?: string }).method !== "thread/start") return;
        armed = false;
        kill(holder.codex!);
      },
    });
    holder.codex = codex;
    try {
      await codex.start();
      const error = await within(
        WAIT_MS,
        "thread/start to settle",
        codex.threadStart().then(
          () => null,
          (thrown: unknown) => thrown,
        ),
      );
      assert.ok(error instanceof TransportClosedError, `thread/start ended with ${String(error)}`);
      assert.ok(!(error instanceof TurnLostError));
      assert.equal(error.method, "thread/start");
      const thread = await within(WAIT_MS, "thread/start after the restart", codex.threadStart());
      assert.equal((await thread.run("hello")).finalResponse, "ok");
      assert.equal(events.restarted.length, 1);
    } finally {
      await closeLeavingNothing(codex);
    }
  });

  it("killed mid-turn: the turn ends lost with TurnLostError (items seen, the server's account: interrupted), nothing is rerun, the thread goes on", async () => {
    const { codex, events } = restartingClient();
    try {
      const thread = await codex.threadStart();
      const words = Array.from({ length: 30 }, (_, i) => `w${i}`).join(" ");
      offline.provider.enqueue(textReply(words, { deltas: 30, deltaDelayMs: 100 }));
      const handle = await thread.turn("stream until you are killed");
      let killed = -1;
      const reading = (async () => {
        for await (const notification of handle.stream()) {
          if (notification.method === "item/agentMessage/delta" && killed < 0) killed = kill(codex);
        }
      })();
      const streamError = await within(
        WAIT_MS,
        "the stream to end",
        reading.then(
          () => null,
          (thrown: unknown) => thrown,
        ),
      );
      assert.ok(streamError instanceof TurnLostError, `the stream ended with ${String(streamError)}`);
      const error = await within(
        WAIT_MS,
        "run() to settle",
        handle.run().then(
          () => null,
          (thrown: unknown) => thrown,
        ),
      );
      assert.equal(error, streamError, "run() and stream() report the same loss");
      assert.ok(error instanceof TurnLostError);
      assert.ok(error instanceof TransportClosedError, "a TurnLostError is a TransportClosedError");
      assert.equal(error.threadId, thread.id);
      assert.equal(error.turnId, handle.id);
      assert.equal(error.signal, "SIGKILL");
      const message = error.items.find((item) => item.type === "agentMessage");
      assert.ok(
        message?.type === "agentMessage" && message.text.startsWith("w0"),
        "the items the client saw are kept, partial text included",
      );
      assert.equal(error.serverTurn?.id, handle.id, "the server's account of the turn is attached");
      assert.equal(error.serverTurn?.status, "interrupted");
      assert.equal(handle.actor.getSnapshot().value, "lost");
      assert.deepEqual(events.turnLost, [error]);
      onlyTheCurrentAppServerRuns(codex, killed);

      const requestsBefore = offline.provider.responsesRequests.length;
      offline.provider.enqueue(textReply("after the restart"));
      assert.equal((await within(WAIT_MS, "the next turn", thread.run("go on"))).finalResponse, "after the restart");
      assert.equal(
        offline.provider.responsesRequests.length,
        requestsBefore + 1,
        "the lost turn was not sent to the model again",
      );
      const { thread: read } = await thread.read({ includeTurns: true });
      assert.deepEqual(
        read.turns.map((turn) => turn.status),
        ["interrupted", "completed"],
      );
    } finally {
      await closeLeavingNothing(codex);
    }
  });

  it("killed mid-approval: the handler's signal fires, the turn is lost, the command never runs, and the thread works after the restart", async () => {
    let seen: ServerRequest | undefined;
    const holder: { codex?: AsyncCodex } = {};
    const { codex } = restartingClient({
      approvalHandler: async (request) => {
        if (seen !== undefined) return { decision: "decline" } as never;
        seen = request;
        kill(holder.codex!);
        await new Promise((resolve) => request.signal.addEventListener("abort", resolve, { once: true }));
        return { decision: "accept" } as never;
      },
    });
    holder.codex = codex;
    try {
      const thread = await codex.threadStart({
        approvalPolicy: "untrusted",
        sandbox: "workspace-write",
        cwd: offline.cwd,
      });
      offline.provider.enqueue(execCommandReply("touch approved-by-a-dead-server.txt"), textReply("Done."));
      const handle = await thread.turn("Create the file");
      const error = await within(
        WAIT_MS,
        "run() to settle",
        handle.run().then(
          () => null,
          (thrown: unknown) => thrown,
        ),
      );
      assert.ok(error instanceof TurnLostError, `run() ended with ${String(error)}`);
      assert.equal(seen?.method, "item/commandExecution/requestApproval");
      assert.equal(seen?.signal.aborted, true, "the handler learned that its request is gone");
      await restarted(codex, 1);
      offline.provider.reset();
      assert.equal(
        (await within(WAIT_MS, "a turn after the restart", thread.run("anything else?"))).finalResponse,
        "ok",
      );
      assert.equal(existsSync(join(offline.cwd, "approved-by-a-dead-server.txt")), false);
    } finally {
      await closeLeavingNothing(codex);
    }
  });

  it("killed during the handshake of a restart: that attempt fails, the next one succeeds", async () => {
    let initializes = 0;
    const { codex, events } = restartingClient({
      trace: ({ direction, message }) => {
        if (direction !== "outgoing" || (message as { method?: string }).method !== "initialize") return;
        if (++initializes !== 2) return;
        // The restarting app-server has no pid on the client yet: it is the one process of this home.
        for (const pid of processesUsingHome(offline.home.path)) process.kill(-pid, "SIGKILL");
      },
    });
    try {
      const thread = await codex.threadStart();
      await thread.run("a first turn, so that the thread is written down");
      kill(codex);
      await restarted(codex, 1);
      assert.equal(initializes, 3);
      assert.deepEqual(
        events.restarting.map((event) => event.attempt),
        [1, 2],
      );
      assert.equal(events.restarted[0]?.attempt, 2);
      assert.equal(codex.lifecycle.getSnapshot().context.attempt, 2);
      assert.equal((await within(WAIT_MS, "a turn after the restart", thread.run("hello again"))).finalResponse, "ok");
    } finally {
      await closeLeavingNothing(codex);
    }
  });

  it("killed during close(): close() resolves, nothing restarts, nothing is left; later calls reject", async () => {
    const { codex, events } = restartingClient();
    const thread = await codex.threadStart();
    const closing = codex.close();
    kill(codex);
    await within(WAIT_MS, "close()", closing);
    assert.equal(codex.lifecycle.getSnapshot().value, "closed");
    assert.deepEqual(events.restarting, []);
    assert.deepEqual(await waitUntilNoProcessUsesHome(offline.home.path, 5_000), []);
    await assert.rejects(thread.run("hello"), TransportClosedError);
    assert.deepEqual(processesUsingHome(offline.home.path), [], "no app-server was started by a call after close()");
  });

  it("close() during the backoff ends at once and starts nothing; a call waiting for the restart rejects", async () => {
    const { codex } = restartingClient({ restart: { backoff: { initialMs: 60_000 } } });
    const thread = await codex.threadStart();
    kill(codex);
    await within(
      WAIT_MS,
      "the backoff",
      waitFor(codex.lifecycle, (s) => s.matches({ reconnecting: "backoff" })),
    );
    const waiting = thread.run("are you back?").then(
      () => null,
      (thrown: unknown) => thrown,
    );
    await closeLeavingNothing(codex);
    assert.ok((await within(WAIT_MS, "the waiting call", waiting)) instanceof TransportClosedError);
  });

  it("a thread goes through three kills and completes a turn after each", async () => {
    const { codex, events } = restartingClient();
    try {
      const thread = await codex.threadStart();
      await thread.run("turn 0");
      for (let kills = 1; kills <= 3; kills++) {
        const killed = kill(codex);
        // Once the client has seen the loss, a call waits for the restart, then resumes the thread. (A call made
        // before that goes out on the dying connection and fails with TransportClosedError: its outcome is unknown.)
        await within(
          WAIT_MS,
          "the loss to be seen",
          waitFor(codex.lifecycle, (s) => !s.matches("ready")),
        );
        const result = await within(WAIT_MS, `the turn after kill ${kills}`, thread.run(`turn ${kills}`));
        assert.equal(result.finalResponse, "ok");
        onlyTheCurrentAppServerRuns(codex, killed);
      }
      assert.equal(codex.lifecycle.getSnapshot().context.restarts, 3);
      assert.equal(events.threadResumed.length, 3);
      const { thread: read } = await thread.read({ includeTurns: true });
      assert.deepEqual(
        read.turns.map((turn) => turn.status),
        ["completed", "completed", "completed", "completed"],
      );
    } finally {
      await closeLeavingNothing(codex);
    }
  });
});

describe("a binary that crashes at once on every start exhausts the policy", { timeout: 120_000 }, () => {
  let crashOffline: OfflineEnvironment;

  before(async () => {
    crashOffline = await createOfflineEnvironment();
  });

  after(async () => {
    killProcessesUsingHome(crashOffline.home.path);
    await crashOffline.close();
  });

  /** A codexBin that counts its starts in a file, then crashes — or, with `firstWorks`, runs the real codex once. */
  function crashingBinary(name: string, firstWorks: boolean): { codexBin: string; starts: () => number } {
    const counter = join(crashOffline.cwd, `${name}.starts`);
    const codexBin = join(crashOffline.cwd, `${name}.sh`);
    writeFileSync(
      codexBin,
      [
        "#!/bin/sh",
        `echo start >> '${counter}'`,
        ...(firstWorks
          ? [`if [ "$(wc -l < '${counter}')" -eq 1 ]; then exec '${crashOffline.codexBin}' "$@"; fi`]
          : []),
        "echo 'crashing on purpose' >&2",
        "exit 3",
        "",
      ].join("\n"),
    );
    chmodSync(codexBin, 0o755);
    const starts = () => (existsSync(counter) ? readFileSync(counter, "utf8").split("\n").filter(Boolean).length : 0);
    return { codexBin, starts };
  }

  function client(codexBin: string) {
    const restarting: CodexEventMap["restarting"][] = [];
    const codex = new AsyncCodex(
      offlineClientConfig(crashOffline, {
        codexBin,
        restart: { maxRestarts: 2, backoff: { initialMs: 40, factor: 2, jitter: 0 } },
      }),
    );
    codex.on("restarting", ({ data }) => void restarting.push(data));
    return { codex, restarting };
  }

  it("the first start: retried under the policy with a growing backoff, then RestartsExhaustedError with every cause; back to idle, and the next call tries again", async () => {
    const binary = crashingBinary("always", false);
    const { codex, restarting } = client(binary.codexBin);
    try {
      const error = await within(
        WAIT_MS,
        "start()",
        codex.start().then(
          () => null,
          (thrown: unknown) => thrown,
        ),
      );
      assert.ok(error instanceof RestartsExhaustedError, `start() ended with ${String(error)}`);
      assert.equal(error.attempts, 2);
      assert.equal(error.causes.length, 3, "the failed start and both attempts");
      for (const cause of error.causes) {
        assert.ok(cause instanceof TransportClosedError);
        assert.equal(cause.exitCode, 3);
        assert.match(cause.stderrTail, /crashing on purpose/);
      }
      assert.match(error.message, /could not be started: 2 attempts failed/);
      assert.equal(binary.starts(), 3, "exactly one start and maxRestarts attempts: no tight loop");
      assert.deepEqual(
        restarting.map((event) => [event.attempt, event.delayMs]),
        [
          [1, 40],
          [2, 80],
        ],
        "a backoff before each attempt, growing by the factor",
      );
      assert.equal(codex.lifecycle.getSnapshot().value, "idle");

      await assert.rejects(codex.threadStart(), RestartsExhaustedError);
      assert.equal(binary.starts(), 6, "the next call started afresh");
    } finally {
      await within(WAIT_MS, "close()", codex.close());
    }
    assert.deepEqual(await waitUntilNoProcessUsesHome(crashOffline.home.path, 5_000), []);
  });

  it("after a loss: every restart crashes, the client fails with the loss and each attempt's cause, and calls reject with it", async () => {
    const binary = crashingBinary("after-first", true);
    const { codex, restarting } = client(binary.codexBin);
    try {
      const thread = await codex.threadStart();
      kill(codex);
      const failed = await within(
        WAIT_MS,
        "the client to fail",
        waitFor(codex.lifecycle, (s) => s.matches("failed")),
      );
      const error = failed.context.error;
      assert.ok(error instanceof RestartsExhaustedError);
      assert.equal(error.causes.length, 3);
      const causes = error.causes.filter((cause) => cause instanceof TransportClosedError);
      assert.equal(causes.length, 3, "every cause is a TransportClosedError");
      assert.equal(causes[0]?.signal, "SIGKILL");
      assert.deepEqual(
        causes.slice(1).map((cause) => cause.exitCode),
        [3, 3],
      );
      assert.match(error.message, /could not be restarted: 2 attempts failed/);
      assert.equal(binary.starts(), 3);
      assert.equal(restarting.length, 2);
      await assert.rejects(thread.run("hello"), (thrown: unknown) => thrown === error);
      assert.equal(binary.starts(), 3, "a failed client starts nothing more");
    } finally {
      await within(WAIT_MS, "close()", codex.close());
    }
    assert.deepEqual(await waitUntilNoProcessUsesHome(crashOffline.home.path, 5_000), []);
  });
});
