import type { ThreadItem, ThreadTokenUsage } from "../schema/index.js";

/**
 * What `thread.run()` gives: the turn's final answer, every item it completed, and its token usage.
 *
 * @example
 * ```ts
 * const { finalResponse, items, usage } = await thread.run("Summarise README.md in one line.");
 * console.log(finalResponse, items.length, usage?.last.totalTokens);
 * ```
 */
export interface RunResult {
  /** The turn's answer (see {@link finalResponseOf}); `null` when no agent message qualifies. */
  readonly finalResponse: string | null;
  /** The turn's items, in order. */
  readonly items: readonly ThreadItem[];
  /** `last` (this turn) and `total` (the thread so far), from `thread/tokenUsage/updated`; `null` if none came. */
  readonly usage: ThreadTokenUsage | null;
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
