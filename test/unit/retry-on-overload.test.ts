import assert from "node:assert/strict";
import { describe, test, type TestContext } from "node:test";
import {
  RETRY_ON_OVERLOAD_DEFAULTS,
  retryOnOverload,
  type RetryOnOverloadOptions,
} from "../../src/client/retry-on-overload.js";
import {
  InvalidInputError,
  InvalidParamsError,
  RetryLimitExceededError,
  ServerBusyError,
} from "../../src/errors/index.js";
import { JsonRpcPeer } from "../../src/rpc/peer.js";
import { createMemoryTransportPair } from "../../src/transport/memory-transport.js";
import { mapJsonRpcError, requestCodex } from "../../src/client/rpc-error.js";

const OVERLOADED = { code: -32001, message: "Server overloaded; retry later." } as const;
const busy = (): ServerBusyError => {
  const error = mapJsonRpcError(OVERLOADED, { method: "thread/list" });
  assert.ok(error instanceof ServerBusyError, "an overload maps to ServerBusyError");
  return error;
};

/** Lets every pending microtask and I/O callback run (setImmediate is not mocked). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Watches a promise without awaiting it: `outcome` is filled in once it settles. */
function watch<T>(promise: Promise<T>): { outcome: PromiseSettledResult<T> | undefined } {
  const watched: { outcome: PromiseSettledResult<T> | undefined } = { outcome: undefined };
  promise.then(
    (value) => (watched.outcome = { status: "fulfilled", value }),
    (reason: unknown) => (watched.outcome = { status: "rejected", reason }),
  );
  return watched;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    if (condition()) return;
    await settle();
  }
  assert.fail("the condition never came true");
}

/**
 * Moves the mocked clock on by `ms`, one millisecond at a time, letting every callback run after each: a wait made
 * of several timers in a row (p-retry's and the jitter's) is then measured as it really elapses.
 */
async function elapse(t: TestContext, ms: number): Promise<void> {
  for (let i = 0; i < ms; i++) {
    t.mock.timers.tick(1);
    await settle();
  }
}

/**
 * Runs `retryOnOverload(fn, options)` on a mocked clock moved on a millisecond at a time: `delays` are the waits
 * it announces through `onRetry`, `gaps` the mocked time that really passed between one call and the next.
 */
async function runOnMockClock<T>(
  t: TestContext,
  fn: (attempt: number) => T | Promise<T>,
  options: RetryOnOverloadOptions = {},
): Promise<{ outcome: PromiseSettledResult<T>; delays: number[]; gaps: number[] }> {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const delays: number[] = [];
  const calls: number[] = [];
  const watched = watch(
    retryOnOverload(
      (attempt) => {
        calls.push(Date.now());
        return fn(attempt);
      },
      { ...options, onRetry: ({ delayMs }) => void delays.push(delayMs) },
    ),
  );
  await settle();
  for (let ms = 0; watched.outcome === undefined; ms++) {
    if (ms > 60_000) assert.fail("still running after a minute of mocked time");
    await elapse(t, 1);
  }
  const gaps = calls.slice(1).map((at, i) => at - calls[i]!);
  return { outcome: watched.outcome, delays, gaps };
}

function rejectionOf(outcome: PromiseSettledResult<unknown>): unknown {
  assert.equal(outcome.status, "rejected", "expected a rejection");
  return outcome.reason;
}

describe("retryOnOverload: retries an overloaded server", { timeout: 10_000 }, () => {
  test("a peer answering -32001 twice then a result takes 3 calls, waiting 250 ms then 500 ms, each ±20 %", async (t) => {
    const [clientSide, serverSide] = createMemoryTransportPair();
    const client = new JsonRpcPeer(clientSide, { requestTimeoutMs: Infinity });
    const server = new JsonRpcPeer(serverSide);
    t.after(() => client.close());
    let calls = 0;
    server.onRequest("thread/list", () => {
      calls += 1;
      if (calls <= 2) throw mapJsonRpcError(OVERLOADED);
      return { data: [], nextCursor: null };
    });
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const retries: Array<{ error: unknown; attempt: number; delayMs: number }> = [];
    const watched = watch(
      retryOnOverload((_attempt, signal) => requestCodex(client, "thread/list", {}, { signal }), {
        onRetry: (retry) => void retries.push(retry),
      }),
    );

    for (const attempt of [1, 2]) {
      await until(() => retries.length === attempt);
      await settle();
      const { delayMs } = retries[attempt - 1]!;
      await elapse(t, delayMs - 1);
      assert.equal(calls, attempt, `attempt ${attempt + 1} came before its ${delayMs} ms wait was over`);
      await elapse(t, 1);
    }
    await until(() => watched.outcome !== undefined);

    assert.deepEqual(watched.outcome, { status: "fulfilled", value: { data: [], nextCursor: null } });
    assert.equal(calls, 3);
    assert.deepEqual(
      retries.map(({ attempt }) => attempt),
      [1, 2],
    );
    assert.ok(retries.every(({ error }) => error instanceof ServerBusyError));
    const [first, second] = retries.map(({ delayMs }) => delayMs) as [number, number];
    assert.ok(first >= 200 && first <= 300, `first wait ${first} ms is not 250 ms ± 20 %`);
    assert.ok(second >= 400 && second <= 600, `second wait ${second} ms is not 500 ms ± 20 %`);
  });

  test("the defaults are the Python SDK's: 3 attempts, 250 ms doubling to a 2 s cap, jitter 0.2", () => {
    assert.deepEqual(
      { ...RETRY_ON_OVERLOAD_DEFAULTS },
      { attempts: 3, initialDelayMs: 250, maxDelayMs: 2_000, jitter: 0.2 },
    );
  });

  test("waits double up to maxDelayMs, and jitter scales them by a factor in [0.8, 1.2]", async (t) => {
    const alwaysBusy = () => Promise.reject(busy());
    const middle = await runOnMockClock(t, alwaysBusy, { attempts: 6, random: () => 0.5 });
    assert.deepEqual(middle.delays, [250, 500, 1_000, 2_000, 2_000]);
    assert.deepEqual(middle.gaps, middle.delays, "the time between calls is not the wait announced");

    t.mock.timers.reset();
    const lowest = await runOnMockClock(t, alwaysBusy, { random: () => 0 });
    assert.deepEqual(lowest.delays, [200, 400]);
    assert.deepEqual(lowest.gaps, lowest.delays);

    t.mock.timers.reset();
    const highest = await runOnMockClock(t, alwaysBusy, { random: () => 0.999_999 });
    assert.deepEqual(highest.delays, [300, 600]);
    assert.deepEqual(highest.gaps, highest.delays);

    t.mock.timers.reset();
    const custom = await runOnMockClock(t, alwaysBusy, {
      attempts: 4,
      initialDelayMs: 10,
      maxDelayMs: 30,
      jitter: 0.5,
      random: () => 0,
    });
    assert.deepEqual(custom.delays, [5, 10, 15]);
    assert.deepEqual(custom.gaps, custom.delays);

    t.mock.timers.reset();
    const allJitter = await runOnMockClock(t, alwaysBusy, { jitter: 1, random: () => 0.75 });
    assert.deepEqual(allJitter.delays, [375, 750]);
    assert.deepEqual(allJitter.gaps, allJitter.delays);
  });

  test("an Error with code -32001 that is not a ServerBusyError (one that lost its class) is retried too", async (t) => {
    let calls = 0;
    const { outcome } = await runOnMockClock(t, () => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error(OVERLOADED.message), { code: OVERLOADED.code });
      return "ok";
    });
    assert.deepEqual(outcome, { status: "fulfilled", value: "ok" });
    assert.equal(calls, 2);
  });
});

describe("retryOnOverload: running out of attempts", { timeout: 10_000 }, () => {
  test("after 3 overloaded calls it rejects with RetryLimitExceededError carrying the last error", async (t) => {
    const thrown: ServerBusyError[] = [];
    const { outcome, delays } = await runOnMockClock(t, () => {
      const error = busy();
      thrown.push(error);
      throw error;
    });
    const error = rejectionOf(outcome);

    assert.equal(thrown.length, 3);
    assert.equal(delays.length, 2, "it waited after the last attempt");
    assert.ok(error instanceof RetryLimitExceededError, `got ${String(error)}`);
    assert.equal(error.cause, thrown[2]);
    assert.equal(error.code, -32001);
    assert.equal(error.rpcMessage, OVERLOADED.message);
    assert.equal(error.method, "thread/list");
    assert.match(
      error.message,
      /^thread\/list: retryOnOverload gave up after 3 attempts: the server was still overloaded/,
    );
    assert.match(error.message, /`attempts`/);
  });

  test("with attempts: 1 a single overloaded call gives RetryLimitExceededError without waiting", async (t) => {
    let calls = 0;
    const last = busy();
    const { outcome, delays } = await runOnMockClock(
      t,
      () => {
        calls += 1;
        throw last;
      },
      { attempts: 1 },
    );
    const error = rejectionOf(outcome);
    assert.equal(calls, 1);
    assert.deepEqual(delays, []);
    assert.ok(error instanceof RetryLimitExceededError);
    assert.equal(error.cause, last);
    assert.match(error.message, /after 1 attempt:/);
  });
});

describe("retryOnOverload: what is not retried", { timeout: 10_000 }, () => {
  const cases: ReadonlyArray<{ name: string; make: () => unknown }> = [
    {
      name: "an InvalidParamsError",
      make: () =>
        mapJsonRpcError(
          { code: -32602, message: "Invalid request: missing field `threadId`" },
          { method: "thread/read" },
        ),
    },
    { name: "a TypeError", make: () => new TypeError("Cannot read properties of undefined (reading 'id')") },
    { name: "a plain Error", make: () => new Error("boom") },
    { name: "a thrown string", make: () => "boom" },
    { name: "a thrown non-Error object, even one with code -32001", make: () => ({ ...OVERLOADED }) },
  ];
  for (const { name, make } of cases) {
    test(`${name} propagates unchanged after 1 call`, async () => {
      const thrown = make();
      let calls = 0;
      const retries: unknown[] = [];
      const error = await retryOnOverload(
        () => {
          calls += 1;
          throw thrown;
        },
        { onRetry: (retry) => void retries.push(retry) },
      ).then(
        () => assert.fail("resolved"),
        (reason: unknown) => reason,
      );
      assert.equal(error, thrown);
      assert.equal(calls, 1);
      assert.deepEqual(retries, []);
    });
  }

  test("an InvalidParamsError from a peer takes 1 call", async (t) => {
    const [clientSide, serverSide] = createMemoryTransportPair();
    const client = new JsonRpcPeer(clientSide, { requestTimeoutMs: Infinity });
    const server = new JsonRpcPeer(serverSide);
    t.after(() => client.close());
    let calls = 0;
    server.onRequest("thread/read", () => {
      calls += 1;
      throw mapJsonRpcError({ code: -32600, message: "Invalid request: missing field `threadId`" });
    });
    await assert.rejects(
      retryOnOverload(() => requestCodex(client, "thread/read", {})),
      InvalidParamsError,
    );
    assert.equal(calls, 1);
  });
});

describe("retryOnOverload: AbortSignal", { timeout: 10_000 }, () => {
  // With random() = 0.5 the 250 ms wait is p-retry's 200 ms (the schedule's floor) after 50 ms of jitter: an abort
  // must end either part.
  for (const abortAfterMs of [0, 49, 50, 120, 249]) {
    test(`an abort ${abortAfterMs} ms into a wait rejects at once with the signal's reason, and no further call is made`, async (t) => {
      t.mock.timers.enable({ apis: ["setTimeout"] });
      const controller = new AbortController();
      const reason = new Error("the user cancelled");
      let calls = 0;
      let retries = 0;
      const watched = watch(
        retryOnOverload(
          () => {
            calls += 1;
            throw busy();
          },
          { signal: controller.signal, random: () => 0.5, onRetry: () => void (retries += 1) },
        ),
      );
      await until(() => retries === 1);
      await settle();
      await elapse(t, abortAfterMs);
      assert.equal(watched.outcome, undefined, "it stopped waiting before the abort");

      controller.abort(reason);
      await settle();

      assert.deepEqual(watched.outcome, { status: "rejected", reason }, "still waiting after the abort");
      t.mock.timers.tick(60_000);
      await settle();
      assert.equal(calls, 1);
    });
  }

  test("an abort during a call that never answers rejects at once, before the call settles", async () => {
    const controller = new AbortController();
    let calls = 0;
    const watched = watch(
      retryOnOverload(
        () => {
          calls += 1;
          return new Promise<never>(() => {});
        },
        { signal: controller.signal },
      ),
    );
    await settle();
    controller.abort();
    await settle();
    const error = rejectionOf(watched.outcome ?? assert.fail("still running after the abort"));
    assert.ok(error instanceof DOMException && error.name === "AbortError", `got ${String(error)}`);
    assert.equal(calls, 1);
  });

  test("an abort beats the RequestAbortedError of a peer call given the same signal", async (t) => {
    const [clientSide, serverSide] = createMemoryTransportPair();
    const client = new JsonRpcPeer(clientSide, { requestTimeoutMs: Infinity });
    const server = new JsonRpcPeer(serverSide);
    t.after(() => client.close());
    server.onRequest("thread/list", () => new Promise(() => {}));
    const controller = new AbortController();
    const reason = new Error("stop");
    const result = retryOnOverload((_attempt, signal) => requestCodex(client, "thread/list", {}, { signal }), {
      signal: controller.signal,
    });
    await until(() => client.pendingCount === 1);
    controller.abort(reason);
    await assert.rejects(result, (error) => error === reason);
  });

  test("an already aborted signal makes no call", async () => {
    let calls = 0;
    const reason = new Error("too late");
    await assert.rejects(
      retryOnOverload(() => void (calls += 1), { signal: AbortSignal.abort(reason) }),
      (error) => error === reason,
    );
    assert.equal(calls, 0);
  });
});

describe("retryOnOverload: options", { timeout: 10_000 }, () => {
  const invalid: ReadonlyArray<{ options: unknown; names: string }> = [
    { options: { attempts: 0 }, names: "attempts" },
    { options: { attempts: 2.5 }, names: "attempts" },
    { options: { attempts: "3" }, names: "attempts" },
    { options: { attempts: Infinity }, names: "attempts" },
    { options: { initialDelayMs: -1 }, names: "initialDelayMs" },
    { options: { initialDelayMs: Number.NaN }, names: "initialDelayMs" },
    { options: { maxDelayMs: Infinity }, names: "maxDelayMs" },
    { options: { jitter: 1.5 }, names: "jitter" },
    { options: { jitter: -0.1 }, names: "jitter" },
    { options: { signal: {} }, names: "signal" },
    { options: { onRetry: "log" }, names: "onRetry" },
    { options: { random: 0.5 }, names: "random" },
  ];
  for (const { options, names } of invalid) {
    test(`${JSON.stringify(options, (_key, value: unknown) => (typeof value === "number" && !Number.isFinite(value) ? String(value) : value))} is an InvalidInputError naming \`${names}\`, before any call`, async () => {
      let calls = 0;
      await assert.rejects(
        retryOnOverload(() => void (calls += 1), options as RetryOnOverloadOptions),
        (error) =>
          error instanceof InvalidInputError &&
          error.message.includes(`\`${names}\``) &&
          !invalid.some((other) => other.names !== names && error.message.includes(`\`${other.names}\``)),
      );
      assert.equal(calls, 0);
    });
  }

  test("fn that is not a function is an InvalidInputError naming `fn`", async () => {
    await assert.rejects(
      retryOnOverload("thread/list" as never),
      (error) => error instanceof InvalidInputError && error.message.includes("`fn`"),
    );
  });

  test("a random() outside [0, 1) is an InvalidInputError naming `random`, after the first call", async () => {
    let calls = 0;
    await assert.rejects(
      retryOnOverload(
        () => {
          calls += 1;
          throw busy();
        },
        { random: () => 2 },
      ),
      (error) => error instanceof InvalidInputError && error.message.includes("`random`"),
    );
    assert.equal(calls, 1);
  });

  for (const kind of ["sync", "async"] as const) {
    test(`an onRetry that throws (${kind}) stops the retries with its error`, async () => {
      const hookError = new Error("no more");
      let calls = 0;
      await assert.rejects(
        retryOnOverload(
          () => {
            calls += 1;
            throw busy();
          },
          {
            initialDelayMs: 1,
            onRetry:
              kind === "sync"
                ? () => {
                    throw hookError;
                  }
                : async () => {
                    await settle();
                    throw hookError;
                  },
          },
        ),
        (error) => error === hookError,
      );
      assert.equal(calls, 1);
    });
  }

  test("an abort wins over an error onRetry throws after it", async () => {
    const controller = new AbortController();
    const reason = new Error("cancelled");
    await assert.rejects(
      retryOnOverload(
        () => {
          throw busy();
        },
        {
          signal: controller.signal,
          onRetry: () => {
            controller.abort(reason);
            throw new Error("from onRetry");
          },
        },
      ),
      (error) => error === reason,
    );
  });
});
