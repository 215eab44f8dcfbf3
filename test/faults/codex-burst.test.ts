import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { requestCodex } from "../../src/client/rpc-error.js";
import { isRetryableError, RequestTimeoutError, ServerBusyError } from "../../src/errors/index.js";
import { initialize, startCodex } from "./support/codex-connection.js";
import { waitUntilGone } from "./support/proc.js";

const BURST = 1_000;
const ATTEMPTS = 3;

describe("the real codex app-server under a burst", { timeout: 60_000 }, () => {
  test("1,000 requests in one write: every call settles by answer, ServerBusyError or timeout", async () => {
    const connection = await startCodex();
    try {
      const { peer } = connection;
      await initialize(peer);
      let busySeen = 0;
      for (let attempt = 1; attempt <= ATTEMPTS && busySeen === 0; attempt++) {
        const started = performance.now();
        const calls = Array.from({ length: BURST }, () => requestCodex(peer, "thread/list", {}, { timeoutMs: 5_000 }));
        const results = await Promise.allSettled(calls);
        const elapsed = performance.now() - started;
        let answered = 0;
        let busy = 0;
        let timedOut = 0;
        for (const result of results) {
          if (result.status === "fulfilled") {
            answered++;
          } else if (result.reason instanceof ServerBusyError) {
            assert.equal(result.reason.code, -32001);
            assert.equal(result.reason.rpcMessage, "Server overloaded; retry later.");
            assert.ok(isRetryableError(result.reason));
            busy++;
          } else if (result.reason instanceof RequestTimeoutError) {
            assert.ok(!isRetryableError(result.reason));
            timedOut++;
          } else {
            assert.fail(`unexpected ${String(result.reason)}`);
          }
        }
        assert.equal(answered + busy + timedOut, BURST);
        assert.equal(peer.pendingCount, 0);
        console.log(
          `burst ${attempt}: ${answered} answered, ${busy} ServerBusyError, ${timedOut} timed out, all settled in ${elapsed.toFixed(0)} ms`,
        );
        busySeen = busy;
      }
      assert.ok(busySeen > 0, `no -32001 in ${ATTEMPTS} bursts of ${BURST}`);
      assert.deepEqual(await peer.request("thread/list", {}, { timeoutMs: 5_000 }).then(() => "ok"), "ok");
    } finally {
      await connection[Symbol.asyncDispose]();
      assert.ok(await waitUntilGone(connection.transport.pid, 2_000));
    }
  });
});
