import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  AsyncCodex,
  TurnNotRunningError,
  type AsyncThread,
  type AsyncTurnHandle,
  type Notification,
  type ServerRequest,
} from "../../src/index.js";
import {
  createOfflineEnvironment,
  execCommandReply,
  failedReply,
  httpErrorReply,
  inputItems,
  inputTexts,
  messagesReply,
  textReply,
  type RecordedRequest,
  type ScriptedReply,
} from "../../src/testing/index.js";
import { codexDescendants } from "../support/children.js";
import { offlineClientConfig } from "../support/offline-client.js";

/**
 * The soak: one client runs SOAK_TURNS turns (CI: 48; `npm run test:soak:full`: 1,000) across SOAK_WORKERS
 * threads at a time against the real app-server, a mix of plain and multi-message replies, interrupted turns,
 * turns failed by the provider (HTTP 500, response.failed), steered turns and turns needing an approval
 * (accepted or declined). It checks every turn's notifications (each agent message's deltas, in order,
 * between its item/started and item/completed, add up to its text), every turn's end, and after close:
 * no pending turn, listeners, timers, handles and codex processes back to what they were, the heap after GC
 * per 1,000 turns. The figures go to SOAK_REPORT (a JSON file) when set, and to the test's output.
 */

const TURNS = Number(process.env.SOAK_TURNS ?? 48);
const WORKERS = Number(process.env.SOAK_WORKERS ?? 8);
/** A worker starts a new thread after this many turns, so that histories (sent whole each time) stay short. */
const TURNS_PER_THREAD = 20;
const KINDS = [
  "text",
  "text",
  "multi",
  "interrupt",
  "http500",
  "responseFailed",
  "steer",
  "approveAccept",
  "approveDecline",
] as const;
type Kind = (typeof KINDS)[number];
const EXPECTED_STATUS: Record<Kind, string> = {
  text: "completed",
  multi: "completed",
  interrupt: "interrupted",
  http500: "failed",
  responseFailed: "failed",
  steer: "completed",
  approveAccept: "completed",
  approveDecline: "completed",
};

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** The text of the reply to turn n: multi-byte characters, so that deltas split them. */
function textOf(n: number, part = ""): string {
  return `Turn ${n}${part}: héllo wörld 日本語 🎉 ${"ünïcödé ".repeat(n % 7)}done.`;
}

/** What the provider answers: decided by the prompt (`turn <n> <kind>`), so concurrent threads get their own. */
function reply(request: RecordedRequest, cwd: string): ScriptedReply {
  const texts = inputTexts(request);
  const last = texts.at(-1) ?? "";
  const steered = /^STEER (\d+)$/.exec(last);
  if (steered !== null) return textReply(`Steered ${steered[1]}.`, { deltas: 3 });
  const match = /^turn (\d+) (\w+)$/.exec(last);
  if (match === null) return textReply("ok");
  const n = Number(match[1]);
  const kind = match[2] as Kind;
  const answeringTool = inputItems(request).at(-1)?.type === "function_call_output";
  switch (kind) {
    case "text":
      return textReply(textOf(n), { deltas: 1 + (n % 8) });
    case "multi":
      return messagesReply([
        { type: "message", text: textOf(n, " (commentary)"), phase: "commentary", deltas: 3 },
        { type: "message", text: textOf(n, " (final)"), phase: "final_answer", deltas: 4 },
      ]);
    case "interrupt":
      return textReply(textOf(n).repeat(4), { deltas: 40, deltaDelayMs: 100 });
    case "http500":
      return httpErrorReply(500);
    case "responseFailed":
      return failedReply(`scripted failure of turn ${n}`);
    case "steer":
      return textReply(textOf(n).repeat(4), { deltas: 30, deltaDelayMs: 100 });
    case "approveAccept":
    case "approveDecline":
      return answeringTool
        ? textReply(`Tool done for ${n}.`)
        : execCommandReply(`touch ${join(cwd, `${kind}-${n}.txt`)}`);
  }
}

interface Figures {
  turns: number;
  byKind: Record<string, number>;
  notifications: number;
  deltas: number;
  agentMessages: number;
  steerTooLate: number;
  heapMiB: number[];
  heapGrowthPer1000TurnsMiB: number;
  durationS: number;
}

async function collect(handle: AsyncTurnHandle, onDelta: () => Promise<void>): Promise<Notification[]> {
  const seen: Notification[] = [];
  let first = true;
  for await (const notification of handle.stream()) {
    seen.push(notification);
    if (first && notification.method === "item/agentMessage/delta") {
      first = false;
      await onDelta();
    }
  }
  return seen;
}

/** Each agent message: its deltas come between its item/started and item/completed, and add up to its text. */
function checkMessages(seen: readonly Notification[], n: number, kind: Kind): { deltas: number; messages: number } {
  let deltas = 0;
  let messages = 0;
  seen.forEach((notification, index) => {
    if (notification.method !== "item/completed" || notification.params.item.type !== "agentMessage") return;
    const item = notification.params.item;
    const started = seen.findIndex((n) => n.method === "item/started" && n.params.item.id === item.id);
    const own = seen.flatMap((n, i) =>
      n.method === "item/agentMessage/delta" && n.params.itemId === item.id ? [[i, n.params.delta] as const] : [],
    );
    assert.ok(started >= 0 && started < index, `turn ${n} (${kind}): item ${item.id} started before it completed`);
    assert.ok(
      own.every(([i]) => i > started && i < index),
      `turn ${n} (${kind}): deltas of ${item.id} between its start and completion`,
    );
    assert.equal(
      own.map(([, d]) => d).join(""),
      item.text,
      `turn ${n} (${kind}): the deltas of ${item.id} add up to its text`,
    );
    deltas += own.length;
    messages += 1;
  });
  return { deltas, messages };
}

describe(`soak: ${TURNS} turns over ${WORKERS} threads at a time, real app-server`, { timeout: 3_600_000 }, () => {
  it("loses no delta, settles every turn, and leaves nothing behind", async () => {
    const startedAt = Date.now();
    await using offline = await createOfflineEnvironment();
    offline.provider.setFallback((request) => reply(request, offline.cwd));
    const resourcesBefore = process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap").length;
    const processListenersBefore = ["exit", "SIGINT", "SIGTERM", "SIGHUP"].map((e) => process.listenerCount(e));
    const approve = (request: ServerRequest) =>
      request.method === "item/commandExecution/requestApproval" &&
      JSON.stringify(request.params.command).includes("approveAccept")
        ? { decision: "accept" as const }
        : undefined;
    const codex = new AsyncCodex(offlineClientConfig(offline, { approvalHandler: approve, requestTimeoutMs: 60_000 }));
    const figures: Figures = {
      turns: 0,
      byKind: {},
      notifications: 0,
      deltas: 0,
      agentMessages: 0,
      steerTooLate: 0,
      heapMiB: [],
      heapGrowthPer1000TurnsMiB: 0,
      durationS: 0,
    };
    /** Turns whose machine did not reach a final state (handles are not kept: the heap figure would count them). */
    const unfinishedMachines: string[] = [];
    let next = 0;
    const heapSamples: [number, number][] = [];

    const runTurn = async (thread: AsyncThread, n: number): Promise<void> => {
      const kind = KINDS[n % KINDS.length]!;
      const handle = await thread.turn(`turn ${n} ${kind}`);
      const seen = await collect(handle, async () => {
        if (kind === "interrupt") await handle.interrupt();
        if (kind === "steer") {
          await handle.steer(`STEER ${n}`).catch((error: unknown) => {
            if (!(error instanceof TurnNotRunningError)) throw error;
            figures.steerTooLate += 1;
          });
        }
      });
      const turn = await handle.run();
      if (handle.actor.getSnapshot().status !== "done") unfinishedMachines.push(handle.id);
      assert.equal(turn.status, EXPECTED_STATUS[kind], `turn ${n} (${kind}) ended ${turn.status}`);
      assert.equal(
        seen.at(-1)?.method,
        "turn/completed",
        `turn ${n} (${kind}): turn/completed is the last notification`,
      );
      assert.ok(
        seen.every(
          (x) =>
            (x.params as { turnId?: string; turn?: { id: string } }).turnId === handle.id ||
            (x.params as { turn?: { id: string } }).turn?.id === handle.id,
        ),
        `turn ${n}: only its own notifications`,
      );
      const { deltas, messages } = checkMessages(seen, n, kind);
      if (kind === "text" || kind === "multi") {
        const texts = turn.items.flatMap((item) => (item.type === "agentMessage" ? [item.text] : []));
        assert.deepEqual(
          texts,
          kind === "text" ? [textOf(n)] : [textOf(n, " (commentary)"), textOf(n, " (final)")],
          `turn ${n}: its messages`,
        );
      }
      if (kind === "approveAccept" || kind === "approveDecline") {
        assert.equal(
          existsSync(join(offline.cwd, `${kind}-${n}.txt`)),
          kind === "approveAccept",
          `turn ${n}: the command ran only when approved`,
        );
      }
      figures.turns += 1;
      figures.byKind[kind] = (figures.byKind[kind] ?? 0) + 1;
      figures.notifications += seen.length;
      figures.deltas += deltas;
      figures.agentMessages += messages;
      if (figures.turns % 100 === 0) heapSamples.push([figures.turns, heapAfterGc()]);
    };

    try {
      await codex.start();
      heapSamples.push([0, heapAfterGc()]);
      await Promise.all(
        Array.from({ length: WORKERS }, async () => {
          let thread: AsyncThread | undefined;
          let onThread = 0;
          for (let n = next++; n < TURNS; n = next++) {
            if (thread === undefined || onThread === TURNS_PER_THREAD) {
              thread = await codex.threadStart({
                approvalPolicy: "untrusted",
                sandbox: "workspace-write",
                cwd: offline.cwd,
              });
              onThread = 0;
            }
            onThread += 1;
            await runTurn(thread, n);
          }
        }),
      );
      heapSamples.push([figures.turns, heapAfterGc()]);
      assert.equal(figures.turns, TURNS, "every turn ran to its end");
      assert.deepEqual(unfinishedMachines, [], "every turn's machine reached a final state");
    } finally {
      await codex.close();
    }

    // Back to the baseline.
    assert.equal(codex.lifecycle.getSnapshot().value, "closed", "the client's machine ended closed");
    assert.deepEqual(
      ["exit", "SIGINT", "SIGTERM", "SIGHUP"].map((e) => process.listenerCount(e)),
      processListenersBefore,
      "process listeners",
    );
    let left = codexDescendants();
    for (let i = 0; i < 100 && left.length > 0; i += 1) {
      await delay(50);
      left = codexDescendants();
    }
    assert.deepEqual(
      left.map((p) => `${p.pid} ${p.comm}`),
      [],
      "no codex process of ours is left",
    );
    await offline.provider.close();
    let resources = process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap");
    for (let i = 0; i < 100 && resources.length > resourcesBefore; i += 1) {
      await delay(50);
      resources = process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap");
    }
    assert.ok(
      resources.length <= resourcesBefore,
      `timers and handles left: ${resources.join(", ")} (before: ${resourcesBefore})`,
    );

    // Growth is measured from the first sample after 100 turns when there is one (the first turns warm up
    // caches: validators compiled, modules loaded).
    const [firstTurns, firstHeap] =
      heapSamples.find(([turns]) => turns >= 100 && turns < figures.turns) ?? heapSamples[0]!;
    const [lastTurns, lastHeap] = heapSamples.at(-1)!;
    figures.heapMiB = heapSamples.map(([, bytes]) => Math.round((bytes / 2 ** 20) * 10) / 10);
    figures.heapGrowthPer1000TurnsMiB =
      Math.round((((lastHeap - firstHeap) / 2 ** 20) * 1000 * 10) / Math.max(1, lastTurns - firstTurns)) / 10;
    figures.durationS = Math.round((Date.now() - startedAt) / 100) / 10;
    console.log(`soak figures: ${JSON.stringify(figures)}`);
    if (process.env.SOAK_REPORT !== undefined)
      writeFileSync(process.env.SOAK_REPORT, `${JSON.stringify(figures, null, 2)}\n`);
  });
});
