/**
 * The synchronous client: `Codex`, `Thread`, `TurnHandle` and `GoalHandle`, whose methods return values instead of
 * Promises. Re-exported by the package's entry point.
 *
 * @module
 */
export { Codex } from "./codex.js";
export type { CodexConfig } from "./config.js";
export { GoalHandle } from "./goal-handle.js";
export { ChatgptLoginHandle, DeviceCodeLoginHandle } from "./login.js";
export type { SyncRequestOptions, SyncTurnWaitOptions } from "./operations.js";
export { Thread } from "./thread.js";
export { TurnHandle } from "./turn-handle.js";
