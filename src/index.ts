/**
 * `codex-app-server`: the TypeScript client of the Codex app-server.
 *
 * @example
 * ```ts
 * import { AsyncCodex } from "codex-app-server";
 *
 * await using codex = new AsyncCodex();
 * const thread = await codex.threadStart();
 * console.log((await thread.run("Say hello.")).finalResponse);
 * ```
 *
 * @module codex-app-server
 */
export {
  allowCommands,
  dangerouslyAcceptAll,
  declineAll,
  failClosedAnswer,
  type AllowCommandsOptions,
} from "./client/approval-handlers.js";
export { ApprovalMode } from "./client/approval-mode.js";
export { AsyncCodex } from "./client/async-codex.js";
export { AsyncThread } from "./client/async-thread.js";
export { AsyncTurnHandle, type TurnActor, type TurnWaitOptions } from "./client/async-turn-handle.js";
export type { ClientDiagnostic } from "./client/client-diagnostic.js";
export type { CodexEventMap, RestartEventMap } from "./client/codex-events.js";
export type { AppServerConfig } from "./client/config.js";
export type { EventListener, EventOf, ListenOptions } from "./client/events.js";
export { IDEMPOTENT_METHODS } from "./client/idempotent-methods.js";
export {
  ImageInput,
  LocalImageInput,
  MentionInput,
  SkillInput,
  TextInput,
  type Input,
  type InputItem,
} from "./client/input.js";
export { AsyncChatgptLoginHandle, AsyncDeviceCodeLoginHandle, type LoginWaitOptions } from "./client/login.js";
export { AsyncGoalHandle } from "./client/goal.js";
export { MAX_GOAL_OBJECTIVE_LENGTH, type GoalOptions } from "./client/goal-objective.js";
export type { GoalRunPhase } from "./client/goal-run.js";
export type { GoalRunResult } from "./client/goal-run-result.js";
export type { AppServerMetadata, ServerInfo } from "./client/metadata.js";
// The options of every client method (ThreadStartOptions, TurnOptions, …): that module holds nothing else.
export type * from "./client/options.js";
export { TurnStatus, type Notification, type ThreadItem, type Turn } from "./client/protocol-types.js";
export {
  RETRY_ON_OVERLOAD_DEFAULTS,
  retryOnOverload,
  type OverloadRetry,
  type RetryOnOverloadOptions,
} from "./client/retry-on-overload.js";
export { finalResponseOf, type RunResult } from "./client/run-result.js";
export { Sandbox } from "./client/sandbox.js";
export type { ApprovalHandler, ServerRequest, ServerRequestAnswer } from "./client/server-request.js";
export type { TurnEventMap } from "./client/turn-events.js";
export * from "./errors/index.js";
export {
  clientLifecycleMachine,
  type ClientLifecycleContext,
  type ClientLifecycleEmitted,
  type ClientLifecycleEvent,
  type ClientLifecycleInput,
  type ClientLifecycleMachine,
} from "./machines/client-lifecycle.js";
export {
  DEFAULT_RESTART_POLICY,
  resolveRestartPolicy,
  type ResolvedRestartPolicy,
  type RestartBackoff,
  type RestartPolicy,
} from "./machines/restart-policy.js";
export {
  turnMachine,
  type DeltaNotification,
  type TurnContext,
  type TurnEvent,
  type TurnInput,
  type TurnMachine,
} from "./machines/turn.js";
export type { MessageKind } from "./observe/message-record.js";
export { type ObserveConfig } from "./observe/observe-config.js";
export type {
  AppServerSnapshot,
  ClientSnapshot,
  ClientStateSnapshot,
  ClientTotals,
  MessageSnapshot,
  PendingRequestSnapshot,
  ServerRequestSnapshot,
  SnapshotListener,
  SubscribeOptions,
  ThreadSnapshot,
  TurnSnapshot,
} from "./observe/snapshot.js";
export type { TraceFileOptions } from "./observe/trace-file.js";
export type { RequestOptions } from "./rpc/peer.js";
export type { Unsubscribe } from "./rpc/server-request.js";
export type { TraceEvent, TraceHook } from "./rpc/trace.js";
export type { SyncCodexEventMap } from "./sync/codex-events.js";
export {
  ChatgptLoginHandle,
  Codex,
  DeviceCodeLoginHandle,
  GoalHandle,
  Thread,
  TurnHandle,
  type CodexConfig,
  type SyncRequestOptions,
  type SyncTurnWaitOptions,
} from "./sync/index.js";
export { signBearerToken, type BearerTokenOptions } from "./transport/bearer-token.js";
export type { ConnectTarget } from "./transport/connect.js";
export { daemonSocketPath } from "./transport/daemon.js";
export type { TransportDiagnostic } from "./transport/diagnostic.js";
export {
  listenAppServer,
  type ListenAppServerOptions,
  type ListenAuth,
  type ListeningAppServer,
} from "./transport/listening-app-server.js";
export { createMemoryTransportPair, MemoryTransport, type MemoryCloseDetails } from "./transport/memory-transport.js";
export type { RemoteAppServer } from "./transport/remote-options.js";
export { StreamTransport, type StreamTransportOptions } from "./transport/stream-transport.js";
export type { Transport, TransportListener, TransportMessage } from "./transport/transport.js";
export { WebSocketTransport, type WebSocketTransportOptions } from "./transport/websocket-transport.js";
export { VERSION } from "./version.js";
