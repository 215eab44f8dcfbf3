import assert from "node:assert/strict";
import { test } from "node:test";
import type { AsyncTurnHandle, Notification } from "../../src/index.js";
import { createOfflineEnvironment, textReply, turnMetadata, type RecordedRequest } from "../../src/testing/index.js";
import { offlineClient } from "../support/offline-client.js";
import { killProcessesUsingHome } from "../support/processes.js";
import { turnOf } from "../support/wire-log.js";
import { within } from "../support/within.js";

const THREADS = 8;
const DELTAS = 12;

test(
  "8 threads with interleaved slow turns on one client: each stream gets exactly its own turn's deltas, and they reassemble the provider's text",
  { timeout: 60_000 },
  async () => {
    await using offline = await createOfflineEnvironment();
    /** What the provider streamed, by thread: the reply is a function of the request's thread id. */
    const streamed = new Map<string, string>();
    offline.provider.setFallback((request: RecordedRequest) => {
      const threadId = String(turnMetadata(request)?.thread_id);
      const text = Array.from({ length: DELTAS }, (_, i) => `${threadId.slice(-4)}:${i}`).join(" ");
      streamed.set(threadId, text);
      return textReply(text, { deltas: DELTAS, deltaDelayMs: 25 });
    });
    const { codex, wire } = offlineClient(offline);
    try {
      const threads = await Promise.all(Array.from({ length: THREADS }, () => codex.threadStart()));
      const handles = await Promise.all(threads.map((thread, i) => thread.turn(`Turn of thread ${i}.`)));
      const read = async (handle: AsyncTurnHandle): Promise<Notification[]> => {
        const seen: Notification[] = [];
        for await (const notification of handle.stream()) seen.push(notification);
        return seen;
      };
      const streams = await within(30_000, "all eight streams to end", Promise.all(handles.map(read)));

      assert.equal(new Set(threads.map((t) => t.id)).size, THREADS);
      for (const [i, handle] of handles.entries()) {
        const seen = streams[i]!;
        assert.equal(handle.threadId, threads[i]!.id);
        assert.ok(
          seen.every((n) => turnOf(n) === handle.id),
          `stream ${i} holds only its own turn's notifications`,
        );
        assert.ok(
          seen.every((n) => (n.params as { threadId?: string }).threadId === handle.threadId),
          `stream ${i} holds only its own thread's notifications`,
        );
        const deltas = seen.flatMap((n) => (n.method === "item/agentMessage/delta" ? [n.params.delta] : []));
        const onWire = wire
          .notifications()
          .flatMap((n) =>
            n.method === "item/agentMessage/delta" && n.params.turnId === handle.id ? [n.params.delta] : [],
          );
        assert.deepEqual(deltas, onWire, `stream ${i} has every delta of its turn, in order`);
        assert.equal(deltas.length, DELTAS);
        assert.equal(deltas.join(""), streamed.get(handle.threadId), `stream ${i} reassembles the provider's text`);
        assert.equal(seen.at(-1)?.method, "turn/completed");
        const turn = await handle.run();
        assert.equal(turn.status, "completed");
      }

      const order = wire
        .notifications()
        .filter((n) => n.method === "item/agentMessage/delta")
        .map((n) => turnOf(n));
      const switches = order.filter((turnId, i) => i > 0 && turnId !== order[i - 1]).length;
      assert.ok(switches >= THREADS, `the turns' deltas interleaved on the wire (${switches} switches)`);
    } finally {
      await codex.close();
      killProcessesUsingHome(offline.home.path);
    }
  },
);
