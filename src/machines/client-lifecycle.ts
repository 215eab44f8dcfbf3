import { assign, fromPromise, setup } from "xstate";

/**
 * What the client lifecycle machine remembers.
 *
 * @example
 * ```ts
 * codex.lifecycle.subscribe((snapshot) => {
 *   const context: ClientLifecycleContext = snapshot.context;
 *   if (context.error !== null) console.error(`the client failed: ${context.error.message}`);
 * });
 * ```
 */
export interface ClientLifecycleContext {
  /** Why the client failed (start failed, or the app-server died); `null` while healthy. */
  readonly error: Error | null;
}

/**
 * The events the client lifecycle machine accepts.
 *
 * @example
 * ```ts
 * import { createActor } from "xstate";
 * import { clientLifecycleMachine, type ClientLifecycleEvent } from "codex-app-server";
 *
 * const actor = createActor(clientLifecycleMachine).start();
 * const close: ClientLifecycleEvent = { type: "close" };
 * actor.send(close);
 * console.log(actor.getSnapshot().value); // "closed"
 * ```
 */
export type ClientLifecycleEvent =
  /** Spawn the app-server and run the `initialize` handshake (ignored unless `idle`). */
  | { readonly type: "start" }
  /** Shut the app-server down; accepted in every state, and always ends in `closed`. */
  | { readonly type: "close" }
  /** The connection ended without `close()`: the app-server exited or its pipes broke. */
  | { readonly type: "connection.lost"; readonly error: Error };

const notProvided = (name: string) =>
  fromPromise<void>(async () => {
    throw new Error(`the client lifecycle machine's "${name}" actor was not provided: use machine.provide({ actors })`);
  });

/**
 * The client's lifecycle as an XState v5 machine: `idle` (lazy: nothing spawned) → `starting` (spawn,
 * `initialize`, `initialized`) → `ready` → `closing` → `closed`, with `failed` when the start fails or the
 * app-server dies while ready.
 *
 * This is a pure definition. The client provides the two actors that touch the world — `start` (spawn and
 * handshake; it receives an `AbortSignal` that fires when `close` interrupts it) and `stop` (end the
 * process) — with `machine.provide({ actors })`. Users can draw it, inspect it or drive it with events alone.
 *
 * @example
 * ```ts
 * import { createActor } from "xstate";
 * import { clientLifecycleMachine } from "codex-app-server";
 *
 * const actor = createActor(clientLifecycleMachine, { inspect: (e) => console.log(e.type) });
 * actor.subscribe({ error: (err) => console.error(err) });
 * actor.start();
 * actor.send({ type: "close" });
 * console.log(actor.getSnapshot().value); // "closed"
 * ```
 */
export const clientLifecycleMachine = setup({
  types: {
    context: {} as ClientLifecycleContext,
    events: {} as ClientLifecycleEvent,
  },
  actors: {
    start: notProvided("start"),
    stop: notProvided("stop"),
  },
  actions: {
    recordError: assign({
      error: (_, params: { error: unknown }) =>
        params.error instanceof Error ? params.error : new Error(String(params.error)),
    }),
  },
}).createMachine({
  id: "client",
  context: { error: null },
  initial: "idle",
  states: {
    idle: {
      on: {
        start: "starting",
        close: "closed",
      },
    },
    starting: {
      invoke: {
        src: "start",
        onDone: "ready",
        onError: {
          target: "failed",
          actions: { type: "recordError", params: ({ event }) => ({ error: event.error }) },
        },
      },
      on: {
        close: "closing",
        "connection.lost": {
          target: "failed",
          actions: { type: "recordError", params: ({ event }) => ({ error: event.error }) },
        },
      },
    },
    ready: {
      on: {
        close: "closing",
        "connection.lost": {
          target: "failed",
          actions: { type: "recordError", params: ({ event }) => ({ error: event.error }) },
        },
      },
    },
    failed: {
      on: {
        close: "closing",
      },
    },
    closing: {
      invoke: {
        src: "stop",
        onDone: "closed",
        onError: "closed",
      },
    },
    closed: {
      type: "final",
    },
  },
});

/**
 * The client lifecycle machine's type, for `machine.provide` and snapshots.
 *
 * @example
 * ```ts
 * import { fromPromise, type SnapshotFrom } from "xstate";
 * import { clientLifecycleMachine, type ClientLifecycleMachine } from "codex-app-server";
 *
 * const instant: ClientLifecycleMachine = clientLifecycleMachine.provide({
 *   actors: { start: fromPromise(async () => {}), stop: fromPromise(async () => {}) },
 * });
 * const snapshot: SnapshotFrom<ClientLifecycleMachine> = codex.lifecycle.getSnapshot();
 * ```
 */
export type ClientLifecycleMachine = typeof clientLifecycleMachine;
