import type { TurnLostError } from "../errors/turn-lost-error.js";
import type { ClientDiagnostic } from "./client-diagnostic.js";
import type { Notification, ServerNotificationMethod, ServerNotificationParams } from "../schema/index.js";

/**
 * What the client tells about its restarts (the `restart` option): `restarting` when the connection was lost
 * (or a start failed) and an attempt is about to begin after `delayMs`; `restarted` once a new app-server is
 * up; `threadResumed` when a thread was resumed on it (lazily, by the first call that needed it); `turnLost`
 * for each turn that was running when the connection was lost, once the client knows what the server kept of it.
 *
 * @example
 * ```ts
 * codex.on("restarting", ({ data }) => console.warn(`attempt ${data.attempt} in ${data.delayMs} ms: ${data.error.message}`));
 * codex.on("restarted", ({ data }) => console.info(`back after ${data.downtimeMs} ms`));
 * codex.on("turnLost", ({ data }) => console.warn(`turn ${data.turnId}: ${data.serverTurn?.status ?? "unknown"}`));
 * ```
 */
export interface RestartEventMap {
  /** The connection was lost (or a start failed): attempt `attempt` begins after `delayMs`. */
  restarting: { readonly attempt: number; readonly delayMs: number; readonly error: Error };
  /** A new app-server is up after `attempt` attempts, `downtimeMs` after the loss; `restarts` in all so far. */
  restarted: { readonly attempt: number; readonly downtimeMs: number; readonly restarts: number };
  /** A thread of this client was resumed on the new app-server. */
  threadResumed: { readonly threadId: string };
  /** A turn was running when the connection was lost: what the client saw, and what the server kept. */
  turnLost: TurnLostError;
}

/**
 * The client's events (`codex.events`): `notification` (every server notification), `diagnostic`, the
 * restart events ({@link RestartEventMap}), and one event per notification method carrying its params.
 *
 * @example
 * ```ts
 * const onCompleted = ({ data }: { data: CodexEventMap["turn/completed"] }) =>
 *   console.log(`turn ${data.turn.id} on ${data.threadId}: ${data.turn.status}`);
 * codex.on("turn/completed", onCompleted);
 * ```
 */
export type CodexEventMap = {
  notification: Notification;
  diagnostic: ClientDiagnostic;
} & RestartEventMap & { [M in ServerNotificationMethod]: ServerNotificationParams<M> };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Reports a diagnostic; `atMs` is filled in when left out. Internal. */
export type Diagnose = (diagnostic: DistributiveOmit<ClientDiagnostic, "atMs"> & { atMs?: number }) => void;
