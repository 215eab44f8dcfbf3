import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as errors from "../../src/errors/index.js";
import {
  AppServerError,
  AppServerRpcError,
  InternalRpcError,
  InvalidParamsError,
  InvalidRequestError,
  isRetryableError,
  JsonRpcError,
  MethodNotFoundError,
  ParseError,
  RequestAbortedError,
  RequestTimeoutError,
  RetryLimitExceededError,
  ServerBusyError,
  TransportClosedError,
} from "../../src/errors/index.js";
import { mapJsonRpcError } from "../../src/client/rpc-error.js";

const THREAD = "01a210d6-e641-7b70-ba7a-e13a0680f723";
const TURN = "01a210d7-3b6b-7720-bdd0-cea3a28eae3d";

// Messages of the real `codex app-server` 0.169.0 (test/faults/codex-errors.test.ts checks them live).
const UNKNOWN_METHOD =
  "Invalid request: unknown variant `foo/bar`, expected one of `initialize`, `server/diagnostics`, `thread/start`, `thread/resume`";
const CASES: ReadonlyArray<{ method: string; params?: unknown; message: string; class: typeof JsonRpcError }> = [
  { method: "thread/list", message: "Not initialized", class: InvalidRequestError },
  { method: "initialize", message: "Already initialized", class: InvalidRequestError },
  { method: "foo/bar", message: UNKNOWN_METHOD, class: MethodNotFoundError },
  {
    method: "thread/list",
    message: 'Invalid request: invalid type: string "x", expected u32',
    class: InvalidParamsError,
  },
  { method: "thread/read", message: "Invalid request: missing field `threadId`", class: InvalidParamsError },
  { method: "thread/read", message: "Invalid request: missing field `params`", class: InvalidParamsError },
  {
    method: "thread/start",
    message: "Invalid request: unknown variant `bogus`, expected one of `untrusted`, `on-request`, `granular`, `never`",
    class: InvalidParamsError,
  },
  {
    method: "thread/read",
    params: { threadId: "nope" },
    message:
      "invalid thread id: invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1",
    class: InvalidParamsError,
  },
  { method: "turn/steer", params: { threadId: THREAD }, message: "input must not be empty", class: InvalidParamsError },
  {
    method: "thread/read",
    params: { threadId: THREAD },
    message: `thread not loaded: ${THREAD}`,
    class: InvalidRequestError,
  },
  {
    method: "turn/interrupt",
    params: { threadId: THREAD },
    message: `thread not found: ${THREAD}`,
    class: InvalidRequestError,
  },
  {
    method: "turn/interrupt",
    params: { threadId: THREAD },
    message: "no active turn to interrupt",
    class: InvalidRequestError,
  },
  {
    method: "turn/steer",
    params: { threadId: THREAD },
    message: "no active turn to steer",
    class: InvalidRequestError,
  },
  {
    method: "turn/steer",
    params: { threadId: THREAD },
    message: `expected active turn id \`wrong-turn\` but found \`${TURN}\``,
    class: InvalidRequestError,
  },
  {
    method: "turn/interrupt",
    params: { threadId: THREAD },
    message: `expected active turn id wrong-turn but found ${TURN}`,
    class: InvalidRequestError,
  },
];

describe("mapJsonRpcError", () => {
  for (const { method, params, message, class: expected } of CASES) {
    test(`-32600 "${message.slice(0, 50)}" from ${method} is ${expected.name}`, () => {
      const error = mapJsonRpcError({ code: -32600, message }, { method, params });
      assert.equal(error.constructor, expected);
      assert.equal(error.name, expected.name);
      assert.equal(error.code, -32600);
      assert.equal(error.rpcMessage, message);
      assert.equal(error.method, method);
      assert.ok(error.message.startsWith(method), error.message);
      assert.match(error.message, /\(JSON-RPC -32600\)$/);
    });
  }

  test("a -32600 unknown variant that is not the method called is a bad param, not an unknown method", () => {
    const error = mapJsonRpcError(
      { code: -32600, message: "Invalid request: unknown variant `fast`, expected one of `low`, `high`" },
      { method: "turn/start" },
    );
    assert.ok(error instanceof InvalidParamsError);
  });

  test("an unknown method's message is shortened, but rpcMessage keeps the server's whole list", () => {
    const error = mapJsonRpcError({ code: -32600, message: UNKNOWN_METHOD }, { method: "foo/bar" });
    assert.match(error.message, /unknown variant `foo\/bar` \(the server knows 4 methods\)/);
    assert.doesNotMatch(error.message, /thread\/resume/);
    assert.equal(error.rpcMessage, UNKNOWN_METHOD);
  });

  test("the thread id is named when the server's message does not name it, and not twice when it does", () => {
    const interrupt = mapJsonRpcError(
      { code: -32600, message: "no active turn to interrupt" },
      { method: "turn/interrupt", params: { threadId: THREAD, turnId: TURN } },
    );
    assert.equal(interrupt.threadId, THREAD);
    assert.match(
      interrupt.message,
      new RegExp(`^turn/interrupt on thread ${THREAD}: no active turn to interrupt\\. The turn has already ended`),
    );
    const notLoaded = mapJsonRpcError(
      { code: -32600, message: `thread not loaded: ${THREAD}` },
      { method: "thread/read", params: { threadId: THREAD } },
    );
    assert.equal(notLoaded.message.split(THREAD).length, 2, notLoaded.message);
    assert.match(notLoaded.message, /thread\/resume/);
  });

  test("messages say what to do", () => {
    const hints: Array<[string, RegExp]> = [
      ["Not initialized", /Send initialize/],
      ["Already initialized", /once per connection/],
      ["Invalid request: missing field `threadId`", /protocol schema/],
      [UNKNOWN_METHOD, /codex version that has it/],
      [`expected active turn id \`a\` but found \`${TURN}\``, /running turn/],
    ];
    for (const [message, hint] of hints) {
      assert.match(mapJsonRpcError({ code: -32600, message }, { method: "foo/bar" }).message, hint);
    }
  });

  test("the standard codes map to their classes", () => {
    const table: Array<[number, typeof JsonRpcError]> = [
      [-32700, ParseError],
      [-32601, MethodNotFoundError],
      [-32602, InvalidParamsError],
      [-32603, InternalRpcError],
      [-32000, AppServerRpcError],
      [-32099, AppServerRpcError],
      [-31999, JsonRpcError],
      [1, JsonRpcError],
    ];
    for (const [code, expected] of table) {
      assert.equal(mapJsonRpcError({ code, message: "m" }).constructor, expected, String(code));
    }
  });

  test("overload: -32001, or a marker in data under any code, is ServerBusyError; a retry limit is RetryLimitExceededError", () => {
    assert.equal(
      mapJsonRpcError({ code: -32001, message: "Server overloaded; retry later." }).constructor,
      ServerBusyError,
    );
    assert.equal(
      mapJsonRpcError({ code: -32000, message: "busy", data: "server_overloaded" }).constructor,
      ServerBusyError,
    );
    assert.equal(
      mapJsonRpcError({ code: -32603, message: "busy", data: { codexErrorInfo: "serverOverloaded" } }).constructor,
      ServerBusyError,
    );
    assert.equal(
      mapJsonRpcError({ code: -32000, message: "x", data: [{ info: { kind: "SERVER_OVERLOADED" } }] }).constructor,
      ServerBusyError,
    );
    assert.equal(
      mapJsonRpcError({ code: -32001, message: "retry limit reached" }).constructor,
      RetryLimitExceededError,
    );
    assert.equal(
      mapJsonRpcError({ code: -32050, message: "Too many failed attempts" }).constructor,
      RetryLimitExceededError,
    );
    assert.equal(
      mapJsonRpcError({ code: -32000, message: "x", data: { note: "overloaded" } }).constructor,
      AppServerRpcError,
    );
  });

  test("without a context the message is the Python SDK's `JSON-RPC error <code>: <message>`", () => {
    assert.equal(
      mapJsonRpcError({ code: -32600, message: "Not initialized" }).message,
      "JSON-RPC error -32600: Not initialized.",
    );
  });
});

describe("isRetryableError", () => {
  test("is true for overload, by class or by code and data, and false for everything else", () => {
    assert.equal(isRetryableError(mapJsonRpcError({ code: -32001, message: "Server overloaded; retry later." })), true);
    assert.equal(isRetryableError(new RetryLimitExceededError("retry limit", { code: -32000 })), true);
    assert.equal(
      isRetryableError(new JsonRpcError("x", { code: -32000, data: { errorInfo: "server_overloaded" } })),
      true,
    );
    assert.equal(isRetryableError(Object.assign(new Error("crossed a worker"), { code: -32001 })), true);
    assert.equal(isRetryableError(mapJsonRpcError({ code: -32600, message: "no active turn to steer" })), false);
    assert.equal(isRetryableError(new RequestTimeoutError({ method: "thread/list", id: 1, timeoutMs: 100 })), false);
    assert.equal(isRetryableError(new RequestAbortedError({ method: "thread/list", id: 1 })), false);
    assert.equal(isRetryableError(new TransportClosedError("closed")), false);
    assert.equal(isRetryableError(Object.assign(new Error("socket"), { code: "ECONNRESET" })), false);
    assert.equal(isRetryableError(undefined), false);
    assert.equal(isRetryableError("-32001"), false);
  });
});

describe("the error classes", () => {
  test("are all AppServerErrors, none is a TypeError, and each has its own name", () => {
    const classes = Object.entries(errors as Record<string, unknown>).filter(
      ([name, value]) => typeof value === "function" && /^[A-Z]\w*Error$/.test(name),
    ) as Array<[string, { prototype: object }]>;
    assert.ok(classes.length >= 16, `only ${classes.length} classes exported`);
    for (const [name, ErrorClass] of classes) {
      assert.ok(ErrorClass === AppServerError || ErrorClass.prototype instanceof AppServerError, name);
      assert.equal(ErrorClass.prototype instanceof TypeError, false, name);
    }
    assert.equal(new ServerBusyError("x", { code: -32001 }).name, "ServerBusyError");
    assert.ok(new RetryLimitExceededError("x", { code: -32001 }) instanceof ServerBusyError);
    assert.ok(new ParseError("x", { code: -32700 }) instanceof AppServerRpcError);
    assert.ok(new AppServerRpcError("x", { code: -32000 }) instanceof JsonRpcError);
  });

  test("TransportClosedError.from names the call, the exit and the stderr tail, without ANSI colours", () => {
    const error = TransportClosedError.from(
      {
        reason: "exited",
        exitCode: 101,
        signal: null,
        stderrTail: "a\nb\n\u001b[31mERROR\u001b[0m thread 'main' panicked\n",
      },
      { method: "turn/start", id: 7, sent: true },
    );
    assert.equal(error.exitCode, 101);
    assert.equal(error.method, "turn/start");
    assert.match(
      error.message,
      /^codex app-server exited with code 101 on its own\. turn\/start \(id 7\) was still waiting for its answer: the outcome is unknown/,
    );
    assert.match(error.message, /Last stderr:\na\nb\nERROR thread 'main' panicked$/);
    const closed = TransportClosedError.from(
      { reason: "closed", exitCode: null, signal: null, stderrTail: "" },
      { method: "thread/list", sent: false },
    );
    assert.equal(
      closed.message,
      "The connection to codex app-server was closed by close(). thread/list was not sent. Start a new client to make more calls.",
    );
  });
});
