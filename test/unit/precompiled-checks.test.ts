import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { compileChecks } from "../../scripts/protocol/compile-checks.js";
import * as methods from "../../src/schema/generated-methods.js";
import {
  fitsServerNotification,
  fitsServerRequest,
  fitsServerRequestResult,
} from "../../src/schema/precompiled-checks.js";

// Agreement with Ajv on sampled values is in schema-differential.test.ts; this keeps the generated file honest.

test("the committed generated-checks.ts is what compiling the committed TypeBox models gives (npm run generate)", () => {
  const committed = readFileSync(new URL("../../src/schema/generated-checks.ts", import.meta.url), "utf8");
  assert.ok(
    committed === compileChecks(methods),
    "src/schema/generated-checks.ts is stale: run `npm run generate -- --from-bundle`",
  );
});

test("the checks compiled ahead of time import nothing, so the client's checks load without TypeBox", () => {
  const text = readFileSync(new URL("../../src/schema/generated-checks.ts", import.meta.url), "utf8");
  assert.doesNotMatch(text, /^\s*import\b|\bimport\(|\brequire\(/m);
  assert.doesNotMatch(text, /\b(Guard|Hashing|External)\b/);
});

test("every method of the tables has a check, and an unknown method gives undefined rather than a verdict", () => {
  for (const method of Object.keys(methods.serverNotifications))
    assert.notEqual(fitsServerNotification(method, {}), undefined, method);
  for (const method of Object.keys(methods.serverRequests)) {
    assert.notEqual(fitsServerRequest(method, {}), undefined, method);
    assert.notEqual(fitsServerRequestResult(method, {}), undefined, method);
  }
  assert.equal(fitsServerNotification("no/such/method", {}), undefined);
  assert.equal(fitsServerRequest("no/such/method", {}), undefined);
});

test("a check says whether a message fits, omitted params pass only where the method takes none", () => {
  const delta = { threadId: "t", turnId: "u", itemId: "i", delta: "abc" };
  assert.equal(fitsServerNotification("item/agentMessage/delta", delta), true);
  assert.equal(fitsServerNotification("item/agentMessage/delta", { ...delta, delta: 4 }), false);
  assert.equal(fitsServerNotification("item/agentMessage/delta", undefined), false);
  assert.equal(fitsServerRequestResult("item/commandExecution/requestApproval", { decision: "decline" }), true);
  assert.equal(fitsServerRequestResult("item/commandExecution/requestApproval", { decision: "maybe" }), false);
});
