import assert from "node:assert/strict";
import { test } from "node:test";
import * as experimental from "../../src/schema/experimental/index.js";
import {
  experimentalRequests,
  type ClientRequestResult,
  type ExperimentalRequests,
} from "../../src/schema/experimental/index.js";
import * as stable from "../../src/schema/index.js";

test("the experimental tables hold every stable method and the experimental ones, which the stable tables lack", () => {
  for (const [name, table] of [
    ["clientRequests", "clientRequests"],
    ["serverRequests", "serverRequests"],
    ["serverNotifications", "serverNotifications"],
  ] as const) {
    const stableMethods = Object.keys(stable[table]);
    const experimentalMethods = Object.keys(experimental[table]);
    for (const method of stableMethods) assert.ok(experimentalMethods.includes(method), `${name}: ${method}`);
  }
  for (const method of ["collaborationMode/list", "thread/search/stream", "thread/realtime/list"]) {
    assert.ok(Object.hasOwn(experimental.clientRequests, method), method);
    assert.equal(Object.hasOwn(stable.clientRequests, method), false, `${method} is not in the stable surface`);
  }
});

test("definitions the experimental bundle shares with the stable one are the very same schemas; changed ones are its own", () => {
  assert.equal(experimental.definitions.AbsolutePathBuf, stable.definitions.AbsolutePathBuf);
  assert.equal(experimental.definitions.TurnStatus, stable.definitions.TurnStatus);
  assert.notEqual(experimental.definitions.ThreadStartParams, stable.definitions.ThreadStartParams);
  assert.ok(Object.keys(experimental.definitions).length > Object.keys(stable.definitions).length);
  assert.ok("CollaborationModeListResponse" in experimental.definitions);
  assert.equal("CollaborationModeListResponse" in stable.definitions, false);
});

test("experimentalRequests types a client's request() by the experimental schema and sends the same call", async () => {
  const calls: unknown[][] = [];
  const asyncClient = {
    name: "async",
    request(
      this: { name: string },
      method: string,
      params: unknown,
      options?: { timeoutMs?: number },
    ): Promise<unknown> {
      calls.push([this.name, method, params, options]);
      return Promise.resolve({ data: [] });
    },
  };
  const api: ExperimentalRequests<typeof asyncClient> = experimentalRequests(asyncClient);
  const answer: Promise<ClientRequestResult<"collaborationMode/list">> = api.request(
    "collaborationMode/list",
    {},
    { timeoutMs: 5 },
  );
  assert.deepEqual(await answer, { data: [] });
  assert.deepEqual(calls, [["async", "collaborationMode/list", {}, { timeoutMs: 5 }]]);

  const syncClient = { request: (_method: string, _params: unknown): unknown => ({ data: [] }) };
  const now: ClientRequestResult<"collaborationMode/list"> = experimentalRequests(syncClient).request(
    "collaborationMode/list",
    {},
  );
  assert.deepEqual(now, { data: [] });

  if (calls.length < 0) {
    // Type checks only (`npm run typecheck`): never run.
    // @ts-expect-error not a method of the experimental protocol
    await api.request("no/such/method", {});
    // @ts-expect-error thread/search needs its query
    await api.request("thread/search", {});
    // @ts-expect-error a stable method keeps its stable params
    await api.request("thread/read", { nope: true });
  }
});
