import type { ApprovalMode } from "./approval-mode.js";
import type { Sandbox } from "./sandbox.js";
import type {
  ModelListParams,
  SandboxMode,
  ThreadCompactStartParams,
  ThreadForkParams,
  ThreadListParams,
  ThreadReadParams,
  ThreadResumeParams,
  ThreadStartParams,
  TurnStartParams,
} from "../schema/index.js";

/**
 * The options every thread- and turn-starting method adds to the protocol's params: the Python SDK's
 * `approval_mode` (see {@link ApprovalMode}; left out, the server's configuration and your approval handler decide).
 *
 * @example
 * ```ts
 * const options: ApprovalModeOption = { approvalMode: "denyAll" };
 * const thread = await codex.threadStart(options);
 * ```
 */
export interface ApprovalModeOption {
  /** How escalations are settled; mapped to `approvalPolicy` (and `approvalsReviewer`, and for the bypass, the sandbox). */
  approvalMode?: ApprovalMode | undefined;
}

/**
 * The `sandbox` of a thread-level method: a {@link Sandbox} preset or the protocol's own mode name.
 *
 * @example
 * ```ts
 * const options: ThreadSandboxOption = { sandbox: "workspace" }; // same as "workspace-write"
 * ```
 */
export interface ThreadSandboxOption {
  /** The thread's sandbox: `"readOnly" | "workspace" | "fullAccess"` or `"read-only" | "workspace-write" | "danger-full-access"`. */
  sandbox?: Sandbox | SandboxMode | null | undefined;
}

/**
 * Options of `threadStart`: the fields of `thread/start`'s params (new server fields appear here by themselves,
 * e.g. `serviceName`, `serviceTier`), plus `approvalMode`, and `sandbox` presets.
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
export type ThreadStartOptions = Omit<ThreadStartParams, "sandbox"> & ApprovalModeOption & ThreadSandboxOption;

/**
 * Options of `threadList`: the fields of `thread/list`'s params (with `searchTerm`, `sortKey` and `sortDirection`).
 *
 * @example
 * ```ts
 * const { data, nextCursor } = await codex.threadList({ limit: 20, searchTerm: "release", sortDirection: "asc" });
 * ```
 */
export type ThreadListOptions = ThreadListParams;

/**
 * Options of `threadResume`: `thread/resume`'s params but the thread id, plus `approvalMode` and `sandbox`
 * presets. Settings left out are the thread's own (a thread already loaded in this app-server keeps its settings).
 *
 * @example
 * ```ts
 * const thread = await codex.threadResume("thr_123", { model: "gpt-5.4", cwd: "/repo" });
 * ```
 */
export type ThreadResumeOptions = Omit<ThreadResumeParams, "threadId" | "sandbox"> &
  ApprovalModeOption &
  ThreadSandboxOption;

/**
 * Options of `threadFork`: `thread/fork`'s params but the thread id, plus `approvalMode` and `sandbox` presets;
 * settings left out are inherited from the forked thread.
 *
 * @example
 * ```ts
 * const copy = await codex.threadFork(thread.id, { ephemeral: true, developerInstructions: "Try another approach." });
 * ```
 */
export type ThreadForkOptions = Omit<ThreadForkParams, "threadId" | "sandbox"> &
  ApprovalModeOption &
  ThreadSandboxOption;

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
// eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- the params minus the keys the method sets may be empty on a protocol version
export type ThreadCompactOptions = Omit<ThreadCompactStartParams, "threadId">;

/**
 * Options of `thread.turn` and `thread.run`: `turn/start`'s params but the thread id and the input, plus
 * `approvalMode` and a `sandbox` preset (which becomes the turn's `sandboxPolicy`). As on the server, a turn's
 * approval and sandbox settings stay in force for the thread's later turns.
 *
 * @example
 * ```ts
 * const result = await thread.run("Fix the failing test.", { effort: "high", approvalMode: "autoReview", sandbox: "workspace" });
 * ```
 */
export type TurnOptions = Omit<TurnStartParams, "threadId" | "input"> &
  ApprovalModeOption & {
    /** A preset for the turn's sandbox (`sandboxPolicy` takes a full policy instead; give one of the two). */
    sandbox?: Sandbox | undefined;
  };
