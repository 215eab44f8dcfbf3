import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  InvalidParamsError,
  InvalidRequestError,
  isRetryableError,
  type JsonRpcError,
  MethodNotFoundError,
} from "../../src/errors/index.js";
import { requestCodex } from "../../src/client/rpc-error.js";
import { textReply } from "../../src/testing/scripted-reply.js";
import type { JsonRpcNotification } from "../../src/rpc/messages.js";
import { initialize, startCodex } from "./support/codex-connection.js";
import { waitUntilGone } from "./support/proc.js";

const UNKNOWN_THREAD = "00000000-0000-0000-0000-000000000000";

/** The call's rejection (made through `requestCodex`: mapped as the client maps it). */
async function failure(promise: Promise<unknown>): Promise<JsonRpcError> {
  return promise.then(
    (value) => assert.fail(`answered ${JSON.stringify(value)}`),
    (error: unknown) => error as JsonRpcError,
  );
}

function expect(error: JsonRpcError, expected: typeof InvalidRequestError, message: RegExp): void {
  assert.equal(error.constructor, expected, `${error.name}: ${error.message}`);
  assert.equal(error.code, -32600);
  assert.match(error.rpcMessage, message);
  assert.equal(isRetryableError(error), false);
}

describe("the real codex app-server: handshake and -32600 refinements", { timeout: 30_000 }, () => {
  test("each error the server answers maps to the class its message means", async () => {
    const connection = await startCodex({
      offline: { replies: [textReply("never finished", { end: { type: "hang" } })] },
    });
    try {
      const { peer } = connection;
      const notifications: JsonRpcNotification[] = [];
      peer.onNotification((notification) => notifications.push(notification));

      expect(await failure(requestCodex(peer, "thread/list", {})), InvalidRequestError, /^Not initialized$/);

      const started = performance.now();
      const info = await initialize(peer);
      console.log(`spawn → initialize answer: ${(performance.now() - started).toFixed(0)} ms`);
      assert.deepEqual(Object.keys(info).sort(), ["codexHome", "platformFamily", "platformOs", "userAgent"]);
      assert.match(String(info.userAgent), /^codex_app_server_tests\/\d+\.\d+\.\d+ /);
      assert.equal(info.codexHome, connection.offline.home.path);

      const again = await failure(initialize(peer));
      expect(again, InvalidRequestError, /^Already initialized$/);
      assert.match(again.message, /once per connection/);

      const unknown = await failure(requestCodex(peer, "foo/bar", {}));
      expect(
        unknown,
        MethodNotFoundError,
        /^Invalid request: unknown variant `foo\/bar`, expected one of `initialize`/,
      );
      assert.ok(unknown.message.length < 400, unknown.message);

      expect(
        await failure(requestCodex(peer, "thread/list", { limit: "x" })),
        InvalidParamsError,
        /^Invalid request: invalid type: string "x", expected u32$/,
      );
      expect(
        await failure(requestCodex(peer, "thread/read", {})),
        InvalidParamsError,
        /^Invalid request: missing field `threadId`$/,
      );
      expect(
        await failure(requestCodex(peer, "thread/read")),
        InvalidParamsError,
        /^Invalid request: missing field `params`$/,
      );
      expect(
        await failure(requestCodex(peer, "thread/start", { approvalPolicy: "bogus" })),
        InvalidParamsError,
        /^Invalid request: unknown variant `bogus`, expected one of `untrusted`/,
      );
      expect(
        await failure(requestCodex(peer, "thread/read", { threadId: "nope" })),
        InvalidParamsError,
        /^invalid thread id: /,
      );

      const notLoaded = await failure(requestCodex(peer, "thread/read", { threadId: UNKNOWN_THREAD }));
      expect(notLoaded, InvalidRequestError, new RegExp(`^thread not loaded: ${UNKNOWN_THREAD}$`));
      assert.equal(notLoaded.threadId, UNKNOWN_THREAD);
      expect(
        await failure(requestCodex(peer, "turn/interrupt", { threadId: UNKNOWN_THREAD, turnId: "x" })),
        InvalidRequestError,
        new RegExp(`^thread not found: ${UNKNOWN_THREAD}$`),
      );

      const { thread } = await peer.request<{ thread: { id: string } }>("thread/start", {});
      const threadId = thread.id;
      const noTurn = await failure(requestCodex(peer, "turn/interrupt", { threadId, turnId: "x" }));
      expect(noTurn, InvalidRequestError, /^no active turn to interrupt$/);
      assert.match(noTurn.message, new RegExp(`^turn/interrupt on thread ${threadId}: no active turn to interrupt\\.`));
      const input = [{ type: "text", text: "more", text_elements: [] }];
      expect(
        await failure(requestCodex(peer, "turn/steer", { threadId, expectedTurnId: "x", input })),
        InvalidRequestError,
        /^no active turn to steer$/,
      );

      const { turn } = await peer.request<{ turn: { id: string } }>("turn/start", {
        threadId,
        input: [{ type: "text", text: "hello", text_elements: [] }],
      });
      await connection.offline.provider.waitForRequest(1);
      expect(
        await failure(requestCodex(peer, "turn/steer", { threadId, expectedTurnId: "wrong-turn", input })),
        InvalidRequestError,
        new RegExp(`^expected active turn id \`wrong-turn\` but found \`${turn.id}\`$`),
      );
      expect(
        await failure(requestCodex(peer, "turn/interrupt", { threadId, turnId: "wrong-turn" })),
        InvalidRequestError,
        new RegExp(`^expected active turn id wrong-turn but found ${turn.id}$`),
      );
      expect(
        await failure(requestCodex(peer, "turn/steer", { threadId, expectedTurnId: turn.id, input: [] })),
        InvalidParamsError,
        /^input must not be empty$/,
      );
      assert.deepEqual(await peer.request("turn/interrupt", { threadId, turnId: turn.id }), {});

      assert.ok(notifications.length > 0);
      assert.ok(
        notifications.every((n) => typeof n.emittedAtMs === "number" && !("jsonrpc" in n)),
        "a notification without emittedAtMs",
      );
    } finally {
      await connection[Symbol.asyncDispose]();
      assert.ok(await waitUntilGone(connection.transport.pid, 2_000));
    }
  });
});
