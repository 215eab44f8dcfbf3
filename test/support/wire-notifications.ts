import type { Notification, ThreadItem, Turn, TurnStatus } from "../../src/schema/index.js";

/**
 * Builders of the notifications a real app-server sends for a turn, shaped as the pinned schema wants them
 * (the fake app-server of the unit tests speaks with them).
 */

/** A turn as the server reports it; `items` empty as after `turn/start` and in `turn/completed`. */
export function wireTurn(id: string, status: TurnStatus, items: ThreadItem[] = []): Turn {
  return {
    id,
    items,
    status,
    error: null,
    startedAt: 1,
    completedAt: status === "inProgress" ? null : 2,
    durationMs: null,
  };
}

/** An agent message item. */
export function agentMessage(id: string, text: string): ThreadItem {
  return { type: "agentMessage", id, text, phase: null };
}

export function turnStarted(threadId: string, turnId: string): Notification {
  return { method: "turn/started", params: { threadId, turn: wireTurn(turnId, "inProgress") } };
}

export function itemStarted(threadId: string, turnId: string, item: ThreadItem): Notification {
  return { method: "item/started", params: { threadId, turnId, item, startedAtMs: 1 } };
}

export function agentDelta(threadId: string, turnId: string, itemId: string, delta: string): Notification {
  return { method: "item/agentMessage/delta", params: { threadId, turnId, itemId, delta } };
}

export function itemCompleted(threadId: string, turnId: string, item: ThreadItem): Notification {
  return { method: "item/completed", params: { threadId, turnId, item, completedAtMs: 2 } };
}

export function turnCompleted(
  threadId: string,
  turnId: string,
  status: TurnStatus = "completed",
  items: ThreadItem[] = [],
): Notification {
  return { method: "turn/completed", params: { threadId, turn: wireTurn(turnId, status, items) } };
}

/**
 * A whole agent message streamed in `chunks`: `item/started`, one delta per chunk, `item/completed`.
 *
 * @example
 * ```ts
 * for (const n of streamedMessage("thr", "turn", "msg", ["Hel", "lo"])) server.notify(n);
 * ```
 */
export function streamedMessage(
  threadId: string,
  turnId: string,
  itemId: string,
  chunks: readonly string[],
): Notification[] {
  return [
    itemStarted(threadId, turnId, agentMessage(itemId, "")),
    ...chunks.map((chunk) => agentDelta(threadId, turnId, itemId, chunk)),
    itemCompleted(threadId, turnId, agentMessage(itemId, chunks.join(""))),
  ];
}
