import { assign, emit, fromPromise, setup, type NonReducibleUnknown } from "xstate";
import type { Connection } from "../client/connection.js";
import { BinaryNotFoundError } from "../errors/binary-not-found-error.js";
import { InvalidInputError } from "../errors/invalid-input-error.js";
import { RestartsExhaustedError } from "../errors/restarts-exhausted-error.js";
import { backoffDelayMs, type ResolvedRestartPolicy } from "./restart-policy.js";

/**
 * What the client lifecycle machine remembers: the connection it is ready with, the restart policy and how
 * the restarts are going.
 *
 * @example
 * ```ts
 * codex.lifecycle.subscribe((snapshot) => {
 *   const context: ClientLifecycleContext = snapshot.context;
 *   if (context.attempt > 0) console.warn(`restart attempt ${context.attempt}: ${context.error?.message}`);
 * });
 * ```
 */
export interface ClientLifecycleContext {
  /** The restart policy (`AppServerConfig.restart`, defaults filled in); `null` when off. */
  readonly restart: ResolvedRestartPolicy | null;
  /** The started, initialised app-server while `ready` (and while `closing` it down); `null` otherwise. */
  readonly connection: Connection | null;
  /**
   * The restart attempt in progress (1 for the first), or how many attempts the last run of failures took;
   * back to 0 when an app-server has stayed up for `restart.resetAfterMs`.
   */
  readonly attempt: number;
  /** How many times the client came back to `ready` after a loss (or after a failed first start). */
  readonly restarts: number;
  /**
   * The last error: while `reconnecting`, the loss or the last failed attempt; in `failed`, why the client
   * failed; in `idle`, why the last start failed (the next call starts again); `null` while healthy.
   */
  readonly error: Error | null;
  /** While `reconnecting`: the loss (or failed first start), then each failed attempt's error, in order. */
  readonly causes: readonly Error[];
  /** The wait before the next attempt, while `reconnecting.backoff`. */
  readonly delayMs: number | null;
  /** When the connection was lost (ms since the epoch), while `reconnecting`. */
  readonly lostAtMs: number | null;
  /** When the client last became `ready` (ms since the epoch). */
  readonly readySinceMs: number | null;
  /** Whether the client has ever been `ready` (a failed start then ends in `failed`, not `idle`). */
  readonly everReady: boolean;
}

/**
 * What the client lifecycle machine starts from.
 *
 * @example
 * ```ts
 * import { createActor } from "xstate";
 * import { clientLifecycleMachine, resolveRestartPolicy } from "codex-app-server";
 *
 * const input: ClientLifecycleInput = { restart: resolveRestartPolicy({ maxRestarts: 3 }) };
 * const actor = createActor(clientLifecycleMachine, { input });
 * ```
 */
export interface ClientLifecycleInput {
  /** The restart policy; absent or `null`: a lost connection fails the client. */
  readonly restart?: ResolvedRestartPolicy | null | undefined;
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
  /** Connect (spawn the app-server, run the handshake); taken in `idle` only. */
  | { readonly type: "start" }
  /** Shut the app-server down; accepted in every state, and always ends in `closed`. */
  | { readonly type: "close" }
  /** The connection ended without `close()`: the app-server exited or its pipes broke. */
  | { readonly type: "connection.lost"; readonly error: Error };

/**
 * What the client lifecycle machine emits (`actor.on(type, listener)`), as the client passes on in its events.
 *
 * @example
 * ```ts
 * import { createActor } from "xstate";
 * import { clientLifecycleMachine, type ClientLifecycleEmitted } from "codex-app-server";
 *
 * const actor = createActor(clientLifecycleMachine);
 * actor.on("restarting", (event: Extract<ClientLifecycleEmitted, { type: "restarting" }>) =>
 *   console.warn(`attempt ${event.attempt} in ${event.delayMs} ms: ${event.error.message}`),
 * );
 * ```
 */
export type ClientLifecycleEmitted =
  /** The connection was lost (or a start failed): attempt `attempt` begins after `delayMs`. */
  | { readonly type: "restarting"; readonly attempt: number; readonly delayMs: number; readonly error: Error }
  /** A new app-server is up after `attempt` attempts, `downtimeMs` after the loss; `restarts` in all so far. */
  | { readonly type: "restarted"; readonly attempt: number; readonly downtimeMs: number; readonly restarts: number };

const notProvided = <Output, Input = NonReducibleUnknown>(name: string) =>
  fromPromise<Output, Input>(async () => {
    throw new Error(`the client lifecycle machine's "${name}" actor was not provided: use machine.provide({ actors })`);
  });

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** Errors no wait will fix: a missing binary, a wrong option. */
const isLasting = (error: unknown): boolean =>
  error instanceof BinaryNotFoundError || error instanceof InvalidInputError;

/** The attempt count to go on from: 0 once an app-server has stayed up for `resetAfterMs`. */
function attemptsSoFar(context: ClientLifecycleContext): number {
  const { restart, readySinceMs, attempt } = context;
  if (restart === null || readySinceMs === null) return attempt;
  return Date.now() - readySinceMs >= restart.resetAfterMs ? 0 : attempt;
}

function errorOf(event: { type: string }): Error {
  return asError("error" in event ? event.error : undefined);
}

/** The machine's types, guards, actions and delays; its states are {@link clientLifecycleMachine}. */
const lifecycle = setup({
  types: {
    context: {} as ClientLifecycleContext,
    events: {} as ClientLifecycleEvent,
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- xstate's setup() reads the input type from this assertion
    input: {} as ClientLifecycleInput,
    emitted: {} as ClientLifecycleEmitted,
  },
  actors: {
    start: notProvided<Connection>("start"),
    stop: notProvided<void, { connection: Connection | null }>("stop"),
  },
  delays: {
    backoff: ({ context }) => context.delayMs ?? 0,
  },
  guards: {
    /** The policy allows one more attempt after this loss. */
    mayRestart: ({ context }) => context.restart !== null && attemptsSoFar(context) < context.restart.maxRestarts,
    /** The policy allows one more attempt after this failed one. */
    mayRetry: ({ context }) => context.restart !== null && context.attempt < context.restart.maxRestarts,
    /** A first start failed for a reason a wait may fix, and the policy allows a retry. */
    mayRetryStart: ({ context, event }) =>
      context.restart !== null &&
      context.restart.maxRestarts > 0 &&
      !isLasting("error" in event ? event.error : undefined),
    everReady: ({ context }) => context.everReady,
  },
  actions: {
    clearError: assign({ error: null, causes: [], attempt: 0 }),
    recordError: assign({ error: ({ event }) => errorOf(event), connection: null }),
    beginRestarts: assign(({ context, event }) => {
      const attempt = attemptsSoFar(context) + 1;
      const error = errorOf(event);
      return {
        connection: null,
        attempt,
        error,
        causes: [error],
        lostAtMs: Date.now(),
        delayMs: context.restart === null ? 0 : backoffDelayMs(context.restart, attempt),
      };
    }),
    recordFailedAttempt: assign(({ context, event }) => {
      const attempt = context.attempt + 1;
      const error = errorOf(event);
      return {
        attempt,
        error,
        causes: [...context.causes, error],
        delayMs: context.restart === null ? 0 : backoffDelayMs(context.restart, attempt),
      };
    }),
    giveUp: assign(({ context, event }) => {
      const causes = [...context.causes, errorOf(event)];
      return {
        connection: null,
        causes: [],
        delayMs: null,
        lostAtMs: null,
        error: new RestartsExhaustedError({ causes, attempts: context.attempt, firstStart: !context.everReady }),
      };
    }),
    becomeReady: assign(({ event }) => ({
      connection: (event as { output?: Connection }).output ?? null,
      error: null,
      causes: [],
      delayMs: null,
      lostAtMs: null,
      readySinceMs: Date.now(),
      everReady: true,
    })),
    countRestart: assign({ restarts: ({ context }) => context.restarts + 1 }),
    emitRestarting: emit(({ context }) => ({
      type: "restarting" as const,
      attempt: context.attempt,
      delayMs: context.delayMs ?? 0,
      error: context.error ?? new Error("the connection was lost"),
    })),
    emitRestarted: emit(({ context }) => ({
      type: "restarted" as const,
      attempt: context.attempt,
      downtimeMs: context.lostAtMs === null ? 0 : Date.now() - context.lostAtMs,
      restarts: context.restarts,
    })),
    forgetConnection: assign({ connection: null }),
  },
});

/**
 * A first start that failed — its `start` rejected, or the connection ended during it: retried when the
 * restart policy says so (`retryStart`), else the client is idle again with the error.
 */
const startFailed = [
  { guard: "mayRetryStart", target: "reconnecting", actions: "beginRestarts" },
  { target: "idle", actions: "recordError" },
] as const;

/**
 * A restart attempt that failed, either way: another attempt after a backoff while the policy allows, else the
 * client gives up — `failed` if it was ever ready, `idle` if it never was.
 */
const attemptFailed = [
  { guard: "mayRetry", target: "backoff", actions: "recordFailedAttempt" },
  { guard: "everReady", target: "#client.failed", actions: "giveUp" },
  { target: "#client.idle", actions: "giveUp" },
] as const;

/**
 * The client's lifecycle as an XState v5 machine: `idle` (lazy: nothing spawned) → `starting` (spawn,
 * `initialize`, `initialized`) → `ready` → `closing` → `closed`. When the app-server dies without `close()`:
 * with no restart policy, `failed`; with one, `reconnecting.backoff` (a delayed transition: the backoff) →
 * `reconnecting.restarting` (a new app-server, a new handshake) → `ready` again, or `failed` once
 * `restart.maxRestarts` attempts in a row have failed. A first start that fails is not final: the machine
 * goes back to `idle` (with `context.error`), and the next `start` tries again; with a restart policy, the
 * first start is retried like a restart first (unless the binary is missing or an option is wrong).
 *
 * This is a pure definition. The client provides the two actors that touch the world — `start`, a connection
 * factory (spawn or dial, then the handshake; it receives an `AbortSignal` that fires when `close` interrupts
 * it, and resolves with the connection the machine then holds), and `stop` (end the connection it is
 * given) — with `machine.provide({ actors })`. Users can draw it, inspect it or drive it with events alone.
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
export const clientLifecycleMachine = lifecycle.createMachine({
  id: "client",
  context: ({ input }) => ({
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- an actor created without input has none
    restart: input?.restart ?? null,
    connection: null,
    attempt: 0,
    restarts: 0,
    error: null,
    causes: [],
    delayMs: null,
    lostAtMs: null,
    readySinceMs: null,
    everReady: false,
  }),
  initial: "idle",
  states: {
    idle: {
      on: {
        start: { target: "starting", actions: "clearError" },
        close: "closed",
      },
    },
    starting: {
      invoke: {
        src: "start",
        onDone: { target: "ready", actions: "becomeReady" },
        onError: startFailed,
      },
      on: {
        close: "closing",
        "connection.lost": startFailed,
      },
    },
    ready: {
      on: {
        close: "closing",
        "connection.lost": [
          { guard: "mayRestart", target: "reconnecting", actions: "beginRestarts" },
          { target: "failed", actions: "recordError" },
        ],
      },
    },
    reconnecting: {
      initial: "backoff",
      on: {
        close: "closing",
      },
      states: {
        backoff: {
          entry: "emitRestarting",
          after: {
            backoff: "restarting",
          },
        },
        restarting: {
          invoke: {
            src: "start",
            onDone: { target: "#client.ready", actions: ["countRestart", "emitRestarted", "becomeReady"] },
            onError: attemptFailed,
          },
          on: {
            "connection.lost": attemptFailed,
          },
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
        input: ({ context }) => ({ connection: context.connection }),
        onDone: { target: "closed", actions: "forgetConnection" },
        onError: { target: "closed", actions: "forgetConnection" },
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
 * import { clientLifecycleMachine, type ClientLifecycleMachine, type Connection } from "codex-app-server";
 *
 * const instant: ClientLifecycleMachine = clientLifecycleMachine.provide({
 *   actors: { start: fromPromise(async () => ({}) as Connection), stop: fromPromise(async () => {}) },
 * });
 * const snapshot: SnapshotFrom<ClientLifecycleMachine> = codex.lifecycle.getSnapshot();
 * ```
 */
export type ClientLifecycleMachine = typeof clientLifecycleMachine;
