import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as errors from "../../src/errors/index.js";
import {
  AppServerError,
  BufferLimitError,
  BinaryNotFoundError,
  ConnectError,
  InvalidInputError,
  InvalidParamsError,
  JsonRpcError,
  ProtocolError,
  RequestAbortedError,
  RequestTimeoutError,
  RestartsExhaustedError,
  RetryLimitExceededError,
  ServerBusyError,
  ThreadLostError,
  TransportClosedError,
  TurnFailedError,
  TurnLostError,
  TurnNotRunningError,
  LoginFailedError,
  GoalNotCompletedError,
} from "../../src/errors/index.js";
import type { Turn } from "../../src/schema/index.js";
import { fromWire, toWire } from "../../src/sync/wire-error.js";
import { mapJsonRpcError } from "../../src/client/rpc-error.js";

/** What the bridge does to an error: serialise it, copy it as postMessage does, rebuild it. */
function across(error: unknown): unknown {
  return fromWire(structuredClone(toWire(error)), new Error("caller").stack);
}

const TURN = {
  id: "turn-1",
  items: [],
  status: "failed",
  error: { message: "the model is on fire" },
} as unknown as Turn;

const SAMPLES: ReadonlyArray<Error> = [
  new AppServerError("plain"),
  mapJsonRpcError(
    { code: -32600, message: "Invalid request: missing field `threadId`", data: { field: "threadId" } },
    { method: "thread/read", params: {} },
  ),
  mapJsonRpcError(
    { code: -32600, message: "thread not found: abc" },
    { method: "thread/resume", params: { threadId: "abc" } },
  ),
  mapJsonRpcError({ code: -32601, message: "no such method" }, { method: "foo/bar" }),
  mapJsonRpcError({ code: -32700, message: "parse error" }),
  mapJsonRpcError({ code: -32603, message: "internal" }, { method: "thread/start" }),
  mapJsonRpcError({ code: -32001, message: "Server overloaded; retry later." }, { method: "turn/start" }),
  mapJsonRpcError({ code: -32001, message: "retry limit reached" }, { method: "turn/start" }),
  mapJsonRpcError({ code: -32050, message: "server-defined" }, { method: "thread/list" }),
  new JsonRpcError("odd code", { code: -1, data: [1, 2] }),
  TransportClosedError.from(
    { reason: "exited", exitCode: 3, signal: null, stderrTail: "panic: boom\n" },
    { method: "thread/start", id: 4, sent: true },
  ),
  new RequestTimeoutError({ method: "thread/list", id: 7, timeoutMs: 1_000 }),
  new RequestAbortedError({ method: "thread/list", id: 8 }),
  new ProtocolError("bad answer", { kind: "invalidResponse", method: "initialize" }),
  new BufferLimitError("turn t-1 was dropped", { limit: "maxPendingTurns", turnId: "t-1" }),
  new InvalidInputError("input is empty"),
  new BinaryNotFoundError("no codex", { path: "/nowhere/codex" }),
  new ConnectError("token refused", { failure: "unauthorized", endpoint: "ws://127.0.0.1:4500", httpStatus: 401 }),
  TransportClosedError.from({
    reason: "exited",
    exitCode: null,
    signal: null,
    stderrTail: "",
    endpoint: "unix:///run/codex.sock",
    closeCode: 1006,
  }),
  new TurnFailedError({ threadId: "thread-1", turn: TURN }),
  new TurnNotRunningError("turn ended", { threadId: "thread-1", turnId: "turn-1" }),
  new TurnLostError("turn lost", {
    cause: TransportClosedError.from({ reason: "exited", exitCode: null, signal: "SIGKILL", stderrTail: "" }),
    threadId: "thread-1",
    turnId: "turn-1",
    items: [{ type: "agentMessage", id: "msg-1", text: "half a sent" } as never],
    serverTurn: { ...TURN, status: "interrupted" },
  }),
  new RestartsExhaustedError({
    causes: [
      new Error("lost"),
      new TransportClosedError("exited at once", { reason: "exited", exitCode: 1, stderrTail: "boom" }),
    ],
    attempts: 1,
  }),
  new ThreadLostError({ threadId: "thread-2" }),
  new LoginFailedError({
    loginId: "login-1",
    reason: "cancelled",
    serverMessage: "Login server error: Login was not completed",
  }),
  new LoginFailedError({
    loginId: "login-2",
    reason: "lost",
    cause: TransportClosedError.from({ reason: "exited", exitCode: null, signal: "SIGKILL", stderrTail: "" }),
  }),
  new GoalNotCompletedError({
    threadId: "thread-3",
    goal: {
      threadId: "thread-3",
      objective: "ship it",
      status: "budgetLimited",
      tokenBudget: 30,
      tokensUsed: 44,
      timeUsedSeconds: 2,
      createdAt: 1,
      updatedAt: 2,
    },
    turnIds: ["turn-a", "turn-b"],
  }),
];

describe("errors keep their class, message and fields across the sync bridge", () => {
  for (const original of SAMPLES) {
    test(`${original.name}: instanceof holds for its class and every parent, and its fields are intact`, () => {
      const rebuilt = across(original) as Error;
      assert.equal(Object.getPrototypeOf(rebuilt), Object.getPrototypeOf(original));
      type Prototype = { readonly constructor: abstract new () => unknown };
      for (
        let proto = Object.getPrototypeOf(original) as Prototype;
        proto !== Object.prototype;
        proto = Object.getPrototypeOf(proto) as Prototype
      ) {
        assert.ok(rebuilt instanceof proto.constructor, `not an instance of ${proto.constructor.name}`);
      }
      assert.equal(rebuilt.message, original.message);
      assert.equal(rebuilt.name, original.name);
      const { causes: rebuiltCauses, ...rebuiltFields } = rebuilt as Error & { causes?: Error[] };
      const { causes: originalCauses, ...originalFields } = original as Error & { causes?: Error[] };
      assert.deepEqual(rebuiltFields, originalFields);
      const shape = (error: Error): unknown[] => [
        Object.getPrototypeOf(error) as object,
        error.message,
        Object.fromEntries(Object.entries(error)),
      ];
      assert.deepEqual(
        rebuiltCauses?.map(shape),
        originalCauses?.map(shape),
        "a list of errors (causes) keeps each one's class and fields",
      );
      assert.match(rebuilt.stack ?? "", /called from/);
    });
  }

  test("every error class the library exports is among the samples", () => {
    const classes = (Object.values(errors) as unknown[]).filter(
      (value): value is (abstract new (...args: never[]) => Error) & { readonly prototype: Error } =>
        typeof value === "function" && (value as { prototype?: unknown }).prototype instanceof Error,
    );
    const sampled = new Set(SAMPLES.map((sample) => Object.getPrototypeOf(sample) as object));
    for (const errorClass of classes) assert.ok(sampled.has(errorClass.prototype), `${errorClass.name} is not sampled`);
  });

  test("JSON-RPC errors keep code, data and the server's own message", () => {
    const original = SAMPLES[1] as InvalidParamsError;
    const rebuilt = across(original) as InvalidParamsError;
    assert.ok(rebuilt instanceof InvalidParamsError);
    assert.equal(rebuilt.code, -32600);
    assert.deepEqual(rebuilt.data, { field: "threadId" });
    assert.equal(rebuilt.rpcMessage, "Invalid request: missing field `threadId`");
    assert.equal(rebuilt.method, "thread/read");
  });

  test("ServerBusyError and RetryLimitExceededError stay retryable by class", () => {
    assert.ok(across(SAMPLES[6]) instanceof ServerBusyError);
    assert.ok(across(SAMPLES[7]) instanceof RetryLimitExceededError);
    assert.equal(errors.isRetryableError(across(SAMPLES[6])), true);
  });

  test("a cause crosses too, as its own class", () => {
    const original = new AppServerError("outer", {
      cause: new TransportClosedError("inner", { reason: "failed", exitCode: 1 }),
    });
    const rebuilt = across(original) as AppServerError;
    assert.ok(rebuilt.cause instanceof TransportClosedError);
    assert.equal(rebuilt.cause.exitCode, 1);
    assert.equal(Object.keys(rebuilt).includes("cause"), false, "cause stays non-enumerable, as on Error");
  });

  test("built-in errors and AbortSignal's DOMExceptions keep their class and name", () => {
    assert.ok(across(new TypeError("nope")) instanceof TypeError);
    const timeout = across(
      new DOMException("The operation was aborted due to timeout", "TimeoutError"),
    ) as DOMException;
    assert.ok(timeout instanceof DOMException);
    assert.equal(timeout.name, "TimeoutError");
  });

  test("an error of a class unknown here becomes an Error with the same name; a thrown non-error stays a value", () => {
    class Custom extends Error {
      override name = "CustomError";
      extra = 42;
    }
    const rebuilt = across(new Custom("mine")) as Error & { extra: number };
    assert.ok(rebuilt instanceof Error);
    assert.equal(rebuilt.name, "CustomError");
    assert.equal(rebuilt.extra, 42);
    assert.deepEqual(across({ reason: "a plain object" }), { reason: "a plain object" });
    assert.equal(across("a string"), "a string");
  });

  test("a field that cannot be cloned crosses as text instead of failing the call", () => {
    const original = Object.assign(new AppServerError("with a function"), { callback: () => 1 });
    const rebuilt = across(original) as AppServerError & { callback: unknown };
    assert.equal(typeof rebuilt.callback, "string");
  });
});
