import { ThreadLostError } from "../errors/thread-lost-error.js";
import type { ThreadResumeParams, ThreadStartParams } from "../schema/index.js";
import type { Connection } from "./connection.js";

/** A thread setting both `thread/resume` and `thread/start` (and `thread/fork`) take. */
type SharedSetting = keyof ThreadResumeParams & keyof ThreadStartParams;

/**
 * Every thread setting `thread/resume` shares with `thread/start`, derived from the generated types: the
 * object below must name each shared key and no other, so a regeneration that adds or drops one fails to
 * compile here rather than leaving a setting behind on a restart.
 */
const RESUME_SETTINGS = Object.keys({
  approvalPolicy: true,
  approvalsReviewer: true,
  baseInstructions: true,
  config: true,
  cwd: true,
  developerInstructions: true,
  model: true,
  modelProvider: true,
  personality: true,
  sandbox: true,
  serviceTier: true,
} satisfies Record<SharedSetting, true>) as SharedSetting[];

/** What `thread/resume` is sent with after a restart: the thread's own settings, and no history. */
export type ResumeSettings = Omit<ThreadResumeParams, "threadId">;

/**
 * Methods that work on a thread the app-server has not loaded (they read or take the stored thread
 * themselves): a restarted client sends them as they are, without resuming the thread first.
 */
const WITHOUT_RESUME: ReadonlySet<string> = new Set([
  "thread/resume",
  "thread/read",
  "thread/fork",
  "thread/archive",
  "thread/unarchive",
]);

interface Entry {
  readonly settings: ResumeSettings;
  readonly ephemeral: boolean;
  /** Whether the server has written the thread down (it does so with the first turn). */
  persisted: boolean;
  /** The connection the thread is loaded on; another one must resume it first. */
  loadedOn: Connection;
  /** The resume in progress on a new connection, shared by the calls that wait for it. */
  resuming: { readonly connection: Connection; readonly done: Promise<void> } | null;
}

/** Options of {@link ResumableThreads}. */
export interface ResumableThreadsOptions {
  /** Sends `thread/resume` on `connection`. */
  readonly resume: (connection: Connection, threadId: string, settings: ResumeSettings) => Promise<unknown>;
  /** Told after a thread was resumed on a new connection. */
  readonly resumed: (threadId: string) => void;
}

/**
 * The threads this client started, resumed, forked or unarchived, with the settings they were opened with
 * and the connection they are loaded on. After a restart each is resumed lazily: the first call that needs
 * the thread on the new app-server sends `thread/resume` (with those settings) first, once, however many
 * calls wait for it. Ephemeral threads, and threads that had not run a turn (the app-server writes a thread
 * down with its first turn), cannot be resumed: calls on them fail with {@link ThreadLostError}.
 *
 * Lazily rather than eagerly, because a restart then costs one handshake however many threads the client has
 * touched (a long-running agent may have touched thousands, most of them done with), the new app-server
 * loads only the threads still in use, and a thread that cannot be resumed fails the call that needs it —
 * where the caller can handle it — rather than the restart.
 */
export class ResumableThreads {
  readonly #threads = new Map<string, Entry>();
  readonly #options: ResumableThreadsOptions;

  constructor(options: ResumableThreadsOptions) {
    this.#options = options;
  }

  /** How many threads are known. */
  get size(): number {
    return this.#threads.size;
  }

  /**
   * A thread was opened on `connection` with `params` (the start, resume or fork params). A started thread is
   * not `persisted` until its first turn; a resumed, forked or unarchived one is.
   */
  opened(
    threadId: string,
    connection: Connection,
    params: object = {},
    options: { ephemeral?: boolean; persisted?: boolean } = {},
  ): void {
    const settings: Record<string, unknown> = {};
    for (const key of RESUME_SETTINGS) {
      const value = (params as Record<string, unknown>)[key];
      if (value !== undefined) settings[key] = value;
    }
    const previous = this.#threads.get(threadId);
    this.#threads.set(threadId, {
      settings: previous !== undefined && Object.keys(settings).length === 0 ? previous.settings : settings,
      ephemeral: options.ephemeral === true || (previous?.ephemeral ?? false),
      persisted: options.persisted !== false || (previous?.persisted ?? false),
      loadedOn: connection,
      resuming: null,
    });
  }

  /** A turn started on the thread: the server has written it down. */
  turnStarted(threadId: string): void {
    const entry = this.#threads.get(threadId);
    if (entry !== undefined) entry.persisted = true;
  }

  /** Forgets a thread (archived). */
  forget(threadId: string): void {
    this.#threads.delete(threadId);
  }

  /**
   * Makes sure the thread a call of `method` names is loaded on `connection`: resumes it first when it was
   * loaded on an earlier one.
   *
   * @throws {ThreadLostError} for an ephemeral thread whose app-server is gone.
   */
  async prepare(method: string, params: unknown, connection: Connection): Promise<void> {
    const threadId = (params as { threadId?: unknown } | undefined)?.threadId;
    if (typeof threadId !== "string") return;
    const entry = this.#threads.get(threadId);
    if (entry === undefined || entry.loadedOn === connection) return;
    if (method !== "thread/resume") {
      if (entry.ephemeral) throw new ThreadLostError({ threadId, reason: "ephemeral" });
      if (!entry.persisted) throw new ThreadLostError({ threadId, reason: "notPersisted" });
    }
    if (WITHOUT_RESUME.has(method)) return;
    if (entry.resuming?.connection !== connection) {
      const done = this.#options.resume(connection, threadId, { ...entry.settings, excludeTurns: true }).then(
        () => {
          entry.loadedOn = connection;
          entry.resuming = null;
          this.#options.resumed(threadId);
        },
        (error: unknown) => {
          entry.resuming = null;
          throw error;
        },
      );
      entry.resuming = { connection, done };
    }
    await entry.resuming.done;
  }
}
