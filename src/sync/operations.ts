import type { GoalOptions } from "../client/goal-objective.js";
import type { GoalRunResult } from "../client/goal-run-result.js";
import type { AppServerMetadata } from "../client/metadata.js";
import type {
  ModelsOptions,
  ThreadCompactOptions,
  ThreadForkOptions,
  ThreadListOptions,
  ThreadReadOptions,
  ThreadResumeOptions,
  ThreadStartOptions,
  TurnOptions,
} from "../client/options.js";
import type { RunResult } from "../client/run-result.js";
import type { ClientRequestMethod, ClientRequestParams, UserInput } from "../schema/index.js";
import type { ClientHost } from "./client-host.js";
import type { NotificationBatch } from "./stream-batches.js";
import { StreamBatches } from "./stream-batches.js";

/**
 * Options of a blocking request: how long to wait for its answer (the sync twin of `RequestOptions`; an
 * `AbortSignal` could not fire while the caller's thread is blocked).
 *
 * @example
 * ```ts
 * const { data } = codex.threadList({ limit: 10 }, { timeoutMs: 5_000 });
 * ```
 */
export interface SyncRequestOptions {
  /** How long to wait for the answer (then `RequestTimeoutError`); default: the client's `requestTimeoutMs`. */
  timeoutMs?: number | undefined;
}

/**
 * Options of a blocking wait on a turn (`run()`, `stream()`): the sync twin of `TurnWaitOptions`, with a
 * timeout instead of a signal.
 *
 * @example
 * ```ts
 * try {
 *   handle.run({ timeoutMs: 60_000 });
 * } catch (err) {
 *   if (err instanceof DOMException && err.name === "TimeoutError") handle.interrupt();
 * }
 * ```
 */
export interface SyncTurnWaitOptions {
  /**
   * Stops waiting after this long, with a `TimeoutError` (a `DOMException`, as `AbortSignal.timeout` gives the
   * async client); the turn goes on. Default: the client's `turnTimeoutMs` (1 hour unless set).
   */
  timeoutMs?: number | undefined;
}

/** What `open` gives the caller. */
export interface OpenedClient {
  readonly clientId: number;
  readonly metadata: AppServerMetadata;
  readonly pid: number | null;
}

const signalOf = (options: SyncTurnWaitOptions | undefined) =>
  options?.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(options.timeoutMs) };

/**
 * Worker side: everything a sync client can ask of its `AsyncCodex`, by name. Each takes the client's host
 * and cloneable arguments, and resolves with a cloneable value (threads and turns as their ids).
 */
export const operations = {
  close: (host: ClientHost) => host.close(),
  request: (
    host: ClientHost,
    method: ClientRequestMethod,
    params: ClientRequestParams<ClientRequestMethod>,
    options?: SyncRequestOptions,
  ) => host.codex.request(method, params, options),
  threadStart: async (host: ClientHost, options?: ThreadStartOptions, requestOptions?: SyncRequestOptions) =>
    host.holdThread(await host.codex.threadStart(options, requestOptions)),
  threadList: (host: ClientHost, options?: ThreadListOptions, requestOptions?: SyncRequestOptions) =>
    host.codex.threadList(options, requestOptions),
  threadResume: async (
    host: ClientHost,
    threadId: string,
    options?: ThreadResumeOptions,
    requestOptions?: SyncRequestOptions,
  ) => host.holdThread(await host.codex.threadResume(threadId, options, requestOptions)),
  threadFork: async (
    host: ClientHost,
    threadId: string,
    options?: ThreadForkOptions,
    requestOptions?: SyncRequestOptions,
  ) => host.holdThread(await host.codex.threadFork(threadId, options, requestOptions)),
  threadArchive: (host: ClientHost, threadId: string, requestOptions?: SyncRequestOptions) =>
    host.codex.threadArchive(threadId, requestOptions),
  threadUnarchive: async (host: ClientHost, threadId: string, requestOptions?: SyncRequestOptions) =>
    host.holdThread(await host.codex.threadUnarchive(threadId, requestOptions)),
  models: (host: ClientHost, options?: ModelsOptions, requestOptions?: SyncRequestOptions) =>
    host.codex.models(options, requestOptions),
  loginApiKey: (host: ClientHost, apiKey: string, requestOptions?: SyncRequestOptions) =>
    host.codex.loginApiKey(apiKey, requestOptions),
  loginChatgpt: async (host: ClientHost, requestOptions?: SyncRequestOptions) => {
    const { loginId, authUrl } = host.holdLogin(await host.codex.loginChatgpt(requestOptions));
    return { loginId, authUrl };
  },
  loginChatgptDeviceCode: async (host: ClientHost, requestOptions?: SyncRequestOptions) => {
    const { loginId, verificationUrl, userCode } = host.holdLogin(
      await host.codex.loginChatgptDeviceCode(requestOptions),
    );
    return { loginId, verificationUrl, userCode };
  },
  loginWait: (host: ClientHost, loginId: string, wait?: SyncTurnWaitOptions) =>
    host.login(loginId).wait(signalOf(wait)),
  loginCancel: (host: ClientHost, loginId: string, requestOptions?: SyncRequestOptions) =>
    host.login(loginId).cancel(requestOptions),
  account: (host: ClientHost, options?: { refreshToken?: boolean }, requestOptions?: SyncRequestOptions) =>
    host.codex.account(options, requestOptions),
  logout: (host: ClientHost, requestOptions?: SyncRequestOptions) => host.codex.logout(requestOptions),
  snapshot: async (host: ClientHost) => host.codex.snapshot(),
  forwardServerRequests: async (host: ClientHost, threadId: string | null, on: boolean) =>
    host.relay.forward(threadId, on),

  turn: async (
    host: ClientHost,
    threadId: string,
    input: UserInput[],
    options?: TurnOptions,
    requestOptions?: SyncRequestOptions,
  ) => host.holdTurn(await host.thread(threadId).turn(input as never, options, requestOptions)),
  run: (
    host: ClientHost,
    threadId: string,
    input: UserInput[],
    options?: TurnOptions,
    requestOptions?: SyncRequestOptions,
    wait?: SyncTurnWaitOptions,
  ): Promise<RunResult> => host.thread(threadId).run(input as never, options, { ...requestOptions, ...signalOf(wait) }),
  read: (host: ClientHost, threadId: string, options?: ThreadReadOptions, requestOptions?: SyncRequestOptions) =>
    host.thread(threadId).read(options, requestOptions),
  setName: (host: ClientHost, threadId: string, name: string, requestOptions?: SyncRequestOptions) =>
    host.thread(threadId).setName(name, requestOptions),
  compact: (host: ClientHost, threadId: string, options?: ThreadCompactOptions, requestOptions?: SyncRequestOptions) =>
    host.thread(threadId).compact(options, requestOptions),

  startGoal: async (
    host: ClientHost,
    threadId: string,
    objective: string,
    options?: GoalOptions,
    requestOptions?: SyncRequestOptions,
  ) => {
    const handle = await host.thread(threadId).startGoal(objective, options, requestOptions);
    return { key: host.holdGoal(handle), objective: handle.objective };
  },
  runGoal: (
    host: ClientHost,
    threadId: string,
    objective: string,
    options?: GoalOptions,
    requestOptions?: SyncRequestOptions,
    wait?: SyncTurnWaitOptions,
  ): Promise<GoalRunResult> =>
    host.thread(threadId).runGoal(objective, options, { ...requestOptions, ...signalOf(wait) }),
  goalState: async (host: ClientHost, key: string) => {
    const { handle } = host.goal(key);
    return { phase: handle.phase, goal: handle.goal, droppedDeltas: handle.droppedDeltas };
  },
  goalRun: (host: ClientHost, key: string, wait?: SyncTurnWaitOptions) => host.goal(key).handle.run(signalOf(wait)),
  goalSteer: (host: ClientHost, key: string, input: UserInput[], options?: SyncRequestOptions) =>
    host.goal(key).handle.steer(input as never, options),
  goalInterrupt: (host: ClientHost, key: string, options?: SyncRequestOptions) =>
    host.goal(key).handle.interrupt(options),
  goalClear: (host: ClientHost, key: string, options?: SyncRequestOptions) => host.goal(key).handle.clear(options),
  goalStreamOpen: async (host: ClientHost, key: string, options?: SyncTurnWaitOptions) => {
    const goal = host.goal(key);
    goal.stream = new StreamBatches(goal.handle.stream(signalOf(options)));
  },
  goalStreamTake: (host: ClientHost, key: string): Promise<NotificationBatch> => {
    const stream = host.goal(key).stream;
    if (stream === null) throw new Error(`the stream of ${key} is not open`);
    return stream.take();
  },
  goalStreamClose: async (host: ClientHost, key: string) => {
    host.goal(key).stream?.close();
  },

  steer: (host: ClientHost, turnId: string, input: UserInput[], options?: SyncRequestOptions) =>
    host.turn(turnId).handle.steer(input as never, options),
  interrupt: (host: ClientHost, turnId: string, options?: SyncRequestOptions) =>
    host.turn(turnId).handle.interrupt(options),
  turnRun: (host: ClientHost, turnId: string, options?: SyncTurnWaitOptions) =>
    host.turn(turnId).handle.run(signalOf(options)),
  droppedDeltas: async (host: ClientHost, turnId: string) => host.turn(turnId).handle.droppedDeltas,
  streamOpen: async (host: ClientHost, turnId: string, options?: SyncTurnWaitOptions) => {
    const turn = host.turn(turnId);
    turn.stream = new StreamBatches(turn.handle.stream(signalOf(options)));
  },
  streamTake: (host: ClientHost, turnId: string): Promise<NotificationBatch> => {
    const stream = host.turn(turnId).stream;
    if (stream === null) throw new Error(`the stream of turn ${turnId} is not open`);
    return stream.take();
  },
  streamClose: async (host: ClientHost, turnId: string) => {
    const turn = host.turn(turnId);
    turn.stream?.close();
  },
} satisfies Record<string, (host: ClientHost, ...args: never[]) => Promise<unknown>>;

/** The operations' table. */
export type Operations = typeof operations;
/** An operation's name. */
export type OperationName = keyof Operations;
/** The arguments an operation takes after the host. */
export type OperationArgs<Name extends OperationName> = Operations[Name] extends (
  host: ClientHost,
  ...args: infer Args
) => unknown
  ? Args
  : never;
/** What an operation resolves with. */
export type OperationResult<Name extends OperationName> = Awaited<ReturnType<Operations[Name]>>;
