/**
 * The offline test kit of `codex-app-server`: run the real `codex app-server` against a scripted
 * Responses-API provider on 127.0.0.1, in a throw-away `CODEX_HOME`, with no network.
 *
 * @example
 * ```ts
 * import { createOfflineEnvironment, textReply, inputTexts } from "codex-app-server/testing";
 *
 * await using offline = await createOfflineEnvironment({ replies: [textReply("Hello!", { deltas: 3 })] });
 * // start codex with offline.command, offline.env and offline.cwd; run a turn; then:
 * const request = await offline.provider.waitForRequest(1);
 * console.log(inputTexts(request).at(-1));
 * ```
 *
 * @module codex-app-server/testing
 */
export { appServerCommand, type AppServerCommand, type AppServerCommandOptions } from "./app-server-command.js";
export {
  createCodexHome,
  DEAD_PROXY_URL,
  offlineConfig,
  type ApprovalPolicy,
  type CodexHome,
  type CodexHomeOptions,
  type SandboxMode,
} from "./codex-home.js";
export {
  createOfflineEnvironment,
  type OfflineEnvironment,
  type OfflineEnvironmentOptions,
} from "./offline-environment.js";
export {
  functionCallOutputs,
  inputItems,
  inputTexts,
  requestKind,
  turnMetadata,
  type RecordedRequest,
  type ResponsesInputItem,
} from "./recorded-request.js";
export { responseEvents, splitText, type ResponseEvent } from "./response-events.js";
export {
  createScriptedProvider,
  DEFAULT_MAX_RECORDED_REQUESTS,
  ScriptedProvider,
  type ReplyFunction,
  type ScriptedAnswer,
  type ScriptedProviderOptions,
  type WaitForRequestOptions,
} from "./scripted-provider.js";
export {
  execCommandReply,
  failedReply,
  httpErrorReply,
  messagesReply,
  textReply,
  type ExecCommandReplyOptions,
  type HttpErrorReply,
  type MessagePhase,
  type ScriptedFunctionCall,
  type ScriptedMessage,
  type ScriptedOutputItem,
  type ScriptedReasoning,
  type ScriptedReply,
  type ScriptedUsage,
  type StreamEnding,
  type StreamReply,
  type StreamReplyOptions,
  type TextReplyOptions,
} from "./scripted-reply.js";
export { mergeToml, stringifyToml, type TomlTable, type TomlValue } from "./toml.js";
export { resolveCodexBinary, type ResolveCodexBinaryOptions } from "../transport/binary.js";
