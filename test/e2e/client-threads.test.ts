import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  AppServerError,
  AsyncCodex,
  InvalidInputError,
  InvalidParamsError,
  InvalidRequestError,
  LocalImageInput,
  MethodNotFoundError,
  RequestAbortedError,
  TextInput,
  TransportClosedError,
  type AsyncThread,
  type Notification,
} from "../../src/index.js";
import {
  createOfflineEnvironment,
  inputTexts,
  requestKind,
  textReply,
  type OfflineEnvironment,
  type RecordedRequest,
} from "../../src/testing/index.js";
import { testedCodexVersion } from "../support/codex-version.js";
import { offlineClient } from "../support/offline-client.js";
import { killProcessesUsingHome, processesUsingHome } from "../support/processes.js";
import type { WireLog } from "../support/wire-log.js";
import { within } from "../support/within.js";
import { nextEvent } from "../support/next-event.js";

/**
 * The thread API of AsyncCodex against the real app-server, offline: the lifecycle of a first client and what
 * its close() leaves behind, then a second client on the same CODEX_HOME for resume, history, list, name,
 * fork, archive, models, the typed request(), option overrides, compaction and the errors of bad input.
 */

const WORD = "periwinkle";
const FIRST_TEXT = `Remember the word ${WORD}.`;
const WAIT_MS = 15_000;

let offline: OfflineEnvironment;
let shared: AsyncCodex;
let sharedWire: WireLog;
let firstThreadId = "";

function echo(request: RecordedRequest) {
  if (requestKind(request) === "compaction") return textReply("Summary: the user tested the client.");
  return textReply(`echo: ${inputTexts(request).at(-1) ?? ""}`, { deltas: 3 });
}

/** The requests the provider received from `from` on (`from` = the count before the action). */
function requestsSince(from: number): readonly RecordedRequest[] {
  return offline.provider.responsesRequests.slice(from);
}

describe("AsyncCodex thread API against the real app-server", { timeout: 60_000 }, () => {
  before(async () => {
    offline = await createOfflineEnvironment({ fallback: echo });
    // Lazy: its app-server starts at its first call, in the resume test, after the first client has closed.
    ({ codex: shared, wire: sharedWire } = offlineClient(offline));
  });

  after(async () => {
    await shared?.close();
    killProcessesUsingHome(offline.home.path);
    await offline.close();
  });

  it("a first client starts lazily, reports serverInfo from userAgent, emits events, and its close() ends the app-server: lifecycle idle → starting → ready → closing → closed, later calls reject", async () => {
    const home = offline.home.path;
    const { codex, wire } = offlineClient(offline);
    // A nested state's value is an object (`{ reconnecting: "backoff" }`): as JSON, not "[object Object]".
    const name = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));
    const states = [name(codex.lifecycle.getSnapshot().value)];
    codex.lifecycle.subscribe((snapshot) => {
      const value = name(snapshot.value);
      if (states.at(-1) !== value) states.push(value);
    });
    assert.throws(
      () => codex.metadata,
      (error: unknown) => error instanceof AppServerError && /start\(\)/.test(error.message),
    );
    assert.deepEqual(processesUsingHome(home), [], "nothing is spawned before the first call");

    const notifications: Notification[] = [];
    codex.on("notification", ({ data }) => {
      notifications.push(data);
    });
    const threadStarted = nextEvent(codex, "thread/started");
    let running: number[];
    let thread: AsyncThread | undefined;
    try {
      await codex.start();
      const { userAgent, serverInfo } = codex.metadata;
      assert.deepEqual(serverInfo, { name: userAgent.slice(0, userAgent.indexOf("/")), version: testedCodexVersion() });
      assert.equal(codex.metadata.codexHome, home);
      running = processesUsingHome(home);
      assert.ok(running.length > 0, "the app-server runs with this CODEX_HOME");

      thread = await codex.threadStart();
      firstThreadId = thread.id;
      assert.equal((await within(WAIT_MS, "thread/started event", threadStarted)).data.thread.id, thread.id);
      const turnCompleted = nextEvent(codex, "turn/completed", ({ data }) => data.threadId === thread?.id);
      const result = await thread.run(FIRST_TEXT);
      assert.equal(result.finalResponse, `echo: ${FIRST_TEXT}`);
      const { data: completed } = await within(WAIT_MS, "turn/completed event", turnCompleted);
      assert.equal(completed.turn.status, "completed");
      const onWire = wire.notifications().map((n) => n.method);
      assert.ok(notifications.some((n) => n.method === "turn/completed"));
      assert.deepEqual(
        notifications.map((n) => n.method),
        onWire.slice(0, notifications.length),
        "`notification` saw every notification, in order",
      );
    } finally {
      await codex.close();
    }
    assert.deepEqual(states, ["idle", "starting", "ready", "closing", "closed"]);
    assert.deepEqual(processesUsingHome(home), [], "no process of this CODEX_HOME remains once close() has resolved");

    const closedCalls: [string, () => Promise<unknown>][] = [
      ["start", () => codex.start()],
      ["threadStart", () => codex.threadStart()],
      ["threadList", () => codex.threadList()],
      ["threadResume", () => codex.threadResume(firstThreadId)],
      ["models", () => codex.models()],
      ["request", () => codex.request("thread/loaded/list", {})],
      ["thread.run", () => thread.run("after close")],
      ["thread.read", () => thread.read()],
    ];
    for (const [name, call] of closedCalls) {
      await assert.rejects(call(), (error: unknown) => {
        assert.ok(error instanceof TransportClosedError, `${name} rejected with ${String(error)}`);
        assert.match(error.message, /closed/);
        return true;
      });
    }
    assert.equal(codex.lifecycle.getSnapshot().value, "closed");
    assert.deepEqual(processesUsingHome(home), [], "calls after close() spawn nothing");
  });

  it("a second client on the same CODEX_HOME resumes the first client's thread, reads its persisted history and continues it", async () => {
    assert.notEqual(firstThreadId, "", "the first test created the thread");
    assert.equal(shared.lifecycle.getSnapshot().value, "idle");
    const resumed = await shared.threadResume(firstThreadId);
    assert.equal(resumed.id, firstThreadId);

    const { thread } = await resumed.read({ includeTurns: true });
    assert.equal(thread.turns.length, 1);
    const items = thread.turns[0]!.items;
    const user = items.find((item) => item.type === "userMessage");
    const agent = items.find((item) => item.type === "agentMessage");
    assert.ok(user?.type === "userMessage" && user.content.some((c) => c.type === "text" && c.text === FIRST_TEXT));
    assert.ok(agent?.type === "agentMessage");
    assert.equal(agent.text, `echo: ${FIRST_TEXT}`);

    const from = offline.provider.responsesRequests.length;
    const result = await resumed.run("Which word did I ask you to remember?");
    assert.equal(result.finalResponse, "echo: Which word did I ask you to remember?");
    const [request] = requestsSince(from);
    assert.ok(request, "the resumed turn reached the provider");
    assert.ok(inputTexts(request).includes(FIRST_TEXT), "the provider got the first client's turn as history");
    assert.ok(inputTexts(request, "assistant").includes(`echo: ${FIRST_TEXT}`));
  });

  it("threadList, setName, read, threadFork (a new id with the history), threadArchive / threadUnarchive round trip", async () => {
    const thread = await shared.threadStart();
    await thread.run("A thread to list, name, fork and archive.");
    assert.deepEqual(await thread.setName("client e2e thread"), {});
    assert.equal((await thread.read()).thread.name, "client e2e thread");
    const listed = (await shared.threadList()).data.find((t) => t.id === thread.id);
    assert.equal(listed?.name, "client e2e thread");
    assert.ok(
      (await shared.threadList()).data.some((t) => t.id === firstThreadId),
      "threads of the first client are listed",
    );

    const fork = await shared.threadFork(thread.id);
    assert.notEqual(fork.id, thread.id);
    const forked = (await fork.read({ includeTurns: true })).thread;
    assert.equal(forked.forkedFromId, thread.id);
    assert.equal(forked.turns.length, 1, "the fork starts with the original's history");
    await fork.run("Only in the fork.");
    assert.equal((await thread.read({ includeTurns: true })).thread.turns.length, 1, "the original is unchanged");

    const ids = async (archived: boolean) => (await shared.threadList({ archived })).data.map((t) => t.id);
    assert.deepEqual(await shared.threadArchive(fork.id), {});
    assert.ok(!(await ids(false)).includes(fork.id), "an archived thread leaves the default list");
    assert.ok((await ids(true)).includes(fork.id), "and is in the archived list");
    const unarchived = await shared.threadUnarchive(fork.id);
    assert.equal(unarchived.id, fork.id);
    assert.ok((await ids(false)).includes(fork.id));
    assert.ok(!(await ids(true)).includes(fork.id));
    assert.equal((await unarchived.read({ includeTurns: true })).thread.turns.length, 2);
  });

  it("models() lists the catalog, and includeHidden lists at least as many", async () => {
    const visible = await shared.models();
    assert.ok(visible.data.length > 0);
    assert.ok(visible.data.every((model) => typeof model.id === "string" && model.id.length > 0));
    const all = await shared.models({ includeHidden: true });
    const allIds = new Set(all.data.map((model) => model.id));
    assert.ok(visible.data.every((model) => allIds.has(model.id)));
  });

  it("request() sends any method typed by the method table, honours timeoutMs and an aborted signal, and maps errors", async () => {
    const loaded = await shared.request("thread/loaded/list", {}, { timeoutMs: 5_000 });
    const ids: string[] = loaded.data;
    assert.ok(ids.includes(firstThreadId));

    const sent = sharedWire.sentMethods().length;
    const aborted = AbortSignal.abort(new Error("not wanted"));
    await assert.rejects(shared.request("model/list", {}, { signal: aborted }), RequestAbortedError);
    assert.equal(sharedWire.sentMethods().length, sent, "an aborted request is not sent");

    await assert.rejects(shared.request("thread/nope" as never, {} as never), MethodNotFoundError);

    // Compile-time only: the method table types the params and the result.
    const typed = async () => {
      // @ts-expect-error an unknown method is a type error
      await shared.request("thread/nope", {});
      // @ts-expect-error thread/read needs a threadId
      await shared.request("thread/read", {});
      const read = await shared.request("thread/read", { threadId: "t" });
      // @ts-expect-error the result is typed
      // eslint-disable-next-line @typescript-eslint/no-unused-expressions -- compile-time only: the @ts-expect-error above is the check
      read.thread.noSuchField;
    };
    assert.equal(typeof typed, "function"); // never called: the block above is checked by the compiler, not run
  });

  it("thread options (model) and turn options (model) reach the provider's request", async () => {
    const thread = await shared.threadStart({ model: "thread-model-override" });
    const from = offline.provider.responsesRequests.length;
    await thread.run("With the thread's model.");
    await thread.run("With the turn's model.", { model: "turn-model-override" });
    const models = requestsSince(from).map((request) => (request.body as { model?: string }).model);
    assert.deepEqual(models, ["thread-model-override", "turn-model-override"]);
  });

  it("compact() starts a compaction that reaches the provider as a compaction request and completes", async () => {
    const thread = await shared.threadStart();
    await thread.run("Something to compact.");
    const from = offline.provider.responsesRequests.length;
    const compacted = nextEvent(
      shared,
      "item/completed",
      ({ data }) => data.threadId === thread.id && data.item.type === "contextCompaction",
    );
    const completed = nextEvent(shared, "turn/completed", ({ data }) => data.threadId === thread.id);
    assert.deepEqual(await thread.compact(), {});
    const request = await offline.provider.waitForRequest(from + 1, { timeoutMs: WAIT_MS });
    assert.equal(requestKind(request), "compaction");
    await within(WAIT_MS, "the contextCompaction item", compacted);
    assert.equal((await within(WAIT_MS, "the compaction turn to end", completed)).data.turn.status, "completed");
  });

  it("a malformed thread id gives InvalidParamsError and an unknown one InvalidRequestError, naming the method", async () => {
    for (const call of [
      () => shared.threadResume("not-a-thread"),
      () => shared.threadFork("not-a-thread"),
      () => shared.threadArchive("not-a-thread"),
      () => shared.threadUnarchive("not-a-thread"),
    ]) {
      await assert.rejects(
        call(),
        (error: unknown) => error instanceof InvalidParamsError && /not-a-thread/.test(error.message),
      );
    }
    const unknown = "01a210e9-3af8-74b3-a02f-c4331a38eaa8";
    await assert.rejects(
      shared.threadResume(unknown),
      (error: unknown) => error instanceof InvalidRequestError && /thread\/resume/.test(error.message),
    );
    await assert.rejects(shared.threadFork(unknown), InvalidRequestError);
  });

  it("bad input (an empty list, a missing local image, a non-input) is rejected before anything is sent", async () => {
    const thread = await shared.threadStart();
    const sent = sharedWire.sentMethods().length;
    const requests = offline.provider.responsesRequests.length;
    const missing = join(offline.cwd, "no-such-image.png");
    await assert.rejects(
      thread.turn([]),
      (error: unknown) => error instanceof InvalidInputError && /empty/.test(error.message),
    );
    await assert.rejects(thread.run([]), InvalidInputError);
    await assert.rejects(
      thread.turn([new TextInput("Look at this."), new LocalImageInput(missing)]),
      (error: unknown) => error instanceof InvalidInputError && error.message.includes(missing),
    );
    await assert.rejects(thread.turn(42 as never), InvalidInputError);
    assert.deepEqual(sharedWire.sentMethods().slice(sent), [], "no request was sent");
    assert.equal(offline.provider.responsesRequests.length, requests, "the provider saw no request");
  });
});
