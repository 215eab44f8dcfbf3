import assert from "node:assert/strict";
import { test } from "node:test";
import { AsyncCodex, InvalidInputError } from "../../src/index.js";
import { backoffDelayMs, DEFAULT_RESTART_POLICY, resolveRestartPolicy } from "../../src/machines/restart-policy.js";

test("restart is off unless asked for; true takes the defaults; an object fills in the rest", () => {
  assert.equal(resolveRestartPolicy(undefined), null);
  assert.equal(resolveRestartPolicy(false), null);
  assert.deepEqual(resolveRestartPolicy(true), DEFAULT_RESTART_POLICY);
  assert.deepEqual(resolveRestartPolicy({ maxRestarts: 2, backoff: { initialMs: 10 } }), {
    maxRestarts: 2,
    resetAfterMs: 60_000,
    backoff: { initialMs: 10, maxMs: 30_000, factor: 2, jitter: 0.2 },
  });
  assert.equal(resolveRestartPolicy({ maxRestarts: Infinity })?.maxRestarts, Infinity);
});

for (const [restart, pattern] of [
  ["yes", /`restart` must be a boolean or a restart policy/],
  [null, /`restart` must be a boolean or a restart policy/],
  [{ maxRestarts: -1 }, /`restart.maxRestarts` must be a whole number/],
  [{ maxRestarts: 1.5 }, /`restart.maxRestarts` must be a whole number/],
  [{ maxRetries: 3 }, /`restart.maxRetries` is not a restart option/],
  [{ resetAfterMs: 0 }, /`restart.resetAfterMs` must be a whole number of milliseconds/],
  [{ backoff: 5 }, /`restart.backoff` must be an object/],
  [{ backoff: { initialMs: 0 } }, /`restart.backoff.initialMs` must be a whole number of milliseconds from 1/],
  [{ backoff: { initialMs: 500, maxMs: 100 } }, /`restart.backoff.maxMs` \(100\) must not be below/],
  [{ backoff: { factor: 0.5 } }, /`restart.backoff.factor` must be a number of 1 or more/],
  [{ backoff: { jitter: 2 } }, /`restart.backoff.jitter` must be a fraction from 0 to 1/],
  [{ backoff: { delay: 1 } }, /`restart.backoff.delay` is not a backoff option/],
] as const) {
  test(`a bad restart option (${JSON.stringify(restart)}) is an InvalidInputError at construction, naming it`, () => {
    assert.throws(
      () => new AsyncCodex({ restart: restart as never }),
      (error: unknown) => {
        assert.ok(error instanceof InvalidInputError);
        assert.match(error.message, pattern);
        return true;
      },
    );
  });
}

test("the backoff grows by the factor up to maxMs, and the jitter moves it at most that fraction either way", () => {
  const policy = resolveRestartPolicy({ backoff: { initialMs: 100, maxMs: 1_000, factor: 3, jitter: 0 } })!;
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(policy, attempt)),
    [100, 300, 900, 1_000, 1_000],
  );
  const jittered = resolveRestartPolicy({ backoff: { initialMs: 1_000, jitter: 0.2 } })!;
  assert.equal(
    backoffDelayMs(jittered, 1, () => 0),
    800,
  );
  assert.equal(
    backoffDelayMs(jittered, 1, () => 0.5),
    1_000,
  );
  assert.equal(
    backoffDelayMs(jittered, 1, () => 0.999_999),
    1_200,
  );
});
