import type { StateValue } from "xstate";
import type { RequestId, ThreadTokenUsage } from "../schema/index.js";
import type { MessageKind } from "./message-record.js";

/**
 * What a client is doing right now, as plain JSON (no actors, no functions: `JSON.stringify` it, send it,
 * keep it): `codex.snapshot()`, and what `codex.subscribe()` delivers. It never holds a secret: no config,
 * no environment, no tokens; message previews are redacted.
 *
 * @example
 * ```ts
 * const snapshot: ClientSnapshot = codex.snapshot();
 * console.log(snapshot.client.state, snapshot.runningTurns.length, "running");
 * for (const turn of snapshot.runningTurns) console.log(turn.turnId, JSON.stringify(turn.state), turn.deltas);
 * ```
 */
export interface ClientSnapshot {
  /** When it was taken, by `Date.now()`. */
  readonly takenAtMs: number;
  /** The client's lifecycle machine (`codex.lifecycle`). */
  readonly client: ClientStateSnapshot;
  /** The app-server of the current (or last) connection; `null` before the first. */
  readonly appServer: AppServerSnapshot | null;
  /** Every thread this client knows (started, resumed, forked or seen here), the most recently active last. */
  readonly threads: readonly ThreadSnapshot[];
  /** Every turn running on this client, in the order they started (`starting` ones included). */
  readonly runningTurns: readonly TurnSnapshot[];
  /** The last finished turns, oldest first; at most `maxFinishedTurns` (default 100). */
  readonly finishedTurns: readonly TurnSnapshot[];
  /** The client's requests waiting for their answer. */
  readonly pendingRequests: readonly PendingRequestSnapshot[];
  /** The app-server's requests (approvals, questions…) waiting for this client's answer. */
  readonly serverRequests: readonly ServerRequestSnapshot[];
  /** The last messages on the wire, both ways, oldest first; at most `maxRecentMessages` (default 50). */
  readonly messages: readonly MessageSnapshot[];
  /** Running totals since the client was created. */
  readonly totals: ClientTotals;
}

/**
 * The client's lifecycle in a {@link ClientSnapshot}: whatever state its machine is in.
 *
 * @example
 * ```ts
 * const { state, error } = codex.snapshot().client;
 * if (state === "failed") console.error(error);
 * ```
 */
export interface ClientStateSnapshot {
  /** The machine's state value (`"idle"`, `"ready"`, …: read it as the machine defines it). */
  readonly state: StateValue;
  /** `"active"`, or `"done"` once closed. */
  readonly status: string;
  /** Why the client failed, if it did. */
  readonly error: string | null;
}

/**
 * The app-server in a {@link ClientSnapshot}.
 *
 * @example
 * ```ts
 * const server = codex.snapshot().appServer;
 * if (server !== null) console.log(`codex ${server.version}, pid ${server.pid}, up ${server.uptimeMs} ms`);
 * ```
 */
export interface AppServerSnapshot {
  /** The process id, for a spawned app-server; `null` over another transport. */
  readonly pid: number | null;
  /** `serverInfo.name` from the handshake. */
  readonly name: string;
  /** `serverInfo.version` from the handshake. */
  readonly version: string;
  /** `platformOs` from the handshake. */
  readonly platformOs: string;
  /** When the handshake finished, by `Date.now()`. */
  readonly connectedAtMs: number;
  /** How long since then; `null` once the connection has ended. */
  readonly uptimeMs: number | null;
  /** When the connection ended, if it has. */
  readonly disconnectedAtMs: number | null;
}

/**
 * A thread in a {@link ClientSnapshot}.
 *
 * @example
 * ```ts
 * for (const thread of codex.snapshot().threads) console.log(thread.id, thread.status, thread.turns);
 * ```
 */
export interface ThreadSnapshot {
  readonly id: string;
  /** The model the server said the thread uses, when this client saw it. */
  readonly model: string | null;
  /** The thread's status as the server last reported it (`idle`, `active`, …), when seen. */
  readonly status: string | null;
  /** How many turns this client started on it. */
  readonly turns: number;
  /** Its turns running now. */
  readonly runningTurnIds: readonly string[];
  /** The last turn this client started on it. */
  readonly lastTurnId: string | null;
  /** When this client last saw something of it, by `Date.now()`. */
  readonly lastActivityAtMs: number;
}

/**
 * A turn in a {@link ClientSnapshot}, read from its machine.
 *
 * @example
 * ```ts
 * const [turn] = codex.snapshot().runningTurns;
 * console.log(turn?.state); // { running: "streaming" }
 * ```
 */
export interface TurnSnapshot {
  readonly threadId: string;
  /** `null` while `turn/start` has not been answered. */
  readonly turnId: string | null;
  /** The turn machine's state value: `"starting"`, `{ running: "streaming" }`, `"completed"`, … */
  readonly state: StateValue;
  /** Whether the machine still runs (`"active"`) or reached a final state (`"done"`). */
  readonly status: string;
  /** How many items the turn has (open ones included). */
  readonly items: number;
  /** How many items are open (started, not completed). */
  readonly openItems: number;
  /** How many delta notifications it received. */
  readonly deltas: number;
  readonly steers: number;
  readonly interruptRequested: boolean;
  /** The token usage the server last reported for it. */
  readonly usage: ThreadTokenUsage | null;
  /** The error's message, if it failed or reported an error (redacted). */
  readonly error: string | null;
  /** When this client sent `turn/start`, by `Date.now()`. */
  readonly startedAtMs: number;
  /** When its machine finished. */
  readonly endedAtMs: number | null;
}

/**
 * A request of the client waiting for its answer, in a {@link ClientSnapshot}.
 *
 * @example
 * ```ts
 * const slow = codex.snapshot().pendingRequests.filter((request) => request.ageMs > 10_000);
 * ```
 */
export interface PendingRequestSnapshot {
  readonly method: string;
  /** The thread its params name, if any. */
  readonly threadId: string | null;
  /** How long it has waited, in milliseconds. */
  readonly ageMs: number;
}

/**
 * A request of the app-server (an approval, a question…) waiting for this client's answer, in a
 * {@link ClientSnapshot}.
 *
 * @example
 * ```ts
 * for (const request of codex.snapshot().serverRequests) console.log(request.method, request.ageMs);
 * ```
 */
export interface ServerRequestSnapshot {
  readonly id: RequestId;
  readonly method: string;
  readonly threadId: string | null;
  readonly turnId: string | null;
  /** How long it has waited, in milliseconds. */
  readonly ageMs: number;
}

/**
 * A message on the wire, in a {@link ClientSnapshot}: what it was, without its payload but for a short,
 * redacted preview.
 *
 * @example
 * ```ts
 * for (const m of codex.snapshot().messages) console.log(m.direction, m.kind, m.method, m.bytes);
 * ```
 */
export interface MessageSnapshot {
  readonly direction: "outgoing" | "incoming";
  readonly kind: MessageKind;
  readonly id: RequestId | null;
  readonly method: string | null;
  readonly atMs: number;
  readonly elapsedMs: number | null;
  /** Its size as JSON, in bytes. */
  readonly bytes: number;
  /** The start of its params, result or error as JSON, redacted (at most 160 characters). */
  readonly preview: string;
}

/**
 * Running totals in a {@link ClientSnapshot}.
 *
 * @example
 * ```ts
 * const { turnsStarted, messagesIn } = codex.snapshot().totals;
 * ```
 */
export interface ClientTotals {
  readonly turnsStarted: number;
  readonly turnsFinished: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
}

/**
 * Options of `codex.subscribe()`.
 *
 * @example
 * ```ts
 * using sub = codex.subscribe((snapshot) => render(snapshot), { intervalMs: 250 });
 * ```
 */
export interface SubscribeOptions {
  /**
   * The least time between two calls of the listener, in milliseconds: changes in between are coalesced into
   * the next snapshot. Default 100.
   */
  readonly intervalMs?: number | undefined;
  /** Stops the subscription when aborted. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Called with a fresh {@link ClientSnapshot} after something in it changed. A listener that throws (or
 * rejects) is reported as a `listenerFailed` diagnostic; the client and the other listeners go on.
 *
 * @example
 * ```ts
 * const listener: SnapshotListener = (snapshot) => console.log(snapshot.runningTurns.length);
 * ```
 */
export type SnapshotListener = (snapshot: ClientSnapshot) => void | Promise<void>;
