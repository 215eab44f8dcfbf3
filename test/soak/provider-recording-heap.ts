/**
 * The heap a ScriptedProvider holds per 1,000 model requests of codex's size (≈ 300 KiB each: instructions,
 * tools, history), with the recording unbounded (`maxRecordedRequests: Infinity`, the old behaviour) and with
 * the default bound. A figure for docs/reliability.md, not a test:
 *
 *   npx node --expose-gc --import tsx test/soak/provider-recording-heap.ts
 */
import { createScriptedProvider, DEFAULT_MAX_RECORDED_REQUESTS } from "../../src/testing/index.js";

const REQUESTS = 1_000;
const BODY = JSON.stringify({ model: "m", instructions: "i".repeat(300 * 1024), input: [] });
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc");

function heapMiB(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** Heap growth after 1,000 requests, and from 1,000 to 2,000 requests. */
async function measure(maxRecordedRequests: number): Promise<[number, number]> {
  await using provider = await createScriptedProvider({ maxRecordedRequests });
  const send = async (): Promise<void> => {
    for (let i = 0; i < REQUESTS; i += 1) {
      const response = await fetch(`http://127.0.0.1:${provider.port}/v1/responses`, { method: "POST", body: BODY });
      await response.arrayBuffer();
    }
  };
  const before = heapMiB();
  await send();
  const middle = heapMiB();
  await send();
  return [middle - before, heapMiB() - middle];
}

// Bounded first: what the unbounded run leaves in the heap would hide the bounded one's growth.
const bounded = await measure(DEFAULT_MAX_RECORDED_REQUESTS);
const unbounded = await measure(Infinity);
const show = ([first, second]: [number, number]): string => `+${first.toFixed(1)} MiB, then +${second.toFixed(1)} MiB`;
console.log(
  `heap after GC, per ${REQUESTS} requests of ${(BODY.length / 1024).toFixed(0)} KiB (first thousand, second thousand):`,
);
console.log(`  unbounded (maxRecordedRequests: Infinity): ${show(unbounded)}`);
console.log(`  default bound (${DEFAULT_MAX_RECORDED_REQUESTS}):               ${show(bounded)}`);
