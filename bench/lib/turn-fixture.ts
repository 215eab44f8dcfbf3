import type { Notification } from "../../src/schema/index.js";
import { checkServerNotification } from "../../src/schema/validate.js";

/**
 * The agent's answer in the benchmark turn: about 1 000 characters, so that `turn/completed` (which carries
 * the finished agent message) is about 1.5 KB, as in a real short answer.
 */
export const ANSWER_TEXT = [
  "The client reads the app-server's standard output as JSON lines, one message per line.",
  "Each line is parsed, checked against the schema of its method, and routed by turn id to the turn that owns it.",
  "A turn's notifications arrive in order: the turn starts, the user's message is echoed as an item, the agent's",
  "message starts, streams as many small deltas as the model sends tokens, and completes with the whole text.",
  "Token usage and rate limits follow, the thread goes idle, and the turn completes with its items and status.",
  "Consumers read them with a for-await loop over the handle's stream, wait for the result with run(), or",
  "listen to typed events such as delta and item. The numbers in this report say how many of these messages one",
  "Node process can take per second, how much memory they keep, and where the time goes on the way.",
  "Every figure is a median over repeated runs on the same machine, so compare them only with each other.",
].join(" ");

/** Characters per `item/agentMessage/delta`: about one model token. */
export const DELTA_CHARS = 4;

/** The ids a turn's notifications mention. The same 12-hex-digit `key` makes every id of one turn. */
export interface TurnIds {
  readonly threadId: string;
  readonly turnId: string;
  readonly userItemId: string;
  readonly messageId: string;
}

/**
 * The ids of turn number `index` on thread `threadId`; all have the same length whatever the index.
 *
 * @example
 * ```ts
 * turnIds(threadIdOf(0), 5).turnId; // "01a210e9-8bff-7ab0-92ca-000000000005"
 * ```
 */
export function turnIds(threadId: string, index: number): TurnIds {
  return idsOf(threadId, index.toString(16).padStart(12, "0"));
}

function idsOf(threadId: string, key: string): TurnIds {
  return {
    threadId,
    turnId: `01a210e9-8bff-7ab0-92ca-${key}`,
    userItemId: `01a210e9-8c33-7de1-b392-${key}`,
    messageId: `msg_c79e9c179${key}`,
  };
}

/**
 * A thread id of the shape codex uses, numbered.
 *
 * @example
 * ```ts
 * threadIdOf(1); // "01a210e9-8bce-7ab3-9d92-000000000001"
 * ```
 */
export function threadIdOf(index: number): string {
  return `01a210e9-8bce-7ab3-9d92-${index.toString(16).padStart(12, "0")}`;
}

/** Cuts `text` into pieces of `size` characters (the last may be shorter). */
function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let at = 0; at < text.length; at += size) out.push(text.slice(at, at + size));
  return out;
}

/**
 * One realistic turn's notifications, shaped like those codex 0.169 sends (recorded from the real binary
 * with the scripted provider): thread active, `turn/started`, the user message's `item/started` and
 * `item/completed`, the agent message's `item/started`, one `item/agentMessage/delta` per ~token, its
 * `item/completed`, `thread/tokenUsage/updated`, `account/rateLimits/updated`, `thread/readState/changed`,
 * thread idle, and `turn/completed` (~1.5 KB, carrying the agent message).
 *
 * @example
 * ```ts
 * const notifications = turnNotifications(turnIds(threadIdOf(0), 0)); // 245 of them
 * ```
 */
export function turnNotifications(
  ids: TurnIds,
  text: string = ANSWER_TEXT,
  deltaChars: number = DELTA_CHARS,
): Notification[] {
  const { threadId, turnId, userItemId, messageId } = ids;
  const at = 1_795_580_070_940;
  const turn = (status: "inProgress" | "completed", items: unknown[]) => ({
    id: turnId,
    rootTurnId: turnId,
    items,
    itemsView: status === "completed" ? "summary" : "notLoaded",
    status,
    error: null,
    startedAt: 1_795_580_070,
    completedAt: status === "completed" ? 1_795_580_071 : null,
    durationMs: status === "completed" ? 125 : null,
  });
  const userItem = (completed: boolean) => ({
    type: "userMessage",
    id: userItemId,
    clientId: null,
    content: [{ type: "text", text: "Explain how the client handles a turn.", text_elements: [] }],
    startedAtMs: at + 24,
    completedAtMs: completed ? at + 24 : null,
  });
  const agentItem = (itemText: string, completed: boolean) => ({
    type: "agentMessage",
    moderation: null,
    id: messageId,
    text: itemText,
    phase: null,
    memoryCitation: null,
    delivery: null,
    questions: null,
    startedAtMs: at + 84,
    completedAtMs: completed ? at + 88 : null,
  });
  const usage = {
    totalTokens: 1_290,
    inputTokens: 1_040,
    cachedInputTokens: 0,
    cacheWriteInputTokens: 0,
    outputTokens: 250,
    reasoningOutputTokens: 0,
  };
  const list: unknown[] = [
    {
      method: "thread/status/changed",
      params: { threadId, status: { type: "active", activeFlags: [] } },
      emittedAtMs: at,
    },
    { method: "turn/started", params: { threadId, turn: turn("inProgress", []) }, emittedAtMs: at },
    {
      method: "item/started",
      params: { item: userItem(false), threadId, turnId, startedAtMs: at + 24 },
      emittedAtMs: at + 25,
    },
    {
      method: "item/completed",
      params: { item: userItem(true), threadId, turnId, contentTokenCount: null, completedAtMs: at + 24 },
      emittedAtMs: at + 35,
    },
    {
      method: "item/started",
      params: { item: agentItem("", false), threadId, turnId, startedAtMs: at + 84 },
      emittedAtMs: at + 84,
    },
    ...pieces(text, deltaChars).map((delta) => ({
      method: "item/agentMessage/delta",
      params: { threadId, turnId, itemId: messageId, delta },
      emittedAtMs: at + 86,
    })),
    {
      method: "item/completed",
      params: { item: agentItem(text, true), threadId, turnId, contentTokenCount: null, completedAtMs: at + 88 },
      emittedAtMs: at + 90,
    },
    {
      method: "thread/tokenUsage/updated",
      params: { threadId, turnId, tokenUsage: { total: usage, last: usage, modelContextWindow: 258_400 } },
      emittedAtMs: at + 96,
    },
    {
      method: "account/rateLimits/updated",
      params: {
        rateLimits: {
          limitId: "codex",
          limitName: null,
          normalModelSlug: null,
          primary: null,
          secondary: null,
          credits: null,
          individualLimit: null,
          spendControlReached: null,
          planType: null,
          rateLimitReachedType: null,
        },
      },
      emittedAtMs: at + 96,
    },
    {
      method: "thread/readState/changed",
      params: {
        threadId,
        readState: { firstUnread: { type: "turn", turnId }, revision: "e85c2aaf-cb08-49ed-b554-0ec9254fde31" },
      },
      emittedAtMs: at + 106,
    },
    { method: "thread/status/changed", params: { threadId, status: { type: "idle" } }, emittedAtMs: at + 106 },
    {
      method: "turn/completed",
      params: { threadId, turn: turn("completed", [agentItem(text, true)]) },
      emittedAtMs: at + 106,
    },
  ];
  return list as Notification[];
}

const KEY_PLACEHOLDER = "kkkkkkkkkkkk";

/**
 * A turn's notifications as JSON lines (without newlines), made fast for any turn: the lines of one template
 * turn with its id key replaced, so that a fake server spends next to nothing making them.
 *
 * @example
 * ```ts
 * const lines = new TurnLines(threadIdOf(0));
 * const jsonl = `${lines.lines(7).join("\n")}\n`; // turn 7, whose id is lines.turnId(7)
 * ```
 */
export class TurnLines {
  readonly #template: string[];
  readonly #threadId: string;

  constructor(threadId: string) {
    this.#threadId = threadId;
    this.#template = turnNotifications(idsOf(threadId, KEY_PLACEHOLDER)).map((n) => JSON.stringify(n));
  }

  /** How many notifications one turn has. */
  get count(): number {
    return this.#template.length;
  }

  /** How many bytes one turn's lines take on the wire, newlines included. */
  get bytes(): number {
    return this.#template.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
  }

  /** The lines of turn number `index`; its turn id is `turnIds(threadId, index).turnId`. */
  lines(index: number): string[] {
    const key = index.toString(16).padStart(12, "0");
    return this.#template.map((line) => line.replaceAll(KEY_PLACEHOLDER, key));
  }

  /** The turn id of turn number `index`. */
  turnId(index: number): string {
    return turnIds(this.#threadId, index).turnId;
  }
}

/**
 * Throws unless every notification of the fixture passes its method's schema: a benchmark of the valid path
 * must not quietly measure the diagnostic path.
 *
 * @example
 * ```ts
 * assertFixtureValid(); // throws naming the method whose params fail
 * ```
 */
export function assertFixtureValid(): void {
  for (const notification of turnNotifications(turnIds(threadIdOf(0), 0))) {
    const check = checkServerNotification(notification.method, notification.params);
    if (!check.ok) throw new Error(`bench fixture: ${notification.method} fails its schema: ${JSON.stringify(check)}`);
  }
}
