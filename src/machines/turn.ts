import { assign, setup } from "xstate";
import type { Notification, ThreadItem, ThreadTokenUsage, Turn, TurnError, TurnStatus } from "../schema/index.js";

/**
 * What a turn machine remembers: `handle.actor.getSnapshot().context`.
 *
 * @example
 * ```ts
 * const context: TurnContext = handle.actor.getSnapshot().context;
 * console.log(`${context.items.length} items (${context.openItemIds.length} open), ${context.steers} steers`);
 * ```
 */
export interface TurnContext {
  /** The thread the turn runs on. */
  readonly threadId: string;
  /** The turn's id: known from the `turn/start` answer or from the first notification that names it. */
  readonly turnId: string | null;
  /**
   * Every item of the turn, in the order the items started: completed ones as the server completed them, open
   * ones (agent text gathered from deltas so far) until they complete or the turn ends.
   */
  readonly items: readonly ThreadItem[];
  /** Ids of the items that got `item/started` and no `item/completed` yet. */
  readonly openItemIds: readonly string[];
  /** Ids of items the client closed because the turn ended while they were open (after an interrupt). */
  readonly closedItemIds: readonly string[];
  /**
   * The finished turn from `turn/completed`. The server sends only a summary of its items there (the last agent
   * message; nothing after an interrupt), so unless it says `itemsView: "full"`, `items` is replaced by every
   * item the client saw, in the order they started (those it closed included).
   */
  readonly turn: Turn | null;
  /**
   * The last error: an `error` notification the server will not retry, why `turn/start` failed, or why the
   * turn was lost.
   */
  readonly error: TurnError | null;
  /** The token usage the server last reported for this turn (`thread/tokenUsage/updated`). */
  readonly usage: ThreadTokenUsage | null;
  /** How many `steer` events the turn accepted. */
  readonly steers: number;
  /** How many {@link DeltaNotification}s (agent text, reasoning, command output, …) the turn received. */
  readonly deltas: number;
  /** Whether `interrupt` was requested. */
  readonly interruptRequested: boolean;
}

/**
 * The events a turn machine accepts.
 *
 * @example
 * ```ts
 * import { createActor } from "xstate";
 * import { turnMachine, type TurnEvent } from "codex-app-server";
 *
 * const turn = createActor(turnMachine, { input: { threadId: "thr_1" } }).start();
 * const events: TurnEvent[] = [{ type: "turn.accepted", turnId: "turn_1" }, { type: "interrupt" }];
 * for (const event of events) turn.send(event);
 * console.log(turn.getSnapshot().context.interruptRequested); // true
 * ```
 */
export type TurnEvent =
  /** `turn/start` answered with the turn's id. */
  | { readonly type: "turn.accepted"; readonly turnId: string }
  /** `turn/start` failed: the turn never ran. */
  | { readonly type: "turn.rejected"; readonly message: string }
  /** A server notification routed to this turn. */
  | { readonly type: "notification"; readonly notification: Notification }
  /**
   * Delta notifications (agent text, reasoning, command output, …) that arrived together, in order: the same
   * as sending each as a `notification`, in one transition. The client folds the deltas of one read into one.
   */
  | { readonly type: "deltas"; readonly notifications: readonly DeltaNotification[] }
  /** Extra input for the running turn (`turn/steer`). */
  | { readonly type: "steer" }
  /** A request to stop the running turn (`turn/interrupt`). */
  | { readonly type: "interrupt" }
  /** The connection to the app-server ended while the turn ran: its outcome is unknown (`lost`). */
  | { readonly type: "connection.lost"; readonly message: string };

/**
 * The input a turn machine starts from.
 *
 * @example
 * ```ts
 * import { createActor } from "xstate";
 * import { turnMachine, type TurnInput } from "codex-app-server";
 *
 * const input: TurnInput = { threadId: "thr_1", turnId: "turn_1" };
 * const turn = createActor(turnMachine, { input }).start();
 * ```
 */
export interface TurnInput {
  readonly threadId: string;
  /** The turn id when already known (e.g. a turn resumed from a notification). */
  readonly turnId?: string | null;
}

type NotificationOf<M extends Notification["method"]> = Extract<Notification, { method: M }>;

/**
 * A notification that streams part of an item — agent text (`item/agentMessage/delta`), reasoning, a plan,
 * command or file-change output (`…/outputDelta`): its method ends in `/delta` or `Delta`. Deltas are best
 * effort: the completed item carries the whole content again.
 *
 * @example
 * ```ts
 * handle.actor.subscribe(({ context }) => console.log(`${context.deltas} deltas so far`));
 * const batch: TurnEvent = { type: "deltas", notifications: [] satisfies DeltaNotification[] };
 * ```
 */
export type DeltaNotification = Extract<Notification, { method: `${string}/delta` | `${string}Delta` }>;

const DELTA = /(?:\/delta|Delta)$/;

/** The methods of the non-delta notifications the machine reacts to; every other one leaves it as it is. */
const TRACKED_METHODS: ReadonlySet<string> = new Set<Notification["method"]>([
  "turn/started",
  "turn/completed",
  "item/started",
  "item/completed",
  "error",
  "thread/tokenUsage/updated",
]);

/**
 * Whether sending this notification to a turn machine can change it: a delta, or one of the methods its guards
 * name. The client sends the machine only these (a `warning`, `thread/status/changed`, … would cost a
 * transition and change nothing); test/unit/machines-turn.test.ts holds this against the machine.
 */
export function changesTurn(notification: Notification): boolean {
  return TRACKED_METHODS.has(notification.method) || isDeltaNotification(notification);
}

/** Whether a notification is a {@link DeltaNotification}: the one rule for the machine, the queues and the router. */
export function isDeltaNotification<N extends { readonly method: string }>(
  notification: N,
): notification is N & DeltaNotification {
  return DELTA.test(notification.method);
}

function isMethod<M extends Notification["method"]>(
  event: TurnEvent,
  method: M,
): event is {
  type: "notification";
  notification: NotificationOf<M>;
} {
  return event.type === "notification" && event.notification.method === method;
}

function completedStatus(event: TurnEvent): TurnStatus | null {
  return isMethod(event, "turn/completed") ? event.notification.params.turn.status : null;
}

/** The items with the agent text of `deltas` appended to their agent messages: one new array, whatever the count. */
function appendAgentText(items: readonly ThreadItem[], deltas: readonly DeltaNotification[]): readonly ThreadItem[] {
  const text = new Map<string, string>();
  for (const delta of deltas) {
    if (delta.method !== "item/agentMessage/delta") continue;
    const { itemId } = delta.params;
    text.set(itemId, (text.get(itemId) ?? "") + delta.params.delta);
  }
  if (text.size === 0) return items;
  return items.map((item) => {
    if (item.type !== "agentMessage") return item;
    const added = text.get(item.id);
    return added === undefined ? item : { ...item, text: item.text + added };
  });
}

function carriesAgentText(deltas: readonly DeltaNotification[]): boolean {
  return deltas.some((delta) => delta.method === "item/agentMessage/delta");
}

function upsert(items: readonly ThreadItem[], next: ThreadItem): readonly ThreadItem[] {
  const index = items.findIndex((item) => item.id === next.id);
  return index < 0 ? [...items, next] : items.with(index, next);
}

function isItemProgress(event: TurnEvent): boolean {
  return (
    isMethod(event, "item/started") || isMethod(event, "item/completed") || isMethod(event, "item/agentMessage/delta")
  );
}

function failure(message: string): TurnError {
  return { message, codexErrorInfo: null, additionalDetails: null };
}

/**
 * One turn as an XState v5 machine: `starting` (`turn/start` sent) → `running.started` →
 * `running.streaming` → `completed` | `interrupted` | `failed`, or `lost` when the connection to the
 * app-server ended while the turn ran (its outcome is unknown: the server may have gone on with it, or not).
 *
 * It is driven by events alone — the `turn/start` answer, the notifications routed to the turn in whatever
 * order they come (a `turn/completed` that arrives before the `turn/start` answer still ends the turn),
 * `steer`, `interrupt`, and a lost connection — so it can be drawn, inspected and tested with no process.
 * When the turn ends while items are still open (the server never completes a partly streamed message after
 * an interrupt), the machine closes them with the text gathered so far and lists them in `closedItemIds`.
 * The finished `turn` carries every item the client saw, not the server's summary.
 *
 * @example
 * ```ts
 * import { createActor } from "xstate";
 * import { turnMachine } from "codex-app-server";
 *
 * const turn = createActor(turnMachine, { input: { threadId: "thr_1" } });
 * turn.subscribe({ error: (err) => console.error(err) });
 * turn.start();
 * turn.send({ type: "turn.accepted", turnId: "turn_1" });
 * console.log(turn.getSnapshot().value); // { running: "started" }
 * console.log(turn.getSnapshot().can({ type: "interrupt" })); // true
 * ```
 */
export const turnMachine = setup({
  types: {
    context: {} as TurnContext,
    events: {} as TurnEvent,
    input: {} as TurnInput,
  },
  guards: {
    knowsTurnId: ({ context }) => context.turnId !== null,
    isItemProgress: ({ event }) => isItemProgress(event),
    isTurnStarted: ({ event }) => isMethod(event, "turn/started"),
    isError: ({ event }) => isMethod(event, "error"),
    isUsage: ({ event }) => isMethod(event, "thread/tokenUsage/updated"),
    isDelta: ({ event }) => event.type === "notification" && isDeltaNotification(event.notification),
    carriesAgentText: ({ event }) => event.type === "deltas" && carriesAgentText(event.notifications),
    endsCompleted: ({ event }) => {
      const status = completedStatus(event);
      return status === "completed" || status === "inProgress";
    },
    endsInterrupted: ({ event }) => completedStatus(event) === "interrupted",
    endsFailed: ({ event }) => completedStatus(event) === "failed",
  },
  actions: {
    acceptTurn: assign({
      turnId: ({ context, event }) => (event.type === "turn.accepted" ? event.turnId : context.turnId),
    }),
    learnTurnId: assign({
      turnId: ({ context, event }) =>
        context.turnId ?? (isMethod(event, "turn/started") ? event.notification.params.turn.id : null),
    }),
    fail: assign(({ context, event }) => ({
      error:
        event.type === "turn.rejected" || event.type === "connection.lost" ? failure(event.message) : context.error,
      openItemIds: [],
      closedItemIds: context.openItemIds,
    })),
    trackItem: assign(({ context, event }) => {
      if (isMethod(event, "item/started")) {
        const item = event.notification.params.item;
        return { items: upsert(context.items, item), openItemIds: [...context.openItemIds, item.id] };
      }
      if (isMethod(event, "item/agentMessage/delta")) {
        return { items: appendAgentText(context.items, [event.notification]), deltas: context.deltas + 1 };
      }
      if (isMethod(event, "item/completed")) {
        const item = event.notification.params.item;
        return { items: upsert(context.items, item), openItemIds: context.openItemIds.filter((id) => id !== item.id) };
      }
      return {};
    }),
    recordError: assign({
      error: ({ context, event }) =>
        isMethod(event, "error") && !event.notification.params.willRetry
          ? event.notification.params.error
          : context.error,
    }),
    recordUsage: assign({
      usage: ({ context, event }) =>
        isMethod(event, "thread/tokenUsage/updated") ? event.notification.params.tokenUsage : context.usage,
    }),
    trackDeltas: assign(({ context, event }) =>
      event.type === "deltas"
        ? {
            items: appendAgentText(context.items, event.notifications),
            deltas: context.deltas + event.notifications.length,
          }
        : {},
    ),
    countSteer: assign({ steers: ({ context }) => context.steers + 1 }),
    countDelta: assign({ deltas: ({ context }) => context.deltas + 1 }),
    requestInterrupt: assign({ interruptRequested: true }),
    finish: assign(({ context, event }) => {
      if (!isMethod(event, "turn/completed")) return {};
      const served = event.notification.params.turn;
      const { items } = context;
      return {
        turnId: context.turnId ?? served.id,
        openItemIds: [],
        closedItemIds: context.openItemIds,
        turn:
          served.itemsView === "full" && served.items.length > 0
            ? served
            : { ...served, items: [...items], itemsView: "full" as const },
        error: served.error ?? context.error,
      };
    }),
  },
}).createMachine({
  id: "turn",
  context: ({ input }) => ({
    threadId: input.threadId,
    turnId: input.turnId ?? null,
    items: [],
    openItemIds: [],
    closedItemIds: [],
    turn: null,
    error: null,
    usage: null,
    steers: 0,
    deltas: 0,
    interruptRequested: false,
  }),
  initial: "starting",
  on: {
    notification: [
      { guard: "endsCompleted", target: ".completed", actions: "finish" },
      { guard: "endsInterrupted", target: ".interrupted", actions: "finish" },
      { guard: "endsFailed", target: ".failed", actions: "finish" },
      { guard: "isItemProgress", target: ".running.streaming", actions: "trackItem" },
      { guard: "isTurnStarted", actions: "learnTurnId" },
      { guard: "isError", actions: "recordError" },
      { guard: "isUsage", actions: "recordUsage" },
      { guard: "isDelta", actions: "countDelta" },
    ],
    deltas: [
      { guard: "carriesAgentText", target: ".running.streaming", actions: "trackDeltas" },
      { actions: "trackDeltas" },
    ],
    "connection.lost": { target: ".lost", actions: "fail" },
  },
  states: {
    starting: {
      on: {
        "turn.accepted": { target: "running", actions: "acceptTurn" },
        "turn.rejected": { target: "failed", actions: "fail" },
        notification: { guard: "isTurnStarted", target: "running", actions: "learnTurnId" },
        steer: { guard: "knowsTurnId", actions: "countSteer" },
        interrupt: { guard: "knowsTurnId", actions: "requestInterrupt" },
      },
    },
    running: {
      initial: "started",
      on: {
        "turn.accepted": { actions: "acceptTurn" },
        steer: { actions: "countSteer" },
        interrupt: { actions: "requestInterrupt" },
      },
      states: {
        started: {},
        streaming: {
          on: {
            notification: { guard: "isItemProgress", actions: "trackItem" },
            deltas: { actions: "trackDeltas" },
          },
        },
      },
    },
    completed: { type: "final" },
    interrupted: { type: "final" },
    failed: { type: "final" },
    lost: { type: "final" },
  },
});

/**
 * The turn machine's type, for snapshots and `machine.provide`.
 *
 * @example
 * ```ts
 * import type { SnapshotFrom } from "xstate";
 * import type { TurnMachine } from "codex-app-server";
 *
 * const snapshot: SnapshotFrom<TurnMachine> = handle.actor.getSnapshot();
 * console.log(snapshot.value, snapshot.context.turnId);
 * ```
 */
export type TurnMachine = typeof turnMachine;
