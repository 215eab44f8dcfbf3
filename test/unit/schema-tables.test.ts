import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { IsSchema } from "typebox";
import {
  checkClientRequestParams,
  checkDefinition,
  checkServerNotification,
  clientNotifications,
  clientRequests,
  definitions,
  serverNotifications,
  serverRequests,
  type ClientRequestParams,
  type ClientRequestResult,
  type Notification,
} from "../../src/schema/index.js";

const BUNDLE = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../schema/codex_app_server_protocol.schemas.json", import.meta.url)), "utf8"),
) as { definitions: Record<string, { oneOf?: { properties: { method: { enum: string[] } } }[] }> & { v2: object } };

function bundleMethods(union: string): string[] {
  return (BUNDLE.definitions[union]?.oneOf ?? []).map((arm) => arm.properties.method.enum[0] ?? "");
}

test("the method tables hold every method of the bundle's four unions, in the bundle's order", () => {
  assert.deepEqual(Object.keys(clientRequests), bundleMethods("ClientRequest"));
  assert.deepEqual(Object.keys(serverRequests), bundleMethods("ServerRequest"));
  assert.deepEqual(Object.keys(serverNotifications), bundleMethods("ServerNotification"));
  assert.deepEqual(Object.keys(clientNotifications), ["initialized"]);
  assert.ok(Object.keys(clientRequests).includes("modelProvider/default/set"));
  assert.ok(Object.keys(serverNotifications).includes("thread/search/partial"));
});

test("every method has a params schema, and every request a result schema", () => {
  type Entry = { readonly params: unknown; readonly result?: unknown; readonly paramsOptional?: unknown };
  for (const table of [clientRequests, serverRequests] as const) {
    for (const [method, entry] of Object.entries(table) as [string, Entry][]) {
      assert.ok(IsSchema(entry.params), `${method} params`);
      assert.ok(IsSchema(entry.result), `${method} result`);
      assert.equal(typeof entry.paramsOptional, "boolean", method);
    }
  }
  for (const table of [serverNotifications, clientNotifications] as const) {
    for (const [method, entry] of Object.entries(table) as [string, Entry][]) {
      assert.ok(IsSchema(entry.params), `${method} params`);
      assert.equal("result" in entry, false, `${method} has no result`);
    }
  }
});

test("results that are not named after their params come from the hand-kept map", () => {
  assert.equal(clientRequests["config/value/write"].result, definitions.ConfigWriteResponse);
  assert.equal(clientRequests["config/batchWrite"].result, definitions.ConfigWriteResponse);
  assert.equal(clientRequests["account/logout"].result, definitions.LogoutAccountResponse);
  assert.equal(clientRequests["modelProvider/default/set"].result, definitions.ConfigWriteResponse);
  assert.equal(clientRequests["thread/start"].result, definitions.ThreadStartResponse);
  assert.equal(
    serverRequests["item/commandExecution/requestApproval"].result,
    definitions.CommandExecutionRequestApprovalResponse,
  );
});

test("the protocol has every definition of the bundle (v2 flattened in), each a schema", () => {
  const names = Object.keys(definitions);
  const expected = new Set([
    ...Object.keys(BUNDLE.definitions).filter((name) => name !== "v2"),
    ...Object.keys(BUNDLE.definitions.v2),
  ]);
  assert.deepEqual(new Set(names), expected);
  for (const name of names) assert.ok(IsSchema(definitions[name as keyof typeof definitions]), name);
});

test("a request without params may omit them, and the types say so", () => {
  const none: ClientRequestParams<"account/logout"> = undefined;
  const start: ClientRequestParams<"thread/start"> = { model: "gpt-5" };
  const result: ClientRequestResult<"account/logout"> = {};
  assert.equal(clientRequests["account/logout"].paramsOptional, true);
  assert.deepEqual(checkClientRequestParams("account/logout", none), { ok: true });
  assert.deepEqual(checkClientRequestParams("thread/start", start), { ok: true });
  assert.ok(result);
  assert.deepEqual(checkClientRequestParams("thread/start", undefined).ok, false);
});

test("an unknown method or definition is reported as unknown, not as a broken message", () => {
  assert.deepEqual(checkServerNotification("thread/somethingNew", {}), {
    ok: false,
    known: false,
    errors: ['unknown server notification method "thread/somethingNew"'],
  });
  assert.equal(checkDefinition("NoSuchDefinition", {}).ok, false);
  assert.equal(checkServerNotification("__proto__", {}).ok, false);
  assert.equal(checkServerNotification("toString", {}).ok, false);
});

test("a failed check says where and what, discriminated-union arms that do not apply left out", () => {
  const notification: Notification = {
    method: "item/completed",
    params: { threadId: "t", turnId: "u", completedAtMs: 1, item: { type: "plan", id: "i", text: "steps" } },
  };
  assert.deepEqual(checkServerNotification(notification.method, notification.params), { ok: true });
  const bad = { ...notification.params, item: { type: "plan", id: "i", text: 3 } };
  assert.deepEqual(checkServerNotification("item/completed", bad), {
    ok: false,
    known: true,
    errors: ["/item/text: must be string"],
  });
  const unknownKind = checkServerNotification("item/completed", {
    ...notification.params,
    item: { type: "hologram", id: "i" },
  });
  assert.equal(unknownKind.ok, false);
  assert.match(unknownKind.ok ? "" : (unknownKind.errors[0] ?? ""), /^\/item\/type: must be one of "userMessage", /);
  const many = checkDefinition("ThreadStartParams", {
    model: 1,
    cwd: 2,
    ephemeral: "x",
    sandbox: 4,
    personality: 5,
    config: 6,
  });
  assert.equal(many.ok, false);
  assert.ok(!many.ok && many.errors.length <= 5 && many.errors.at(-1)?.startsWith("… and "), JSON.stringify(many));
});
