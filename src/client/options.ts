import type {
  ModelListParams,
  ThreadCompactStartParams,
  ThreadForkParams,
  ThreadListParams,
  ThreadReadParams,
  ThreadResumeParams,
  ThreadStartParams,
  TurnStartParams,
} from "../schema/index.js";

/**
 * Options of `threadStart`: the fields of `thread/start`'s params (new server fields appear here by themselves).
 *
 * @example
 * ```ts
 * const thread = await codex.threadStart({
 *   model: "gpt-5.4",
 *   cwd: "/repo",
 *   sandbox: "workspace-write",
 *   approvalPolicy: "on-request",
 *   developerInstructions: "Answer in one paragraph.",
 * });
 * ```
 */
export type ThreadStartOptions = ThreadStartParams;

/**
 * Options of `threadList`: the fields of `thread/list`'s params.
 *
 * @example
 * ```ts
 * const { data, nextCursor } = await codex.threadList({ limit: 20, archived: false, searchTerm: "release" });
 * ```
 */
export type ThreadListOptions = ThreadListParams;

/**
 * Options of `threadResume`: `thread/resume`'s params but the thread id.
 *
 * @example
 * ```ts
 * const thread = await codex.threadResume("thr_123", { model: "gpt-5.4", cwd: "/repo" });
 * ```
 */
export type ThreadResumeOptions = Omit<ThreadResumeParams, "threadId">;

/**
 * Options of `threadFork`: `thread/fork`'s params but the thread id.
 *
 * @example
 * ```ts
 * const copy = await codex.threadFork(thread.id, { ephemeral: true, developerInstructions: "Try another approach." });
 * ```
 */
export type ThreadForkOptions = Omit<ThreadForkParams, "threadId">;

/**
 * Options of `models`: `model/list`'s params.
 *
 * @example
 * ```ts
 * const { data } = await codex.models({ includeHidden: true, limit: 50 });
 * ```
 */
export type ModelsOptions = ModelListParams;

/**
 * Options of `thread.read`: `thread/read`'s params but the thread id.
 *
 * @example
 * ```ts
 * const { thread: stored } = await thread.read({ includeTurns: true });
 * ```
 */
export type ThreadReadOptions = Omit<ThreadReadParams, "threadId">;

/**
 * Options of `thread.compact`: `thread/compact/start`'s params but the thread id (none with codex 0.169.0;
 * fields a newer protocol adds appear here).
 *
 * @example
 * ```ts
 * const options: ThreadCompactOptions = {};
 * await thread.compact(options);
 * ```
 */
export type ThreadCompactOptions = Omit<ThreadCompactStartParams, "threadId">;

/**
 * Options of `thread.turn` and `thread.run`: `turn/start`'s params but the thread id and the input.
 *
 * @example
 * ```ts
 * const result = await thread.run("Fix the failing test.", { model: "gpt-5.4", effort: "high", summary: "concise" });
 * ```
 */
export type TurnOptions = Omit<TurnStartParams, "threadId" | "input">;
