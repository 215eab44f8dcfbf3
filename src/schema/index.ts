/**
 * The pinned Codex app-server protocol (`codex-app-server/protocol`): a TypeBox schema and a TypeScript type
 * for every definition of the JSON Schema bundle, the method tables of both directions, and validators that
 * are compiled per method on first use.
 *
 * @example
 * ```ts
 * import { checkServerNotification, type Notification } from "codex-app-server/protocol";
 *
 * const message = JSON.parse(line) as Notification;
 * const result = checkServerNotification(message.method, message.params);
 * ```
 *
 * @module codex-app-server/protocol
 */
export * from "./generated.js";
export * from "./generated-methods.js";
export {
  checkClientRequestParams,
  checkClientRequestResult,
  checkDefinition,
  checkServerNotification,
  checkServerRequest,
  checkServerRequestResult,
  type CheckResult,
} from "./validate.js";
