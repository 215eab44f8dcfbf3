import { getShortestPaths, getSimplePaths } from "@xstate/graph";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { createActor, type SnapshotFrom } from "xstate";
import {
  AsyncCodex,
  JsonRpcError,
  turnMachine,
  type AsyncTurnHandle,
  type DeltaNotification,
  type TurnEvent,
} from "../../src/index.js";
import { FakeAppServer } from "../support/fake-app-server.js";
import {
  agentDelta,
  agentMessage,
  itemCompleted,
  itemStarted,
  turnCompleted,
  turnStarted,
} from "../support/wire-notifications.js";

/**
 * Model-based test of the turn machine: @xstate/graph enumerates the simple paths through `turnMachine` over the
 * events a client can be given, and each path is replayed through the real facade (AsyncCodex, a thread, a turn
 * handle) against an in-process fake app-server. After every step, the facade — `codex.snapshot()` and, once
 * `thread.turn()` returned, `handle.actor` — must report the state and counts the model says.
 *
 * In `starting`, only the `turn/start` answer (accepted or refused) is offered: notifications
 * that come before the answer are held by the router and replayed after it, so through the facade they reach the
 * machine only in `running` (that holding is tested in test/unit/client-router.test.ts).
 */

const THREAD = "thr_1";
const TURN = "turn_1";
const ITEM = "msg_1";
type Turn = SnapshotFrom<typeof turnMachine>;

const running: TurnEvent[] = [
  { type: "notification", notification: turnStarted(THREAD, TURN) },
  { type: "notification", notification: itemStarted(THREAD, TURN, agentMessage(ITEM, "")) },
  { type: "notification", notification: agentDelta(THREAD, TURN, ITEM, "x") },
  {
    type: "deltas",
    notifications: [agentDelta(THREAD, TURN, ITEM, "y"), agentDelta(THREAD, TURN, ITEM, "z")] as DeltaNotification[],
  },
  { type: "notification", notification: itemCompleted(THREAD, TURN, agentMessage(ITEM, "x")) },
  { type: "notification", notification: turnCompleted(THREAD, TURN, "completed") },
  { type: "notification", notification: turnCompleted(THREAD, TURN, "interrupted") },
  { type: "notification", notification: turnCompleted(THREAD, TURN, "failed") },
  { type: "steer" },
  { type: "interrupt" },
  { type: "connection.lost", message: "the app-server died" },
];
// A connection that ends before the `turn/start` answer fails the request: the facade sends `turn.rejected`, so
// `connection.lost` in `starting` is not something it can be made to send.
const starting: TurnEvent[] = [
  { type: "turn.accepted", turnId: TURN },
  { type: "turn.rejected", message: "refused" },
];

function describeEvent(event: TurnEvent): string {
  if (event.type !== "notification") return event.type;
  const { method, params } = event.notification as { method: string; params: { turn?: { status?: string } } };
  return method === "turn/completed" ? `turn/completed(${params.turn?.status})` : method;
}

/** What the facade must agree on: the state, and the counts the snapshot shows. */
function facts(value: unknown, context: Turn["context"]) {
  return {
    state: JSON.stringify(value),
    deltas: context.deltas,
    openItems: context.openItemIds.length,
    steers: context.steers,
    interruptRequested: context.interruptRequested,
  };
}

const traversal = {
  input: { threadId: THREAD },
  events: (snapshot: Turn) => (snapshot.status !== "active" ? [] : snapshot.matches("starting") ? starting : running),
};
// Every simple path between the machine's states, and the shortest path to every state as the snapshot sees it
// (state, open items, steered, interrupt requested): simple paths over that finer state space would be millions.
const simple = getSimplePaths(turnMachine, {
  ...traversal,
  serializeState: (snapshot: Turn) => JSON.stringify(snapshot.value),
});
const shortest = getShortestPaths(turnMachine, {
  ...traversal,
  serializeState: (snapshot: Turn) =>
    `${JSON.stringify(snapshot.value)}|open:${snapshot.context.openItemIds.length > 0}|steered:${snapshot.context.steers > 0}|interrupt:${snapshot.context.interruptRequested}`,
});
const byEvents = new Map<string, (typeof simple)[number]>();
for (const path of [...simple, ...shortest]) byEvents.set(JSON.stringify(path.steps.map((step) => step.event)), path);
const paths = [...byEvents.values()];

/** Drives the facade through one path's events. */
class Replay {
  readonly server = new FakeAppServer();
  readonly codex = new AsyncCodex({ transport: this.server.transport, requestTimeoutMs: 5_000, traceFile: false });
  handle: AsyncTurnHandle | null = null;
  #answer: ((accepted: boolean) => void) | null = null;
  #turning: Promise<unknown> | null = null;

  async begin(): Promise<void> {
    this.server.onTurnStart = (_params, turnId) =>
      new Promise((resolve, reject) => {
        this.#answer = (accepted) =>
          accepted
            ? resolve({
                turn: {
                  id: turnId,
                  items: [],
                  status: "inProgress",
                  error: null,
                  startedAt: 1,
                  completedAt: null,
                  durationMs: null,
                },
              })
            : reject(new JsonRpcError("refused", { code: -32600 }));
      });
    const thread = await this.codex.threadStart();
    assert.equal(thread.id === THREAD || thread.id.startsWith("thr_"), true);
    this.#turning = thread.turn("go").then(
      (handle) => (this.handle = handle),
      () => undefined,
    );
    while (this.#answer === null) await delay(1);
  }

  async apply(event: TurnEvent): Promise<void> {
    switch (event.type) {
      case "turn.accepted":
        this.#answer!(true);
        await this.#turning;
        break;
      case "turn.rejected":
        this.#answer!(false);
        await this.#turning;
        break;
      case "notification":
        this.server.notify(event.notification);
        break;
      case "deltas":
        for (const notification of event.notifications) this.server.notify(notification);
        break;
      case "steer":
        await this.handle!.steer("more");
        break;
      case "interrupt":
        await this.handle!.interrupt();
        break;
      case "connection.lost":
        await this.server.die();
        break;
    }
  }

  /** The facade's view, once it agrees with `expected` or after a second. */
  async agree(expected: ReturnType<typeof facts>): Promise<void> {
    const deadline = Date.now() + 1_000;
    let seen: unknown;
    for (;;) {
      const snapshot = this.codex.snapshot();
      const turn = snapshot.runningTurns[0] ?? snapshot.finishedTurns[0];
      seen =
        turn === undefined
          ? null
          : {
              state: JSON.stringify(turn.state),
              deltas: turn.deltas,
              openItems: turn.openItems,
              steers: turn.steers,
              interruptRequested: turn.interruptRequested,
            };
      const actor = this.handle?.actor.getSnapshot();
      const actorFacts = actor === undefined ? null : facts(actor.value, actor.context);
      if (
        JSON.stringify(seen) === JSON.stringify(expected) &&
        (actorFacts === null || JSON.stringify(actorFacts) === JSON.stringify(expected))
      )
        return;
      if (Date.now() > deadline) {
        assert.deepEqual({ snapshot: seen, actor: actorFacts ?? expected }, { snapshot: expected, actor: expected });
      }
      await delay(2);
    }
  }
}

describe("turnMachine, model-based: every simple path replayed through the facade", { timeout: 120_000 }, () => {
  it(`@xstate/graph finds ${simple.length} simple and ${shortest.length} shortest paths (${paths.length} distinct), reaching every state`, () => {
    const reached = new Set(paths.map((path) => JSON.stringify(path.state.value)));
    for (const state of [
      "starting",
      '{"running":"started"}',
      '{"running":"streaming"}',
      '"completed"',
      '"interrupted"',
      '"failed"',
      '"lost"',
    ]) {
      assert.ok(
        reached.has(state.startsWith('"') || state.startsWith("{") ? state : JSON.stringify(state)),
        `no path reaches ${state}`,
      );
    }
    assert.ok(
      simple.length >= 8 && shortest.length >= 20,
      `${simple.length} simple, ${shortest.length} shortest paths`,
    );
  });

  for (const path of paths) {
    const name = path.steps.map((step) => describeEvent(step.event)).join(" → ") || "(start)";
    it(name, async () => {
      // What the machine says: the path's events sent to the machine alone (the graph keeps one snapshot per
      // serialized state, so its steps' snapshots are not always the ones this very path leads to).
      const machine = createActor(turnMachine, { input: { threadId: THREAD } }).start();
      const replay = new Replay();
      try {
        await replay.begin();
        for (const step of path.steps) {
          if ((step.event.type as string) === "xstate.init") continue;
          machine.send(step.event);
          await replay.apply(step.event);
          const said = machine.getSnapshot();
          assert.deepEqual(said.value, step.state.value, "the path leads where the graph says");
          await replay.agree(facts(said.value, said.context));
        }
      } finally {
        machine.stop();
        await replay.codex.close();
      }
    });
  }
});
