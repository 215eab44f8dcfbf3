import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import {
  createOfflineEnvironment,
  execCommandReply,
  textReply,
  type OfflineEnvironment,
} from "../../src/testing/index.js";
import { ScenarioChild, type Step } from "../fixtures/sync-client/child.js";
import { killProcessesUsingHome, processesUsingHome, waitUntilNoProcessUsesHome } from "../support/processes.js";

let offline: OfflineEnvironment;
const children: ScenarioChild[] = [];

function start(...scenario: string[]): ScenarioChild {
  const child = ScenarioChild.start(scenario, offline);
  children.push(child);
  return child;
}

before(async () => {
  offline = await createOfflineEnvironment();
});

after(async () => {
  for (const child of children) child.kill();
  if (offline !== undefined) {
    killProcessesUsingHome(offline.home.path);
    await offline.close();
  }
});

describe(
  "the synchronous Codex really blocks: every call of a user script, in a child process",
  { timeout: 120_000 },
  () => {
    let child: ScenarioChild;

    before(() => {
      offline.provider.reset();
      offline.provider.enqueue(
        textReply("First."),
        textReply("Hello there friend.", { deltas: 3 }),
        textReply("The answer."),
        textReply("Never ending", { end: { type: "hang" } }),
        execCommandReply("touch accepted.txt"),
        textReply("Done."),
        execCommandReply("touch declined.txt"),
        textReply("Done."),
        // the call comes 600 ms into the stream: after turn() has returned, while the script sleeps between calls
        execCommandReply("touch later.txt", { preamble: "Looking.", deltaDelayMs: 600 }),
        textReply("Done."),
        ...["client.txt", "thrown.txt", "promised.txt"].flatMap((file) => [
          execCommandReply(`touch ${file}`),
          textReply("Done."),
        ]),
      );
      child = start("tour");
    });

    it("the constructor starts the app-server and runs the handshake before it returns", async () => {
      const started = await child.next("started");
      assert.match(String(started.version), /^\d+\.\d+\.\d+/);
      assert.ok(processesUsingHome(offline.home.path).length > 0, "no app-server is running after new Codex()");
      child.go();
    });

    it("threadStart() returns a Thread, not a Promise", async () => {
      const step = await child.next("threadStart");
      assert.equal(step.isThread, true);
      assert.equal(step.isThenable, false);
      assert.match(String(step.id), /^[0-9a-f-]{36}$/);
    });

    it("turn(...).run() returns the turn, completed", async () => {
      const step = await child.next("turnRun");
      assert.equal(step.status, "completed");
    });

    it("for…of over stream() yields the turn's deltas in order and ends with turn/completed", async () => {
      const step = (await child.next("stream")) as Step & { methods: string[]; deltas: string[] };
      assert.equal(step.methods[0], "turn/started");
      assert.equal(step.methods.at(-1), "turn/completed");
      assert.equal(step.deltas.join(""), "Hello there friend.");
      assert.equal(step.deltas.length, 3);
    });

    it("thread.run() gives the final response", async () => {
      const step = await child.next("threadRun");
      assert.equal(step.finalResponse, "The answer.");
    });

    it("run() and stream() give up after their timeoutMs with a TimeoutError; interrupt() ends the turn; steer() after the end throws TurnNotRunningError", async () => {
      type Described = Record<string, unknown>;
      const step = (await child.next("waits")) as Step & {
        runTimedOut: Described;
        streamTimedOut: Described;
        steerAfterEnd: Described;
        streamed: string[];
      };
      assert.equal(step.runTimedOut.name, "TimeoutError");
      assert.equal(step.runTimedOut.isDomException, true);
      assert.equal(step.streamTimedOut.name, "TimeoutError");
      assert.equal(step.streamed[0], "turn/started", "the stream yielded what came before it timed out");
      assert.equal(step.interruptedStatus, "interrupted");
      assert.equal(step.steerAfterEnd.constructor, "TurnNotRunningError");
    });

    it("a request past its timeoutMs throws RequestTimeoutError instead of blocking", async () => {
      const step = await child.next("requestTimeout");
      assert.equal(step.constructor, "RequestTimeoutError");
    });

    for (const call of ["resume", "read", "missingField"]) {
      it(`a bad thread id (${call}) throws the async client's error class, with code, data and message intact`, async () => {
        const step = (await child.next(`badThread:${call}`)) as Step & {
          sync: Record<string, unknown>;
          async: Record<string, unknown>;
        };
        assert.equal(
          step.sameClass,
          true,
          `sync ${String(step.sync.constructor)} vs async ${String(step.async.constructor)}`,
        );
        assert.equal(step.isJsonRpcError, true);
        assert.deepEqual(step.sync, step.async);
      });
    }

    it("a thread's accepting approval handler lets the command run, called with the request's method and ids", async () => {
      const step = (await child.next("approvalAccepted")) as Step & { requests: Array<Record<string, unknown>> };
      assert.equal(step.status, "completed");
      assert.equal(step.fileExists, true);
      const request = step.requests.find((r) => r.method === "item/commandExecution/requestApproval");
      assert.ok(request !== undefined, `no command approval reached the handler: ${JSON.stringify(step.requests)}`);
      assert.equal(request.threadId, step.threadId);
      assert.equal(request.turnId, step.turnId);
      assert.match(String(request.command), /touch accepted\.txt/);
    });

    it("with no handler the command is declined (fail closed) and the turn still completes", async () => {
      const step = await child.next("approvalDefault");
      assert.equal(step.status, "completed");
      assert.equal(step.fileExists, false);
    });

    it("an approval that arrives while no call blocks waits for the next call, whose handler answers it", async () => {
      const step = await child.next("approvalBetweenCalls");
      assert.equal(step.ranBeforeNextCall, false);
      assert.equal(step.ranDuringNextCall, true);
      assert.equal(step.status, "completed");
      assert.equal(step.fileExists, true);
    });

    it("a client-wide handler answers for every thread; one that throws or returns a Promise declines, reported to onDiagnostic", async () => {
      const step = (await child.next("clientWideHandler")) as Step & {
        files: Record<string, boolean>;
        diagnostics: Array<{ kind: string; message: string }>;
      };
      assert.deepEqual(step.files, { "client.txt": true, "thrown.txt": false, "promised.txt": false });
      const failures = step.diagnostics.filter((d) => d.kind === "serverRequestFailed").map((d) => d.message);
      assert.ok(
        failures.some((m) => m.includes("handler exploded")),
        JSON.stringify(failures),
      );
      assert.ok(
        failures.some((m) => m.includes("must answer synchronously")),
        JSON.stringify(failures),
      );
    });

    it("after [Symbol.dispose]() no codex process remains, and later calls throw TransportClosedError", async () => {
      await child.next("disposed");
      assert.deepEqual(await waitUntilNoProcessUsesHome(offline.home.path, 5_000), []);
      child.go();
      const step = await child.next("afterClose");
      assert.equal(step.isTransportClosed, true);
      await child.next("end");
      assert.deepEqual(await child.exit(), [0, null]);
    });
  },
);

describe("no leaks: a process that leaves without closing takes its app-server along", { timeout: 120_000 }, () => {
  it("a script that ends without close() still exits by itself, and no codex process remains", async () => {
    offline.provider.reset();
    offline.provider.enqueue(textReply("Bye."));
    const child = start("abandon");
    await child.next("started");
    assert.ok(processesUsingHome(offline.home.path).length > 0);
    child.go();
    await child.next("end");
    assert.deepEqual(await child.exit(), [0, null]);
    assert.deepEqual(await waitUntilNoProcessUsesHome(offline.home.path, 5_000), []);
  });

  it("an app-server under a wrapper that outlives its stdin is killed too, when the script ends without close()", async () => {
    offline.provider.reset();
    offline.provider.enqueue(textReply("Bye."));
    const child = start("abandon", "wrapped");
    await child.next("started");
    child.go();
    await child.next("end");
    assert.deepEqual(await child.exit(), [0, null]);
    assert.deepEqual(await waitUntilNoProcessUsesHome(offline.home.path, 5_000), []);
  });

  it("SIGTERM while a call blocks ends the process at once, and no codex process remains", async () => {
    offline.provider.reset();
    offline.provider.enqueue(textReply("Never ending", { end: { type: "hang" } }));
    const child = start("hang");
    await child.next("blocking");
    await offline.provider.waitForRequest(1, { timeoutMs: 30_000 });
    child.process.kill("SIGTERM");
    assert.deepEqual(await child.exit(5_000), [null, "SIGTERM"]);
    assert.deepEqual(await waitUntilNoProcessUsesHome(offline.home.path, 5_000), []);
  });

  it("a turn that never ends cannot block a sync run() for ever: turnTimeoutMs ends the wait with a TimeoutError", async () => {
    offline.provider.reset();
    offline.provider.enqueue(textReply("Never ending", { end: { type: "hang" } }));
    const child = start("hang", "bounded");
    await child.next("blocking");
    const step = await child.next("threw", 30_000);
    assert.equal(step.name, "TimeoutError", JSON.stringify(step));
    assert.equal(step.isTransportClosed, false);
    await child.next("end");
    assert.deepEqual(await child.exit(), [0, null]);
  });

  it("when the app-server dies under a blocked call, the call throws TransportClosedError instead of waiting for ever", async () => {
    offline.provider.reset();
    offline.provider.enqueue(textReply("Never ending", { end: { type: "hang" } }));
    const child = start("hang");
    await child.next("blocking");
    await offline.provider.waitForRequest(1, { timeoutMs: 30_000 });
    await delay(2_500); // the blocked call goes through a few wait slices (1 s each) first
    killProcessesUsingHome(offline.home.path);
    const step = await child.next("threw", 30_000);
    assert.equal(step.isTransportClosed, true, JSON.stringify(step));
    assert.equal(step.reason, "exited");
    await child.next("end");
    assert.deepEqual(await child.exit(), [0, null]);
  });
});
