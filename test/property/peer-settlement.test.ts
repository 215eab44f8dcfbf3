import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { setImmediate as nextMacrotask } from "node:timers/promises";
import fc from "fast-check";
import {
  JsonRpcError,
  ProtocolError,
  RequestAbortedError,
  RequestTimeoutError,
  TransportClosedError,
} from "../../src/errors/index.js";
import { JsonRpcPeer } from "../../src/rpc/index.js";
import { createMemoryTransportPair, type TransportMessage } from "../../src/transport/index.js";
import { CaseCounter, runs } from "./support/settings.js";

/**
 * The JSON-RPC peer against random orders of answers, errors, malformed answers, timeouts, aborts (before and
 * after sending), duplicate and late answers, answers to unknown ids, and the connection ending (from either
 * side) with calls still waiting: every call settles exactly once, with the outcome its fate says, and the
 * peer holds no pending call, timer or abort listener afterwards.
 */

const counter = new CaseCounter();
let callCount = 0;
after(() =>
  console.log(
    `${counter.report("JSON-RPC peer property cases")}\n  calls in them: ${callCount.toLocaleString("en-US")}`,
  ),
);

type Fate = "result" | "error" | "malformed" | "timeout" | "abort" | "abortedBeforeSending" | "unanswered";
const FATES: readonly Fate[] = [
  "result",
  "error",
  "malformed",
  "timeout",
  "abort",
  "abortedBeforeSending",
  "unanswered",
];

interface CallSpec {
  fate: Fate;
  /** For answered calls: answer twice. For timed-out or aborted calls: answer after all (a late answer). */
  extraAnswer: boolean;
}

type Action =
  | { kind: "answer" | "answerAgain" | "malformed" | "abort" | "settled" | "lateAnswer"; call: number }
  | { kind: "yield" }
  | { kind: "stray" };

function actionsOf(spec: CallSpec, call: number): Action[] {
  switch (spec.fate) {
    case "result":
    case "error":
      return spec.extraAnswer
        ? [
            { kind: "answer", call },
            { kind: "answerAgain", call },
          ]
        : [{ kind: "answer", call }];
    case "malformed":
      return [{ kind: "malformed", call }];
    case "timeout":
      return spec.extraAnswer
        ? [
            { kind: "settled", call },
            { kind: "lateAnswer", call },
          ]
        : [{ kind: "settled", call }];
    case "abort":
      return spec.extraAnswer
        ? [
            { kind: "abort", call },
            { kind: "lateAnswer", call },
          ]
        : [{ kind: "abort", call }];
    case "abortedBeforeSending":
    case "unanswered":
      return [];
  }
}

function interleave(lists: Action[][], picks: readonly number[]): Action[] {
  const queues = lists.map((list) => [...list]);
  const merged: Action[] = [];
  let pick = 0;
  for (;;) {
    const open = queues.filter((queue) => queue.length > 0);
    if (open.length === 0) return merged;
    merged.push(open[(picks[pick++] ?? 0) % open.length]!.shift()!);
  }
}

async function runCase(
  specs: readonly CallSpec[],
  picks: readonly number[],
  closedBy: "client" | "server",
): Promise<void> {
  const [clientEnd, serverEnd] = createMemoryTransportPair();
  const peer = new JsonRpcPeer(clientEnd, { requestTimeoutMs: 60_000 });
  const diagnostics: string[] = [];
  peer.onDiagnostic((diagnostic) => diagnostics.push(diagnostic.kind));
  const received = new Map<string, number | string>();
  serverEnd.listen({
    message: (message: TransportMessage) => {
      if (typeof message.method === "string" && message.id !== undefined)
        received.set(message.method, message.id as number);
    },
    diagnostic: () => {},
    close: () => {},
  });

  const controllers = specs.map(() => new AbortController());
  const settlements = specs.map(() => 0);
  const outcomes: unknown[] = specs.map(() => undefined);
  const calls = specs.map((spec, i) => {
    if (spec.fate === "abortedBeforeSending") controllers[i]!.abort(new Error("aborted before sending"));
    const promise = peer.request(
      `call/${i}`,
      { i },
      { timeoutMs: spec.fate === "timeout" ? 1 : 60_000, signal: controllers[i]!.signal },
    );
    return promise.then(
      (value) => {
        settlements[i]! += 1;
        outcomes[i] = { value };
      },
      (error: unknown) => {
        settlements[i]! += 1;
        outcomes[i] = error;
      },
    );
  });
  await nextMacrotask();
  const idOf = (call: number): number | string => {
    const id = received.get(`call/${call}`);
    assert.notEqual(id, undefined, `call ${call} reached the other side`);
    return id!;
  };
  const answer = (call: number): void => {
    if (specs[call]!.fate === "error")
      serverEnd.send({ id: idOf(call), error: { code: -32000 - call, message: `error ${call}` } });
    else serverEnd.send({ id: idOf(call), result: { answer: call } });
  };

  const lists = specs.map((spec, i) => actionsOf(spec, i));
  lists.push(
    picks.slice(0, 3).map(() => ({ kind: "yield" })),
    [{ kind: "stray" }],
  );
  for (const action of interleave(lists, picks)) {
    switch (action.kind) {
      case "answer":
      case "answerAgain":
      case "lateAnswer":
        answer(action.call);
        break;
      case "malformed":
        serverEnd.send({ id: idOf(action.call), error: "not an error object" });
        break;
      case "abort":
        controllers[action.call]!.abort(new Error(`aborted ${action.call}`));
        break;
      case "settled":
        await calls[action.call];
        break;
      case "yield":
        await nextMacrotask();
        break;
      case "stray":
        serverEnd.send({ id: 999_999, result: {} });
        break;
    }
  }
  await nextMacrotask();
  if (closedBy === "client") await peer.close();
  else await serverEnd.close({ exitCode: 1 });
  const guard = AbortSignal.timeout(10_000);
  await Promise.race([
    Promise.all(calls),
    new Promise((_, reject) =>
      guard.addEventListener("abort", () => reject(new Error(`calls never settled: ${settlements.join(",")}`))),
    ),
  ]);

  specs.forEach((spec, i) => {
    assert.equal(settlements[i], 1, `call ${i} (${spec.fate}) settled exactly once`);
    const outcome = outcomes[i];
    switch (spec.fate) {
      case "result":
        assert.deepEqual(outcome, { value: { answer: i } });
        break;
      case "error":
        assert.ok(outcome instanceof JsonRpcError && outcome.code === -32000 - i, `call ${i}: ${String(outcome)}`);
        break;
      case "malformed":
        assert.ok(outcome instanceof ProtocolError, `call ${i}: ${String(outcome)}`);
        break;
      case "timeout":
        assert.ok(outcome instanceof RequestTimeoutError, `call ${i}: ${String(outcome)}`);
        break;
      case "abort":
      case "abortedBeforeSending":
        assert.ok(outcome instanceof RequestAbortedError, `call ${i}: ${String(outcome)}`);
        break;
      case "unanswered":
        assert.ok(outcome instanceof TransportClosedError, `call ${i}: ${String(outcome)}`);
        break;
    }
  });
  assert.equal(peer.pendingCount, 0, "no call is left pending");
  const late = specs.filter((s) => (s.fate === "timeout" || s.fate === "abort") && s.extraAnswer).length;
  const duplicates = specs.filter((s) => (s.fate === "result" || s.fate === "error") && s.extraAnswer).length;
  assert.equal(
    diagnostics.filter((kind) => kind === "lateResponse").length,
    late,
    "each late answer is reported as late",
  );
  assert.equal(
    diagnostics.filter((kind) => kind === "unknownResponse").length,
    duplicates + 1,
    "each duplicate and the stray answer are reported",
  );
  counter.add("cases");
  callCount += specs.length;
}

describe(
  "JSON-RPC peer against random orders of answers, errors, timeouts, aborts and closes",
  { timeout: 600_000 },
  () => {
    it("every call settles exactly once, as its fate says, and nothing is left pending", async () => {
      const callSpec = fc.record({ fate: fc.constantFrom(...FATES), extraAnswer: fc.boolean() });
      await fc.assert(
        fc.asyncProperty(
          fc.array(callSpec, { minLength: 1, maxLength: 30 }),
          fc.array(fc.nat(), { minLength: 100, maxLength: 100 }),
          fc.constantFrom<"client" | "server">("client", "server"),
          async (specs, picks, closedBy) => runCase(specs, picks, closedBy),
        ),
        runs(150, 10_000),
      );
    });
  },
);
