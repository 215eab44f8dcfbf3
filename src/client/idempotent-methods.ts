import type { ClientRequestMethod } from "../schema/index.js";

/**
 * The client requests that only read, so repeating one after an overload (`-32001`) changes nothing: the
 * ones the client's `retry` option retries. Everything else — starting threads and turns, steering,
 * interrupting, renaming, archiving — is never retried by the client.
 *
 * @example
 * ```ts
 * const codex = new AsyncCodex({ retry: true });
 * console.log(IDEMPOTENT_METHODS.has("thread/list")); // true: retried when the server is overloaded
 * console.log(IDEMPOTENT_METHODS.has("turn/start")); // false: never retried
 * ```
 */
export const IDEMPOTENT_METHODS: ReadonlySet<ClientRequestMethod> = new Set<ClientRequestMethod>([
  "thread/list",
  "thread/loaded/list",
  "thread/read",
  "thread/turns/list",
  "thread/items/list",
  "model/list",
  "modelProvider/list",
  "config/read",
  "account/read",
  "account/rateLimits/read",
  "skills/list",
  "app/list",
  "plugin/list",
  "mcpServerStatus/list",
  "experimentalFeature/list",
]);
