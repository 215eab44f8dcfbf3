import assert from "node:assert/strict";
import { test } from "node:test";
import { createOfflineEnvironment, inputTexts, textReply } from "../../src/testing/index.js";
import { testedCodexVersionPattern } from "../support/codex-version.js";
import { checkReceived } from "./message-check.js";
import { RawPeer } from "./raw-peer.js";

const SCRIPTED_TEXT = "The quick brown fox jumps over the lazy dog.";
const USER_TEXT = "Tell me about the fox, please.";

test(
  "a text turn on the real app-server streams the provider's scripted deltas and sends the user's text to the provider",
  { timeout: 30_000 },
  async () => {
    await using offline = await createOfflineEnvironment({
      replies: [
        textReply(SCRIPTED_TEXT, {
          deltas: 5,
          phase: "final_answer",
          usage: { inputTokens: 123, cachedInputTokens: 7, outputTokens: 45 },
        }),
      ],
    });
    const peer = RawPeer.start({ ...offline.command, env: offline.env, cwd: offline.cwd });
    let tree: number[] = [];
    try {
      const init = await peer.request<{ userAgent: string; codexHome: string }>("initialize", {
        clientInfo: { name: "raw_turn_test", title: "Raw turn test", version: "0.0.0" },
        capabilities: { experimentalApi: true },
      });
      assert.match(init.userAgent, new RegExp(`^raw_turn_test/${testedCodexVersionPattern()} `));
      assert.equal(init.codexHome, offline.home.path);
      peer.notify("initialized");

      const started = await peer.request<{ thread: { id: string } }>("thread/start", { cwd: offline.cwd });
      const threadId = started.thread.id;
      const from = peer.received.length;
      const turnStart = await peer.request<{ turn: { id: string; status: string } }>("turn/start", {
        threadId,
        input: [{ type: "text", text: USER_TEXT }],
      });
      const turnId = turnStart.turn.id;
      assert.equal(turnStart.turn.status, "inProgress");
      tree = peer.descendants();

      const completed = await peer.waitForNotification(
        "turn/completed",
        (params) => (params.turn as { id: string }).id === turnId,
        { from, timeoutMs: 15_000 },
      );
      assert.equal((completed.turn as { status: string }).status, "completed");

      const turnEvents = peer.received
        .slice(from)
        .filter((m) => m.kind === "notification" && (m.params as { turnId?: string }).turnId === turnId)
        .map((m) => ({ method: m.method, params: (m as { params: Record<string, unknown> }).params }));
      const deltas = turnEvents.filter((e) => e.method === "item/agentMessage/delta").map((e) => e.params.delta);
      assert.equal(deltas.length, 5);
      assert.equal(deltas.join(""), SCRIPTED_TEXT);
      const agentMessage = turnEvents
        .filter((e) => e.method === "item/completed")
        .map((e) => e.params.item as { type: string; text?: string; phase?: string })
        .find((item) => item.type === "agentMessage");
      assert.deepEqual(
        { text: agentMessage?.text, phase: agentMessage?.phase },
        { text: SCRIPTED_TEXT, phase: "final_answer" },
      );
      const usage = turnEvents.findLast((e) => e.method === "thread/tokenUsage/updated")?.params.tokenUsage as
        | { last: { inputTokens: number; cachedInputTokens: number; outputTokens: number; totalTokens: number } }
        | undefined;
      assert.deepEqual(
        usage && {
          input: usage.last.inputTokens,
          cached: usage.last.cachedInputTokens,
          output: usage.last.outputTokens,
          total: usage.last.totalTokens,
        },
        { input: 123, cached: 7, output: 45, total: 168 },
      );

      const request = await offline.provider.waitForRequest(1, { timeoutMs: 1_000 });
      assert.equal(inputTexts(request).at(-1), USER_TEXT);
      assert.equal(request.headers.authorization, "Bearer offline-test-key");
      assert.equal((request.body as { model: string }).model, "fake-model");
      assert.equal(offline.provider.responsesRequests.length, 1);
      assert.equal(offline.provider.pending, 0);

      assert.deepEqual(peer.garbage, []);
      const failures = peer.received.map(checkReceived).filter((f) => f !== undefined);
      assert.deepEqual(failures, [], `${failures.length} of ${peer.received.length} messages failed validation`);
    } finally {
      await peer.kill();
      tree.push(...peer.descendants());
    }
    const survivors = [...new Set(tree)].filter((pid) => RawPeer.isAlive(pid));
    assert.deepEqual(survivors, [], "the app-server and its children are gone");
  },
);
