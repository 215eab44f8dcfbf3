import type { CodexEventMap } from "../client/codex-events.js";

/**
 * The events of the synchronous {@link Codex} (`codex.on()`): `diagnostic`, what went wrong without failing a
 * call (a handler that threw, a notification that failed its schema, dropped deltas), and with the `restart`
 * option the restart events of `AsyncCodex` (`restarting`, `restarted`, `threadResumed`, `turnLost`).
 * Listeners get `{ name, data }`, as on `AsyncCodex`; they run on the caller's thread when a call of the
 * client returns (up to 1 000 events are kept between two calls, the oldest go first).
 *
 * @example
 * ```ts
 * using codex = new Codex();
 * codex.on("diagnostic", ({ data }: { data: SyncCodexEventMap["diagnostic"] }) => console.warn(data.kind, data.message));
 * ```
 */
export type SyncCodexEventMap = Pick<
  CodexEventMap,
  "diagnostic" | "restarting" | "restarted" | "threadResumed" | "turnLost"
>;
