import { LazyValidators, type CheckResult } from "../lazy-validators.js";
import { serverNotifications, serverRequests } from "./generated-methods.js";

function entries(table: Readonly<Record<string, { readonly params: never; readonly paramsOptional: boolean }>>) {
  return (name: string) => {
    if (!Object.hasOwn(table, name)) return undefined;
    const entry = table[name];
    return entry === undefined ? undefined : { schema: entry.params, optional: entry.paramsOptional };
  };
}

const notificationParams = new LazyValidators("server notification method", entries(serverNotifications as never));
const requestParams = new LazyValidators("server request method", entries(serverRequests as never));

/**
 * Checks a server notification's params against the oldest supported codex's schema: a message that fails
 * the pinned (newest) schema but passes this one has the shape an older server sends, and is accepted.
 */
export function checkOldestServerNotification(method: string, params: unknown): CheckResult {
  return notificationParams.check(method, params);
}

/**
 * Checks a server request's params against the oldest supported codex's schema (see
 * {@link checkOldestServerNotification}).
 */
export function checkOldestServerRequest(method: string, params: unknown): CheckResult {
  return requestParams.check(method, params);
}
