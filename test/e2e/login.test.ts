import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { waitFor } from "xstate";
import {
  AsyncCodex,
  InternalRpcError,
  InvalidInputError,
  InvalidRequestError,
  LoginFailedError,
  TransportClosedError,
  type ClientDiagnostic,
} from "../../src/index.js";
import { createOfflineEnvironment, type OfflineEnvironment } from "../../src/testing/index.js";
import { offlineClient } from "../support/offline-client.js";
import { runSyncFixture } from "../support/sync-fixture.js";
import type { WireLog } from "../support/wire-log.js";
import { within } from "../support/within.js";

// Login and account against the real app-server, offline. codex reports an account only for a provider that
// needs OpenAI auth, so the scripted provider says it does. The ChatGPT login listens on 127.0.0.1:1455 (one per
// machine): the tests here run one after the other.

const KEY = "sk-test-0123456789abcdefSECRET";

let offline: OfflineEnvironment;
let codex: AsyncCodex;
let wire: WireLog;
const diagnostics: ClientDiagnostic[] = [];

function everythingAbout(error: unknown): string {
  const e = error as Error & Record<string, unknown>;
  return [
    e.message,
    e.stack,
    JSON.stringify(e),
    JSON.stringify(Object.getOwnPropertyNames(e).map((name) => e[name])),
  ].join("\n");
}

describe("login and account on the real app-server", { timeout: 120_000, concurrency: 1 }, () => {
  before(async () => {
    offline = await createOfflineEnvironment({ config: { model_providers: { fake: { requires_openai_auth: true } } } });
    ({ codex, wire } = offlineClient(offline));
    codex.on("diagnostic", ({ data }) => void diagnostics.push(data));
  });

  after(async () => {
    await codex?.close();
    await offline?.close();
  });

  it("API key login, then account() shows it, then logout() forgets it", async () => {
    const before = await codex.account();
    assert.equal(before.account ?? null, null, "no account before the login");
    assert.equal(before.requiresOpenaiAuth, true);
    await codex.loginApiKey(KEY);
    assert.deepEqual((await codex.account()).account, { type: "apiKey" });
    assert.deepEqual((await codex.account({ refreshToken: true })).account, { type: "apiKey" });
    assert.ok(existsSync(join(offline.home.path, "auth.json")), "codex stored the login");
    await codex.logout();
    assert.equal((await codex.account()).account ?? null, null);
    assert.equal(existsSync(join(offline.home.path, "auth.json")), false);
    const received = JSON.stringify(wire.received());
    assert.ok(!received.includes(KEY), "the key never came back from the server");
    assert.ok(!JSON.stringify(diagnostics).includes(KEY), "nor reached a diagnostic");
  });

  it("an empty key is refused before anything is sent, and the message does not echo what was given", async () => {
    const sent = wire.sentMethods().length;
    await assert.rejects(
      codex.loginApiKey("   "),
      (error: unknown) => error instanceof InvalidInputError && /non-empty string/.test(error.message),
    );
    await assert.rejects(codex.loginApiKey(42 as never), InvalidInputError);
    assert.equal(wire.sentMethods().length, sent);
  });

  it("a refused API key login is a typed error that never contains the key", async () => {
    const { codex: forced } = offlineClient(offline, { configOverrides: ['forced_login_method="chatgpt"'] });
    try {
      const error = await forced.loginApiKey(KEY).then(
        () => assert.fail("the login should be refused"),
        (error: unknown) => error,
      );
      assert.ok(error instanceof InvalidRequestError, String(error));
      assert.match((error as Error).message, /API key login is disabled/);
      assert.ok(!everythingAbout(error).includes(KEY), "the key is nowhere in the error");
    } finally {
      await forced.close();
    }
  });

  it("ChatGPT login gives an auth URL and a login id, and cancel() ends it: wait() rejects as cancelled", async () => {
    const login = await codex.loginChatgpt();
    assert.match(login.authUrl, /^https:\/\/auth\.openai\.com\/oauth\/authorize\?/);
    assert.match(login.loginId, /\S/);
    const waiting = login.wait({ timeoutMs: 30_000 });
    waiting.catch(() => undefined); // handled below; the rejection may come before assert.rejects looks
    assert.deepEqual(await login.cancel(), { status: "canceled" });
    await assert.rejects(waiting, (error: unknown) => {
      assert.ok(error instanceof LoginFailedError, String(error));
      assert.equal(error.reason, "cancelled");
      assert.equal(error.loginId, login.loginId);
      return true;
    });
    await assert.rejects(login.wait(), LoginFailedError, "a later wait() rejects the same way");
    assert.deepEqual(await login.cancel(), { status: "notFound" }, "a second cancel finds nothing");
    const authFile = join(offline.home.path, "auth.json");
    assert.ok(
      !existsSync(authFile) || !readFileSync(authFile, "utf8").includes("access_token"),
      "no tokens were stored",
    );
  });

  it("a wait() can be stopped by its signal; the login goes on until cancelled", async () => {
    const login = await codex.loginChatgpt();
    try {
      await assert.rejects(
        login.wait({ signal: AbortSignal.timeout(200) }),
        (error: unknown) => (error as Error).name === "TimeoutError",
      );
    } finally {
      await login.cancel();
    }
  });

  it("closing the client ends a pending wait() with TransportClosedError", async () => {
    const { codex: other } = offlineClient(offline);
    const login = await other.loginChatgpt();
    const waiting = login.wait();
    waiting.catch(() => undefined);
    await other.close();
    await within(
      30_000,
      "the closed client's wait()",
      assert.rejects(waiting, (error: unknown) => (error as Error).name === "TransportClosedError"),
    );
  });

  it("an app-server that dies under a login ends wait() with LoginFailedError (lost), restarted or not; a new login works after the restart", async () => {
    const killAppServer = (client: AsyncCodex) => {
      assert.ok(client.pid !== null, "the client has no app-server to kill");
      process.kill(-client.pid, "SIGKILL");
    };
    const isLost = (error: unknown) => {
      assert.ok(error instanceof LoginFailedError, String(error));
      assert.equal(error.reason, "lost");
      assert.ok(error.cause instanceof TransportClosedError, "the connection's end is the cause");
      assert.match(error.message, /lost with its app-server.*Start a new login/);
      return true;
    };
    const { codex: restarting } = offlineClient(offline, {
      restart: { maxRestarts: 2, backoff: { initialMs: 50, maxMs: 200, jitter: 0 } },
    });
    try {
      const login = await restarting.loginChatgpt();
      const waiting = login.wait();
      waiting.catch(() => undefined);
      killAppServer(restarting);
      await within(30_000, "the lost login's wait()", assert.rejects(waiting, isLost));
      await within(
        30_000,
        "the restart",
        waitFor(restarting.lifecycle, (s) => s.matches("ready") && s.context.restarts >= 1),
      );
      await assert.rejects(login.wait(), isLost, "a later wait() rejects the same way");
      const again = await restarting.loginChatgpt();
      assert.match(again.authUrl, /^https:\/\/auth\.openai\.com\//, "the new app-server runs a new login");
      assert.deepEqual(await again.cancel(), { status: "canceled" });
    } finally {
      await restarting.close();
    }

    const { codex: single } = offlineClient(offline);
    try {
      const login = await single.loginChatgpt();
      const waiting = login.wait();
      waiting.catch(() => undefined);
      killAppServer(single);
      await within(30_000, "the lost login's wait()", assert.rejects(waiting, isLost));
    } finally {
      await single.close();
    }
  });

  it("device-code login fails at once offline, with a typed error", async () => {
    await assert.rejects(codex.loginChatgptDeviceCode(), (error: unknown) => {
      assert.ok(error instanceof InternalRpcError, String(error));
      assert.match(error.message, /device code/);
      return true;
    });
  });

  it("the sync client does the same: API key login, account, logout, a cancelled ChatGPT login, device code", async () => {
    const steps = await runSyncFixture(offline, "login");
    assert.equal(steps.get("before")?.account, null);
    assert.deepEqual(steps.get("loggedIn")?.account, { type: "apiKey" });
    assert.equal(steps.get("loggedOut")?.account, null);
    assert.equal(steps.get("blankKey")?.invalidInput, true);
    const chatgpt = steps.get("chatgpt")!;
    assert.match(String(chatgpt.authUrl), /^https:\/\/auth\.openai\.com\//);
    assert.deepEqual(chatgpt.cancelled, { status: "canceled" });
    assert.deepEqual(chatgpt.waited, { threw: true, name: "LoginFailedError", typed: true, reason: "cancelled" });
    assert.equal(steps.get("deviceCode")?.name, "InternalRpcError");
  });
});
