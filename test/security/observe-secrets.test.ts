import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AsyncCodex, listenAppServer, TurnFailedError, type ClientSnapshot, type ListenAuth } from "../../src/index.js";
import {
  createOfflineEnvironment,
  httpErrorReply,
  textReply,
  type OfflineEnvironment,
} from "../../src/testing/index.js";
import { offlineClientConfig } from "../support/offline-client.js";

/**
 * Promise: what a user switches on to watch a client — the trace file (with payloads) and `codex.snapshot()` /
 * `codex.subscribe()` — never shows an API key or a WebSocket credential. Each secret really travels in the
 * messages (the raw trace hook sees it: the control), and is searched for, verbatim, in the trace file's text
 * and in every snapshot as JSON.
 */

/** Shaped like no pattern (not `sk-…`, not a JWT): only the login's field name, then its value, can hide it. */
const LOGIN_KEY = "observe-login-key-7f3a9c51e2";
/** The provider's key in the app-server's environment (also shaped like no pattern). */
const PROVIDER_KEY = "provider-env-key-4b6d8f0a";

interface Watched {
  codex: AsyncCodex;
  tracePath: string;
  /** Every message both ways, as JSON, unredacted: what the user's own `trace` hook receives. */
  raw: string[];
  snapshots: ClientSnapshot[];
}

function watch(
  offline: OfflineEnvironment,
  name: string,
  extra: Parameters<typeof offlineClientConfig>[1] = {},
): Watched {
  const tracePath = join(offline.home.path, `${name}.jsonl`);
  const raw: string[] = [];
  const codex = new AsyncCodex(
    offlineClientConfig(offline, {
      traceFile: { path: tracePath, payloads: true },
      trace: (event) => void raw.push(JSON.stringify(event.message)),
      ...extra,
    }),
  );
  const snapshots: ClientSnapshot[] = [];
  codex.subscribe((snapshot) => void snapshots.push(snapshot), { intervalMs: 10 });
  return { codex, tracePath, raw, snapshots };
}

async function assertNowhere(watched: Watched, secrets: Record<string, string>): Promise<void> {
  watched.snapshots.push(watched.codex.snapshot());
  await watched.codex.close();
  const trace = await readFile(watched.tracePath, "utf8");
  assert.match(trace, /"method":"turn\/start"/, "control: the trace has the turn");
  const snapshots = JSON.stringify(watched.snapshots);
  assert.ok(
    watched.snapshots.some((s) => s.messages.length > 0),
    "control: the snapshots show messages",
  );
  for (const [name, secret] of Object.entries(secrets)) {
    assert.ok(
      watched.raw.some((message) => message.includes(secret)),
      `control: ${name} travelled in a message`,
    );
    assert.ok(!trace.includes(secret), `the trace file shows ${name}`);
    assert.ok(!snapshots.includes(secret), `a snapshot shows ${name}`);
  }
}

describe("security: no key or token in the trace file or a snapshot", { timeout: 120_000 }, () => {
  let offline: OfflineEnvironment;

  before(async () => {
    // requires_openai_auth: the app-server takes an API-key login offline and sends that key to the provider.
    offline = await createOfflineEnvironment({
      apiKey: PROVIDER_KEY,
      config: { model_providers: { fake: { requires_openai_auth: true } } },
    });
  });

  after(async () => {
    await offline?.close();
  });

  it("a real API-key login, then a real turn whose provider quotes its key in a 401", async () => {
    offline.provider.setFallback((request) =>
      httpErrorReply(401, {
        body: {
          error: {
            message: `Incorrect API key provided: ${String(request.headers.authorization).replace(/^Bearer /, "")}.`,
            type: "invalid_request_error",
            code: "invalid_api_key",
          },
        },
      }),
    );
    const watched = watch(offline, "login");
    try {
      await watched.codex.loginApiKey(LOGIN_KEY);
      assert.equal((await watched.codex.account()).account?.type, "apiKey", "control: the login worked");
      const thread = await watched.codex.threadStart();
      const error = await thread.run("hi").then(
        () => assert.fail("the turn cannot succeed with a 401"),
        (caught: unknown) => caught as Error,
      );
      assert.ok(error instanceof TurnFailedError, String(error));
      const sent = (await offline.provider.waitForRequest(1)).headers.authorization;
      assert.equal(sent, `Bearer ${PROVIDER_KEY}`, "control: the provider got the key of its env_key");
      // The login key travels out in account/login/start; the provider's key comes back in the turn's error.
      await assertNowhere(watched, { "the login's API key": LOGIN_KEY, "the provider's API key": PROVIDER_KEY });
    } finally {
      await watched.codex.close();
    }
  });

  const auths: [string, ListenAuth, (server: { token: string | undefined }) => string][] = [
    ["a capability token", "capabilityToken", (server) => server.token!],
    [
      "a signed bearer token's shared secret",
      { signedBearer: { secret: "observe-shared-secret-0123456789abcdef", issuer: "ci" } },
      () => "observe-shared-secret-0123456789abcdef",
    ],
  ];
  for (const [what, auth, secretOf] of auths) {
    it(`over a WebSocket with ${what}, even a turn whose prompt quotes it`, async () => {
      await using offline = await createOfflineEnvironment();
      const server = await listenAppServer({ env: offlineClientConfig(offline).env, cwd: offline.cwd, auth });
      try {
        const secret = secretOf(server);
        const watched = watch(offline, `ws-${what.split(" ")[1]}`, { connect: server.connect });
        try {
          offline.provider.enqueue(textReply("Noted.", { deltas: 2 }));
          const thread = await watched.codex.threadStart();
          assert.equal((await thread.run(`keep this for me: ${secret}`)).finalResponse, "Noted.");
          await assertNowhere(watched, { [what]: secret });
        } finally {
          await watched.codex.close();
        }
      } finally {
        await server.stop();
      }
    });
  }
});
