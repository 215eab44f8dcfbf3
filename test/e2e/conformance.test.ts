import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  createOfflineEnvironment,
  execCommandReply,
  failedReply,
  functionCallOutputs,
  httpErrorReply,
  inputTexts,
  messagesReply,
  requestKind,
  textReply,
  type OfflineEnvironment,
} from "../../src/testing/index.js";
import { checkReceived, type CheckFailure } from "./message-check.js";
import { RawPeer, RawRpcError, type ReceivedMessage } from "./raw-peer.js";

/**
 * Issue 3(b): every message the real app-server sends during a range of real scenarios passes its method's
 * validator. One app-server process serves every scenario; the last test checks all collected messages.
 */

type Params = Record<string, unknown>;
interface TurnRun {
  turnId: string;
  status: string;
  turn: Params;
  events: { method: string; params: Params }[];
}

let offline: OfflineEnvironment;
let peer: RawPeer;
let threadId: string;
const approvals: string[] = [];
let processTree: number[] = [];

async function startThread(params: Params = {}): Promise<string> {
  const result = await peer.request<{ thread: { id: string } }>("thread/start", { cwd: offline.cwd, ...params });
  return result.thread.id;
}

/** Starts a turn, runs `onStarted` with its id, and reads to its `turn/completed`. */
async function runTurn(
  thread: string,
  text: string,
  options: { onStarted?: (turnId: string) => Promise<void> } = {},
): Promise<TurnRun> {
  const from = peer.received.length;
  const started = await peer.request<{ turn: { id: string } }>("turn/start", {
    threadId: thread,
    input: [{ type: "text", text }],
  });
  const turnId = started.turn.id;
  await options.onStarted?.(turnId);
  const completed = await peer.waitForNotification("turn/completed", (p) => (p.turn as { id: string }).id === turnId, {
    from,
    timeoutMs: 15_000,
  });
  const turn = completed.turn as Params;
  const events = peer.received
    .slice(from)
    .filter((m): m is Extract<ReceivedMessage, { kind: "notification" }> => m.kind === "notification")
    .map((m) => ({ method: m.method, params: m.params as Params }))
    .filter((e) => e.params.turnId === turnId || (e.params.turn as Params | undefined)?.id === turnId);
  return { turnId, status: turn.status as string, turn, events };
}

function deltasOf(run: TurnRun): string[] {
  return run.events.filter((e) => e.method === "item/agentMessage/delta").map((e) => e.params.delta as string);
}

function completedItems(run: TurnRun, type: string): Params[] {
  return run.events
    .filter((e) => e.method === "item/completed" && (e.params.item as Params).type === type)
    .map((e) => e.params.item as Params);
}

describe("conformance: every message the real app-server sends passes its validator", { timeout: 60_000 }, () => {
  before(async () => {
    offline = await createOfflineEnvironment();
    peer = RawPeer.start({
      ...offline.command,
      env: offline.env,
      cwd: offline.cwd,
      onServerRequest: (request) => {
        if (request.method !== "item/commandExecution/requestApproval") return undefined;
        const decision = approvals.shift();
        return decision === undefined ? undefined : { decision };
      },
    });
    await peer.request("initialize", {
      clientInfo: { name: "conformance_test", title: "Conformance test", version: "0.0.0" },
      capabilities: { experimentalApi: true },
    });
    peer.notify("initialized");
    threadId = await startThread();
    processTree = peer.descendants();
  });

  after(async () => {
    try {
      if (peer !== undefined) processTree.push(...peer.descendants());
      await peer?.kill();
    } finally {
      await offline?.close();
    }
    const survivors = [...new Set(processTree)].filter((pid) => RawPeer.isAlive(pid));
    assert.deepEqual(survivors, [], "the app-server and its children are gone");
  });

  it("a text turn streams several deltas that reassemble the scripted text", async () => {
    const text = "Conformance checks every message: notifications, requests and responses alike.";
    offline.provider.enqueue(textReply(text, { deltas: 8, usage: { inputTokens: 100, outputTokens: 20 } }));
    const run = await runTurn(threadId, "Say something long");
    assert.equal(run.status, "completed");
    assert.equal(deltasOf(run).length, 8);
    assert.equal(deltasOf(run).join(""), text);
  });

  it("a long answer streams 150 deltas", async () => {
    const words = Array.from({ length: 150 }, (_, i) => `w${i}`).join(" ");
    offline.provider.enqueue(textReply(words));
    const run = await runTurn(threadId, "Count to 150");
    assert.equal(deltasOf(run).length, 150);
    assert.equal(completedItems(run, "agentMessage")[0]?.text, words);
  });

  it("reasoning, a commentary message and a final answer arrive as separate items with their phases", async () => {
    offline.provider.enqueue(
      messagesReply([
        { type: "reasoning", summary: "Weighing the options carefully", deltas: 3 },
        { type: "message", text: "Let me check.", phase: "commentary" },
        { type: "message", text: "Checked: all good.", phase: "final_answer" },
      ]),
    );
    const run = await runTurn(threadId, "Think, then answer");
    assert.deepEqual(
      completedItems(run, "agentMessage").map((item) => [item.text, item.phase]),
      [
        ["Let me check.", "commentary"],
        ["Checked: all good.", "final_answer"],
      ],
    );
    assert.deepEqual(completedItems(run, "reasoning")[0]?.summary, ["Weighing the options carefully"]);
  });

  it("an exec_command tool call runs under approval_policy never and its output goes back to the provider", async () => {
    const before = offline.provider.responsesRequests.length;
    offline.provider.enqueue(
      execCommandReply("echo conformance-$((6*7))", { callId: "call_conformance_1", preamble: "Running it." }),
      textReply("The command printed conformance-42."),
    );
    const run = await runTurn(threadId, "Run a command");
    assert.equal(run.status, "completed");
    const command = completedItems(run, "commandExecution")[0];
    assert.equal(command?.id, "call_conformance_1");
    assert.equal(command?.exitCode, 0);
    assert.match(String(command?.aggregatedOutput), /conformance-42/);
    const followUp = offline.provider.responsesRequests[before + 1];
    assert.ok(followUp, "codex sent the tool output back");
    const [output] = functionCallOutputs(followUp);
    assert.equal(output?.callId, "call_conformance_1");
    assert.match(output?.output ?? "", /conformance-42/);
  });

  it("an HTTP 500 from the provider fails the turn with an error notification", async () => {
    offline.provider.enqueue(httpErrorReply(500));
    const run = await runTurn(threadId, "Fail with 500");
    assert.equal(run.status, "failed");
    const error = run.events.find((e) => e.method === "error")?.params;
    assert.equal(error?.willRetry, false);
    assert.equal((error?.error as Params | undefined)?.codexErrorInfo, "internalServerError");
  });

  it("a response.failed event fails the turn with the provider's message", async () => {
    offline.provider.enqueue(failedReply("the scripted model gave up", { code: "server_error" }));
    const run = await runTurn(threadId, "Fail with response.failed");
    assert.equal(run.status, "failed");
    assert.match(String((run.turn.error as Params).message), /the scripted model gave up/);
  });

  it("a stream cut before response.completed fails the turn", async () => {
    offline.provider.enqueue(textReply("cut short", { end: { type: "disconnect" } }));
    const run = await runTurn(threadId, "Disconnect");
    assert.equal(run.status, "failed");
  });

  it("turn/interrupt during a slow stream ends the turn interrupted and closes the provider's stream", async () => {
    const slow = Array.from({ length: 40 }, (_, i) => `slow${i}`).join(" ");
    offline.provider.enqueue(textReply(slow, { deltaDelayMs: 50 }));
    const run = await runTurn(threadId, "Stream slowly", {
      onStarted: async (turnId) => {
        await peer.waitForNotification("item/agentMessage/delta", (p) => p.turnId === turnId);
        assert.deepEqual(await peer.request("turn/interrupt", { threadId, turnId }), {});
      },
    });
    assert.equal(run.status, "interrupted");
    assert.ok(deltasOf(run).length < 40, "the stream was cut");
    const deadline = Date.now() + 2_000;
    while (offline.provider.openStreams > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(offline.provider.openStreams, 0);
  });

  it("turn/steer during a slow stream feeds the new input into the running turn", async () => {
    const slow = Array.from({ length: 40 }, (_, i) => `steady${i}`).join(" ");
    offline.provider.enqueue(textReply(slow, { deltaDelayMs: 50 }), textReply("Steered answer."));
    const run = await runTurn(threadId, "Stream slowly again", {
      onStarted: async (turnId) => {
        await peer.waitForNotification("item/agentMessage/delta", (p) => p.turnId === turnId);
        const steer = await peer.request<{ turnId: string }>("turn/steer", {
          threadId,
          expectedTurnId: turnId,
          input: [{ type: "text", text: "Change of plan" }],
        });
        assert.equal(steer.turnId, turnId);
      },
    });
    assert.equal(run.status, "completed");
    assert.ok(offline.provider.responsesRequests.some((r) => inputTexts(r).includes("Change of plan")));
  });

  it("thread/compact/start runs a compaction turn through /v1/responses", async () => {
    offline.provider.enqueue(textReply("Summary: the user ran conformance scenarios."));
    const from = peer.received.length;
    assert.deepEqual(await peer.request("thread/compact/start", { threadId }), {});
    const completed = await peer.waitForNotification("turn/completed", (p) => (p.threadId as string) === threadId, {
      from,
      timeoutMs: 15_000,
    });
    assert.equal((completed.turn as Params).status, "completed");
    assert.equal(requestKind(offline.provider.responsesRequests.at(-1)!), "compaction");
    assert.ok(
      peer.received
        .slice(from)
        .some(
          (m) =>
            m.method === "item/completed" &&
            ((m as { params: Params }).params.item as Params).type === "contextCompaction",
        ),
    );
  });

  it("under approval_policy untrusted the server asks before running a command, and accept / decline are honoured", async () => {
    const guarded = await startThread({ approvalPolicy: "untrusted", sandbox: "workspace-write" });
    offline.provider.enqueue(
      execCommandReply("touch approved.txt", { callId: "call_accept" }),
      textReply("Created it."),
      execCommandReply("touch declined.txt", { callId: "call_decline" }),
      textReply("Did not create it."),
    );
    approvals.push("accept");
    const accepted = await runTurn(guarded, "Create approved.txt");
    approvals.push("decline");
    const declined = await runTurn(guarded, "Create declined.txt");
    assert.deepEqual([accepted.status, declined.status], ["completed", "completed"]);
    const asked = peer.received.filter(
      (m) => m.kind === "request" && m.method === "item/commandExecution/requestApproval",
    );
    assert.equal(asked.length, 2);
    assert.equal(existsSync(join(offline.cwd, "approved.txt")), true);
    assert.equal(existsSync(join(offline.cwd, "declined.txt")), false);
    assert.equal(peer.received.filter((m) => m.method === "serverRequest/resolved").length, 2);
  });

  it("thread/shellCommand runs a command as a turn of its own", async () => {
    const from = peer.received.length;
    assert.deepEqual(await peer.request("thread/shellCommand", { threadId, command: "echo from-shell" }), {});
    await peer.waitForNotification("turn/completed", (p) => p.threadId === threadId, { from, timeoutMs: 10_000 });
    assert.ok(peer.received.slice(from).some((m) => m.method === "item/commandExecution/outputDelta"));
  });

  it("thread management methods answer: list, read with turns, turns/items list, name, fork, archive, resume", async () => {
    const list = await peer.request<{ data: { id: string }[] }>("thread/list", {});
    assert.ok(list.data.some((t) => t.id === threadId));
    const read = await peer.request<{ thread: { turns: unknown[] } }>("thread/read", { threadId, includeTurns: true });
    assert.ok(read.thread.turns.length >= 8);
    await peer.request("thread/turns/list", { threadId });
    await peer.request("thread/items/list", { threadId });
    await peer.request("thread/loaded/list", {});
    assert.deepEqual(await peer.request("thread/name/set", { threadId, name: "conformance" }), {});
    const fork = await peer.request<{ thread: { id: string; forkedFromId: string } }>("thread/fork", { threadId });
    assert.equal(fork.thread.forkedFromId, threadId);
    assert.deepEqual(await peer.request("thread/archive", { threadId: fork.thread.id }), {});
    await peer.request("thread/unarchive", { threadId: fork.thread.id });
    await peer.request("thread/resume", { threadId: fork.thread.id });
  });

  it("catalog, config, account and filesystem methods answer", async () => {
    const models = await peer.request<{ data: unknown[] }>("model/list", {});
    assert.ok(models.data.length > 0);
    await peer.request("modelProvider/list", {});
    await peer.request("experimentalFeature/list", {});
    await peer.request("permissionProfile/list", {});
    await peer.request("config/read", {});
    await peer.request("configRequirements/read");
    await peer.request("account/read", {});
    await peer.request("skills/list", { cwds: [offline.cwd] });
    await peer.request("hooks/list", { cwds: [offline.cwd] });
    await peer.request("mcpServerStatus/list", {});
    await peer.request("fuzzyFileSearch", { query: "approved", roots: [offline.cwd] });
    const path = join(offline.cwd, "fs.txt");
    await peer.request("fs/writeFile", { path, dataBase64: Buffer.from("conformance").toString("base64") });
    const read = await peer.request<{ dataBase64: string }>("fs/readFile", { path });
    assert.equal(Buffer.from(read.dataBase64, "base64").toString(), "conformance");
    await peer.request("fs/getMetadata", { path });
    await peer.request("fs/readDirectory", { path: offline.cwd });
    const exec = await peer.request<{ exitCode: number; stdout: string }>("command/exec", {
      command: ["echo", "exec"],
      cwd: offline.cwd,
    });
    assert.deepEqual([exec.exitCode, exec.stdout], [0, "exec\n"]);
  });

  it("errors come back as JSON-RPC errors with a code and a message", async () => {
    await assert.rejects(
      peer.request("no/such/method", {}),
      (e: unknown) => e instanceof RawRpcError && e.code === -32600,
    );
    await assert.rejects(peer.request("turn/interrupt", { threadId, turnId: "no-such-turn" }), RawRpcError);
    await assert.rejects(
      peer.request("thread/read", { threadId: "00000000-0000-0000-0000-000000000000" }),
      RawRpcError,
    );
    await assert.rejects(peer.request("account/rateLimits/read"), RawRpcError);
  });

  it("zero validation failures over at least 300 messages", () => {
    const byMethod = new Map<string, number>();
    const failures: (CheckFailure & { index: number })[] = [];
    peer.received.forEach((message, index) => {
      const key = `${message.kind} ${message.method}`;
      byMethod.set(key, (byMethod.get(key) ?? 0) + 1);
      const failure = checkReceived(message);
      if (failure !== undefined) failures.push({ ...failure, index });
    });
    console.log(
      `conformance: ${peer.received.length} messages (${byMethod.size} kinds), ${failures.length} failures; ` +
        `provider saw ${offline.provider.requests.length} requests`,
    );
    for (const failure of failures.slice(0, 20)) {
      console.log(
        `  #${failure.index} ${failure.kind} ${failure.method} known=${failure.known}: ${failure.errors.slice(0, 3).join("; ")}`,
      );
    }
    assert.deepEqual(peer.garbage, []);
    assert.ok(peer.received.length >= 300, `only ${peer.received.length} messages`);
    assert.equal(failures.length, 0);
  });
});
