import type { ThreadItem, ThreadTokenUsage, Turn, TurnStatus } from "../schema/index.js";

/**
 * What `thread.run()` gives: the turn's id, status and times, its final answer, every item it completed, and its
 * token usage. Times are the server's: `startedAt`/`completedAt` in Unix **seconds**, `durationMs` in
 * milliseconds.
 *
 * @example
 * ```ts
 * const { id, status, durationMs, finalResponse, items, usage } = await thread.run("Summarise README.md in one line.");
 * console.log(id, status, durationMs, finalResponse, items.length, usage?.last.totalTokens);
 * ```
 */
export interface RunResult {
  /** The turn's id (for a goal run: its first turn's). */
  readonly id: string;
  /** How the turn ended: `completed` or `interrupted` (a failed turn rejects with `TurnFailedError` instead). */
  readonly status: TurnStatus;
  /** When the turn started, in Unix seconds; `null` when the server did not say. */
  readonly startedAt: number | null;
  /** When the turn ended, in Unix seconds; `null` when the server did not say. */
  readonly completedAt: number | null;
  /** How long the turn took, in milliseconds; `null` when the server did not say. */
  readonly durationMs: number | null;
  /** The turn's answer (see {@link finalResponseOf}); `null` when no agent message qualifies. */
  readonly finalResponse: string | null;
  /** The turn's items, in order. */
  readonly items: readonly ThreadItem[];
  /**
   * From `thread/tokenUsage/updated`: `last` is the turn's last model request (a turn that calls tools makes
   * several, and the server reports each one; a goal run sums them all), `total` the thread so far; `null` if none
   * came.
   */
  readonly usage: ThreadTokenUsage | null;
}

/**
 * The {@link RunResult} of a finished turn and its last usage report.
 */
export function runResultOf(turn: Turn, usage: ThreadTokenUsage | null): RunResult {
  return {
    id: turn.id,
    status: turn.status,
    startedAt: turn.startedAt ?? null,
    completedAt: turn.completedAt ?? null,
    durationMs: turn.durationMs ?? null,
    finalResponse: finalResponseOf(turn.items),
    items: turn.items,
    usage,
  };
}

/**
 * The final answer among a turn's items, by the Python SDK's rule: the latest agent message with phase
 * `final_answer` wins wherever it stands; otherwise the latest agent message with no phase (kept even when
 * its text is `""`); `commentary` messages never count; nothing left gives `null`.
 *
 * @example
 * ```ts
 * finalResponseOf([
 *   { type: "agentMessage", id: "1", text: "Looking…", phase: "commentary" },
 *   { type: "agentMessage", id: "2", text: "Done." },
 * ]); // "Done."
 * ```
 */
export function finalResponseOf(items: readonly ThreadItem[]): string | null {
  let unphased: string | null = null;
  for (let index = items.length - 1; index >= 0; index--) {
    const item = items[index];
    if (item?.type !== "agentMessage") continue;
    if (item.phase === "final_answer") return item.text;
    if ((item.phase === null || item.phase === undefined) && unphased === null) unphased = item.text;
  }
  return unphased;
}
