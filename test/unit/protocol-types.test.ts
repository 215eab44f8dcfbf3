import assert from "node:assert/strict";
import { test } from "node:test";

test("TurnStatus is a value too, naming the four statuses as the Python SDK's enum does", async () => {
  const { TurnStatus } = await import("../../src/index.js");
  assert.deepEqual(Object.values(TurnStatus).sort(), ["completed", "failed", "inProgress", "interrupted"]);
  assert.equal(TurnStatus.completed, "completed");
});

test("the client's list of server request methods is the protocol's method table", async () => {
  const { SERVER_REQUEST_METHODS } = await import("../../src/client/approval-handlers.js");
  const { serverRequests } = await import("../../src/schema/index.js");
  assert.deepEqual([...SERVER_REQUEST_METHODS].sort(), Object.keys(serverRequests).sort());
});
