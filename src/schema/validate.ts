import type { TSchema } from "typebox";
import { definitions } from "./generated.js";
import { clientRequests, serverNotifications, serverRequests } from "./generated-methods.js";
import { LazyValidators, type CheckResult, type SchemaEntry } from "./lazy-validators.js";

export type { CheckResult } from "./lazy-validators.js";

interface MethodEntry {
  readonly params: TSchema;
  readonly result?: TSchema;
  readonly paramsOptional: boolean;
}

function entries(
  methods: Readonly<Record<string, MethodEntry>>,
  field: "params" | "result",
): (name: string) => SchemaEntry | undefined {
  return (name) => {
    if (!Object.hasOwn(methods, name)) return undefined;
    const entry = methods[name];
    const schema = entry?.[field];
    if (entry === undefined || schema === undefined) return undefined;
    return { schema, optional: field === "params" && entry.paramsOptional };
  };
}

const serverNotificationParams = new LazyValidators("server notification method", entries(serverNotifications, "params"));
const serverRequestParams = new LazyValidators("server request method", entries(serverRequests, "params"));
const serverRequestResults = new LazyValidators("server request method", entries(serverRequests, "result"));
const clientRequestParams = new LazyValidators("client request method", entries(clientRequests, "params"));
const clientRequestResults = new LazyValidators("client request method", entries(clientRequests, "result"));
const definitionTable: Readonly<Record<string, TSchema>> = definitions;
const definitionValues = new LazyValidators("definition", (name) => {
  const schema = Object.hasOwn(definitionTable, name) ? definitionTable[name] : undefined;
  return schema === undefined ? undefined : { schema, optional: false };
});

/**
 * Checks the params of a notification from the server against its method's schema (compiled on first use).
 * An unknown method gives `known: false`: a newer server, not a broken message.
 *
 * @example
 * ```ts
 * const result = checkServerNotification(message.method, message.params);
 * if (!result.ok && result.known) console.warn(`bad ${message.method}: ${result.errors.join("; ")}`);
 * ```
 */
export function checkServerNotification(method: string, params: unknown): CheckResult {
  return serverNotificationParams.check(method, params);
}

/**
 * Checks the params of a request from the server (an approval, a tool call…) against its method's schema.
 *
 * @example
 * ```ts
 * checkServerRequest("item/commandExecution/requestApproval", message.params); // { ok: true }
 * ```
 */
export function checkServerRequest(method: string, params: unknown): CheckResult {
  return serverRequestParams.check(method, params);
}

/**
 * Checks the params of a request the client is about to send; omitted params pass when the method takes none.
 *
 * @example
 * ```ts
 * checkClientRequestParams("thread/start", { model: 5 });
 * // { ok: false, known: true, errors: ["/model: must be string or null"] }
 * ```
 */
export function checkClientRequestParams(method: string, params: unknown): CheckResult {
  return clientRequestParams.check(method, params);
}

/**
 * Checks the result the server answered a client request with against the method's result schema.
 *
 * @example
 * ```ts
 * checkClientRequestResult("thread/start", response.result); // { ok: true }
 * ```
 */
export function checkClientRequestResult(method: string, result: unknown): CheckResult {
  return clientRequestResults.check(method, result);
}

/**
 * Checks the result the client is about to answer a server request with (e.g. an approval decision).
 *
 * @example
 * ```ts
 * checkServerRequestResult("item/commandExecution/requestApproval", { decision: "decline" }); // { ok: true }
 * ```
 */
export function checkServerRequestResult(method: string, result: unknown): CheckResult {
  return serverRequestResults.check(method, result);
}

/**
 * Checks a value against any definition of the protocol by name (compiled on first use).
 *
 * @example
 * ```ts
 * checkDefinition("ThreadItem", { type: "plan", id: "i1", text: "1. test" }); // { ok: true }
 * checkDefinition("NoSuchThing", {}); // { ok: false, known: false, errors: [...] }
 * ```
 */
export function checkDefinition(name: string, value: unknown): CheckResult {
  return definitionValues.check(name, value);
}
