import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  createScriptedProvider,
  DEFAULT_MAX_RECORDED_REQUESTS,
  type ScriptedProvider,
} from "../../src/testing/index.js";

/** What codex sends on each model call is large (instructions, tools, history): this stands for it. */
const BODY = JSON.stringify({ model: "m", input: [{ type: "message", role: "user", content: "x".repeat(16 * 1024) }] });

async function post(provider: ScriptedProvider, path: string): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${provider.port}${path}`, { method: "POST", body: BODY });
  await response.arrayBuffer();
}

async function send(provider: ScriptedProvider, count: number, path = "/v1/responses"): Promise<void> {
  for (let i = 0; i < count; i += 1) await post(provider, path);
}

describe("ScriptedProvider keeps a bounded recording", () => {
  it("keeps the last 100 requests by default, however many arrive, and still counts them all", async () => {
    await using provider = await createScriptedProvider();
    await send(provider, 250);
    assert.equal(DEFAULT_MAX_RECORDED_REQUESTS, 100);
    assert.equal(provider.receivedCount, 250);
    assert.equal(provider.requests.length, DEFAULT_MAX_RECORDED_REQUESTS);
    assert.equal(provider.responsesRequests.length, DEFAULT_MAX_RECORDED_REQUESTS);
    const keptBytes = provider.requests.reduce((sum, request) => sum + request.text.length, 0);
    assert.ok(keptBytes <= DEFAULT_MAX_RECORDED_REQUESTS * BODY.length, `${keptBytes} bytes of bodies kept`);
    assert.deepEqual(
      provider.requests.map((request) => request.index),
      Array.from({ length: 100 }, (_, i) => 150 + i),
      "the kept requests are the most recent, numbered from the first one received",
    );
  });

  it("waitForRequest numbers requests from the first, finds the kept ones and says when one was forgotten", async () => {
    await using provider = await createScriptedProvider({ maxRecordedRequests: 3 });
    await send(provider, 5);
    await send(provider, 2, "/v1/models");
    assert.equal((await provider.waitForRequest(5)).index, 4);
    assert.equal((await provider.waitForRequest(2, { path: "/v1/models" })).index, 6);
    assert.equal((await provider.waitForRequest(7, { path: null })).path, "/v1/models");
    await assert.rejects(provider.waitForRequest(4), (error: Error) => {
      assert.ok(error instanceof RangeError);
      assert.match(
        error.message,
        /request #4 to \/v1\/responses was forgotten: the provider keeps the last 3 requests \(raise `maxRecordedRequests`/,
      );
      return true;
    });
    const eighth = provider.waitForRequest(8, { path: null, timeoutMs: 5_000 });
    await post(provider, "/v1/responses");
    assert.equal((await eighth).index, 7);
  });

  it("keeps every request with Infinity and none with 0; reset() counts from zero again", async () => {
    await using all = await createScriptedProvider({ maxRecordedRequests: Infinity });
    await send(all, 150);
    assert.equal(all.requests.length, 150);
    all.reset();
    assert.equal(all.receivedCount, 0);
    await send(all, 1);
    assert.equal((await all.waitForRequest(1)).index, 0);

    await using none = await createScriptedProvider({ maxRecordedRequests: 0 });
    await send(none, 3);
    assert.equal(none.requests.length, 0);
    assert.equal(none.receivedCount, 3);
    await assert.rejects(none.waitForRequest(1), /forgotten/);
    await assert.rejects(createScriptedProvider({ maxRecordedRequests: -1 }), RangeError);
  });
});
