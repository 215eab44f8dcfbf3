import assert from "node:assert/strict";
import { test } from "node:test";

test("TurnStatus is a value too, naming the four statuses as the Python SDK's enum does", async () => {
  const { TurnStatus } = await import("../../src/index.js");
  assert.deepEqual(Object.values(TurnStatus).sort(), ["completed", "failed", "inProgress", "interrupted"]);
  assert.equal(TurnStatus.completed, "completed");
});
