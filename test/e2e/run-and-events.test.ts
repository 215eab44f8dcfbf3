import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AsyncCodex, TurnFailedError, type AsyncThread, type ThreadItem, type Turn } from "../../src/index.js";
import {
  createOfflineEnvironment,
  httpErrorReply,
  messagesReply,
  textReply,
  type OfflineEnvironment,
} from "../../src/testing/index.js";

let offline: OfflineEnvironment;
let codex: AsyncCodex;
let thread: AsyncThread;

describe("thread.run() results and a turn's typed events, against the real app-server", { timeout: 60_000 }, () => {
  before(async () => {
    offline = await createOfflineEnvironment();
    codex = new AsyncCodex({ env: offline.env, cwd: offline.cwd });
    thread = await codex.threadStart();
  });

  after(async () => {
    await codex?.close();
    await offline?.close();
  });

  it("run('hello') gives the provider's text, its usage numbers and the agentMessage among the items", async () => {
    offline.provider.enqueue(
      textReply("Hello back.", {
        usage: { inputTokens: 321, cachedInputTokens: 20, outputTokens: 12, reasoningOutputTokens: 3 },
      }),
    );
    const result = await thread.run("hello");
    assert.equal(result.finalResponse, "Hello back.");
    assert.equal(result.usage?.last.inputTokens, 321);
    assert.equal(result.usage?.last.cachedInputTokens, 20);
    assert.equal(result.usage?.last.outputTokens, 12);
    assert.equal(result.usage?.last.reasoningOutputTokens, 3);
    assert.equal(result.usage?.last.totalTokens, 333);
    assert.ok(result.usage.total.totalTokens >= 333);
    assert.ok(result.items.some((item) => item.type === "agentMessage" && item.text === "Hello back."));
  });

  it("a final_answer message wins over a later unphased one and over commentary", async () => {
    offline.provider.enqueue(
      messagesReply([
        { type: "message", text: "Let me look.", phase: "commentary" },
        { type: "message", text: "The answer is 42.", phase: "final_answer" },
        { type: "message", text: "PS: unphased afterthought" },
      ]),
    );
    assert.equal((await thread.run("question")).finalResponse, "The answer is 42.");
  });

  it("without a final_answer, the latest unphased message is the response", async () => {
    offline.provider.enqueue(
      messagesReply([
        { type: "message", text: "first" },
        { type: "message", text: "second" },
        { type: "message", text: "musing", phase: "commentary" },
      ]),
    );
    assert.equal((await thread.run("question")).finalResponse, "second");
  });

  it("commentary only gives a null response", async () => {
    offline.provider.enqueue(messagesReply([{ type: "message", text: "thinking aloud", phase: "commentary" }]));
    const result = await thread.run("question");
    assert.equal(result.finalResponse, null);
    assert.ok(result.items.some((item) => item.type === "agentMessage"));
  });

  it("a failed turn makes thread.run() reject with TurnFailedError carrying the turn and the server's message", async () => {
    offline.provider.enqueue(httpErrorReply(500));
    await assert.rejects(thread.run("fail please"), (error: unknown) => {
      assert.ok(error instanceof TurnFailedError);
      assert.equal(error.turn.status, "failed");
      assert.equal(error.threadId, thread.id);
      assert.ok(error.turn.error?.message);
      assert.ok(error.message.includes(error.turn.error.message));
      return true;
    });
  });

  it("turn events: delta listeners see the text as it streams, item and completed fire, in order", async () => {
    offline.provider.enqueue(textReply("one two three four", { deltas: 4, deltaDelayMs: 5 }));
    const handle = await thread.turn("count");
    const seen: string[] = [];
    let text = "";
    handle.on("delta", ({ data }) => {
      text += data.delta;
      seen.push("delta");
    });
    handle.on("item", ({ data }) => void seen.push(`item:${data.type}`));
    const completed = new Promise<Turn>((resolve) => handle.on("completed", ({ data }) => resolve(data)));
    const turn = await handle.run();
    assert.equal((await completed).id, turn.id);
    assert.equal(text, "one two three four");
    assert.ok(seen.includes("item:agentMessage"));
    assert.ok(seen.lastIndexOf("delta") < seen.indexOf("item:agentMessage"), seen.join(","));
  });

  it("a turn's error event carries the server's message when the turn fails", async () => {
    offline.provider.enqueue(httpErrorReply(500));
    const handle = await thread.turn("fail");
    const errors: string[] = [];
    handle.on("error", ({ data }) => void errors.push(data.message));
    const turn = await handle.run();
    assert.equal(turn.status, "failed");
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(errors.length, 1);
  });

  it("events that fired before stream() began are still in the stream", async () => {
    offline.provider.enqueue(textReply("early bird", { deltas: 2 }));
    const handle = await thread.turn("early");
    await new Promise((resolve) => handle.on("completed", resolve));
    const methods: string[] = [];
    const items: ThreadItem[] = [];
    for await (const n of handle.stream()) {
      methods.push(n.method);
      if (n.method === "item/completed") items.push(n.params.item);
    }
    assert.equal(methods.filter((m) => m === "item/agentMessage/delta").length, 2);
    assert.equal(methods.at(-1), "turn/completed");
    assert.ok(items.some((item) => item.type === "agentMessage" && item.text === "early bird"));
  });
});
