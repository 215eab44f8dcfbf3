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

/** Options of `threadStart`: the fields of `thread/start`'s params (new server fields appear here by themselves). */
export type ThreadStartOptions = ThreadStartParams;
/** Options of `threadList`: the fields of `thread/list`'s params. */
export type ThreadListOptions = ThreadListParams;
/** Options of `threadResume`: `thread/resume`'s params but the thread id. */
export type ThreadResumeOptions = Omit<ThreadResumeParams, "threadId">;
/** Options of `threadFork`: `thread/fork`'s params but the thread id. */
export type ThreadForkOptions = Omit<ThreadForkParams, "threadId">;
/** Options of `models`: `model/list`'s params. */
export type ModelsOptions = ModelListParams;
/** Options of `thread.read`: `thread/read`'s params but the thread id. */
export type ThreadReadOptions = Omit<ThreadReadParams, "threadId">;
/** Options of `thread.compact`: `thread/compact/start`'s params but the thread id. */
export type ThreadCompactOptions = Omit<ThreadCompactStartParams, "threadId">;
/** Options of `thread.turn` and `thread.run`: `turn/start`'s params but the thread id and the input. */
export type TurnOptions = Omit<TurnStartParams, "threadId" | "input">;
