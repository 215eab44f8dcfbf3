import { getSimplePaths } from "@xstate/graph";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { createActor, fromPromise, type AnyEventObject, type SnapshotFrom } from "xstate";
import { AsyncCodex, clientLifecycleMachine, JsonRpcError } from "../../src/index.js";
import { JsonRpcPeer } from "../../src/rpc/peer.js";
import { createMemoryTransportPair, type MemoryTransport, type Transport } from "../../src/transport/index.js";

/**
 * Model-based test of the client lifecycle machine: @xstate/graph enumerates the simple paths through
 * `clientLifecycleMachine` over the events a client meets — `start`, `close`, `connection.lost`, and its two
 * actors (`start`: spawn and handshake; `stop`: end the process) finishing or failing — and each path is replayed
 * through a real `AsyncCodex` whose app-server is an in-process fake that the test holds: the handshake answers,
 * fails, the connection dies, or closing finishes, only when the path says so. After every step, `codex.lifecycle`
 * and `codex.snapshot().client` must be in the state the machine alone reaches with the same events.
 *
 * The events and actors come from the machine's definition (a state added later is explored when these events
 * reach it); only events with a replay below are offered.
 */

type Lifecycle = SnapshotFrom<typeof clientLifecycleMachine>;
interface StateNodeView {
  readonly invoke: readonly { readonly id: string; readonly src: unknown }[];
  readonly states: Readonly<Record<string, StateNodeView>>;
}

/** The invoked actors of the machine, by their source (`start`, `stop`), with their ids. */
function invokes(node: StateNodeView, out = new Map<string, string[]>()): Map<string, string[]> {
  for (const invoke of node.invoke) out.set(String(invoke.src), [...(out.get(String(invoke.src)) ?? []), invoke.id]);
  for (const child of Object.values(node.states)) invokes(child, out);
  return out;
}

const actors = invokes(clientLifecycleMachine.root);
const error = new Error("from the model");
const EVENTS: AnyEventObject[] = [
  { type: "start" },
  { type: "close" },
  { type: "connection.lost", error },
  ...["start", "stop"].flatMap((src) =>
    (actors.get(src) ?? []).flatMap((id) => [
      { type: `xstate.done.actor.${id}`, output: undefined, actorId: id },
      { type: `xstate.error.actor.${id}`, error, actorId: id },
    ]),
  ),
];

const paths = getSimplePaths(clientLifecycleMachine, {
  input: { restart: null },
  events: EVENTS,
  serializeState: (snapshot: Lifecycle) => JSON.stringify(snapshot.value),
} as never);

function describeEvent(event: AnyEventObject): string {
  for (const [src, ids] of actors) {
    for (const id of ids) {
      if (event.type === `xstate.done.actor.${id}`) return `${src} done`;
      if (event.type === `xstate.error.actor.${id}`) return `${src} failed`;
    }
  }
  return event.type;
}

/** An app-server the test holds: the handshake and the end of a close happen when the test says. */
class HeldAppServer {
  peer: JsonRpcPeer | null = null;
  server: MemoryTransport | null = null;
  #handshake = Promise.withResolvers<unknown>();
  #closing: PromiseWithResolvers<void> | null = null;
  /** Whether `close()` of the client's transport is waiting for the test. */
  closeWaiting = false;

  readonly transport = (): Transport => {
    const [client, server] = createMemoryTransportPair();
    this.server = server;
    this.peer = new JsonRpcPeer(server, { requestTimeoutMs: 10_000 });
    this.peer.onRequest("initialize", () => this.#handshake.promise);
    return {
      listen: (listener) => client.listen(listener),
      send: (message) => client.send(message),
      get closeInfo() {
        return client.closeInfo;
      },
      close: async () => {
        if (this.#closing !== null) {
          this.closeWaiting = true;
          await this.#closing.promise;
        }
        return client.close();
      },
      [Symbol.asyncDispose]: () => client[Symbol.asyncDispose](),
    };
  };

  answerHandshake(): void {
    this.#handshake.resolve({
      userAgent: "held/1.0.0 (model test)",
      codexHome: "/h",
      platformFamily: "unix",
      platformOs: "linux",
    });
  }

  failHandshake(): void {
    this.#handshake.reject(new JsonRpcError("the model says the start fails", { code: -32603 }));
  }

  /** From now on, closing the client's transport waits for {@link endClose}. */
  holdClose(): void {
    if (this.#closing !== null) return;
    this.#closing = Promise.withResolvers<void>();
    this.#closing.promise.catch(() => undefined); // a failure nobody waits for (nothing was closing) is no error
  }

  endClose(failed: boolean): void {
    const closing = this.#closing;
    this.#closing = null;
    if (closing === null) return;
    if (failed) closing.reject(new Error("the model says closing fails"));
    else closing.resolve();
  }
}

async function replay(server: HeldAppServer, codex: AsyncCodex, event: AnyEventObject): Promise<void> {
  const what = describeEvent(event);
  switch (what) {
    case "start":
      void codex.start().catch(() => undefined);
      while (server.peer === null && codex.lifecycle.getSnapshot().matches("starting")) await delay(1);
      return;
    case "close":
      server.holdClose();
      void codex.close();
      return;
    case "connection.lost":
      await server.server?.close({ exitCode: 1, stderrTail: "the model says it died" });
      return;
    case "start done":
      server.answerHandshake();
      return;
    case "start failed":
      server.failHandshake();
      return;
    case "stop done":
    case "stop failed":
      server.endClose(what === "stop failed");
      return;
    default:
      assert.fail(`no replay for the event ${event.type}: add one to this test`);
  }
}

describe(
  "clientLifecycleMachine, model-based: every simple path replayed through AsyncCodex",
  { timeout: 120_000 },
  () => {
    it(`@xstate/graph finds ${paths.length} simple paths over ${EVENTS.length} events, reaching every state a client without a restart policy has`, () => {
      const reached = new Set(paths.map((path) => JSON.stringify(path.state.value)));
      // `reconnecting` needs the `restart` option and its backoff timers: the restart tests cover it.
      for (const state of Object.keys(clientLifecycleMachine.root.states).filter((name) => name !== "reconnecting")) {
        assert.ok(reached.has(JSON.stringify(state)), `no path reaches ${state}`);
      }
    });

    for (const path of paths) {
      const name = path.steps.map((step) => describeEvent(step.event)).join(" → ");
      it(name, async () => {
        // The machine alone, its actors never settling by themselves: their outcome is the path's events.
        const pending = fromPromise<void>(() => new Promise<void>(() => undefined));
        const machine = createActor(
          clientLifecycleMachine.provide({ actors: { start: pending as never, stop: pending as never } }),
          {
            input: { restart: null },
          },
        ).start();
        const server = new HeldAppServer();
        const codex = new AsyncCodex({ transport: server.transport, traceFile: false, openTelemetry: false });
        try {
          for (const step of path.steps) {
            if ((step.event.type as string) === "xstate.init") continue;
            machine.send(step.event);
            await replay(server, codex, step.event);
            const expected = JSON.stringify(machine.getSnapshot().value);
            const deadline = Date.now() + 1_500;
            for (;;) {
              const facade = JSON.stringify(codex.lifecycle.getSnapshot().value);
              const snapshot = JSON.stringify(codex.snapshot().client.state);
              if (facade === expected && snapshot === expected) break;
              // With nothing left to stop (no connection, or one already dead), closing ends at once: the machine
              // waits for its stop actor, the client does not.
              if (expected === '"closing"' && facade === '"closed"' && snapshot === facade && !server.closeWaiting)
                break;
              if (Date.now() > deadline)
                assert.deepEqual({ lifecycle: facade, snapshot }, { lifecycle: expected, snapshot: expected });
              await delay(2);
            }
          }
        } finally {
          machine.stop();
          server.endClose(false);
          server.answerHandshake();
          await codex.close();
        }
      });
    }
  },
);
