import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  AsyncCodex,
  ConnectError,
  listenAppServer,
  signBearerToken,
  type ListeningAppServer,
  type RemoteAppServer,
} from "../../src/index.js";
import { createOfflineEnvironment, type OfflineEnvironment } from "../../src/testing/index.js";
import { offlineClientConfig } from "../support/offline-client.js";
import { killProcessesUsingHome, waitUntilNoProcessUsesHome } from "../support/processes.js";

/**
 * WebSocket auth against the real app-server: a capability token (string or file) and an HS256 signed bearer
 * token with issuer and audience. Right credentials connect; wrong, missing, expired, wrong-issuer and
 * wrong-audience ones are refused with a ConnectError (401) that names the endpoint and never the token.
 */

const SECRET = "a-shared-secret-of-at-least-32-bytes-0123456789";

let offline: OfflineEnvironment;
let scratch: string;

async function initialize(connect: RemoteAppServer): Promise<string> {
  const codex = new AsyncCodex({ ...offlineClientConfig(offline), connect });
  try {
    await codex.start();
    return codex.metadata.codexHome;
  } finally {
    await codex.close();
  }
}

async function refused(connect: RemoteAppServer, secrets: readonly string[]): Promise<ConnectError> {
  let caught: unknown;
  try {
    await initialize(connect);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ConnectError, `expected a ConnectError, got ${String(caught)}`);
  assert.equal(caught.failure, "unauthorized");
  assert.equal(caught.httpStatus, 401);
  assert.ok(caught.message.includes(caught.endpoint), caught.message);
  for (const secret of secrets) {
    assert.ok(!caught.message.includes(secret), "the message does not hold the token");
    assert.ok(!String(caught.stack).includes(secret), "nor does the stack");
  }
  return caught;
}

describe("WebSocket auth against the real app-server", { timeout: 90_000 }, () => {
  before(async () => {
    offline = await createOfflineEnvironment();
    scratch = await mkdtemp(join(tmpdir(), "codex-auth-test-"));
  });

  after(async () => {
    assert.deepEqual(await waitUntilNoProcessUsesHome(offline.home.path, 5_000), [], "no app-server is left running");
    killProcessesUsingHome(offline.home.path);
    await offline.close();
    await rm(scratch, { recursive: true, force: true });
  });

  describe("capability token", () => {
    let server: ListeningAppServer;
    before(async () => {
      server = await listenAppServer({ env: offlineClientConfig(offline).env, cwd: offline.cwd });
    });
    after(async () => server?.stop());

    it("the right token, as a string or from a file (whitespace trimmed), is accepted", async () => {
      assert.equal(await initialize({ url: server.url, token: server.token }), offline.home.path);
      const tokenFile = join(scratch, "token");
      await writeFile(tokenFile, `  ${server.token}\n`, { mode: 0o600 });
      assert.equal(await initialize({ url: server.url, tokenFile }), offline.home.path);
    });

    it("a wrong token is refused (401 invalid token), and a missing one too (401 missing token), each saying what to do", async () => {
      const wrong = `${server.token}x`;
      const error = await refused({ url: server.url, token: wrong }, [wrong, server.token!]);
      assert.match(error.message, /invalid websocket bearer token/);
      assert.match(error.message, /token was refused/);
      const missing = await refused({ url: server.url }, [server.token!]);
      assert.match(missing.message, /missing websocket bearer token/);
      assert.match(missing.message, /pass `token`, `tokenFile` or `bearer`/);
    });

    it("an unreadable token file is an InvalidInputError naming the file, before anything is sent", async () => {
      await assert.rejects(
        initialize({ url: server.url, tokenFile: join(scratch, "nope") }),
        /Cannot read `connect.tokenFile` ".*nope" \(ENOENT\)/,
      );
    });
  });

  describe("signed bearer token (HS256)", () => {
    let server: ListeningAppServer;
    before(async () => {
      server = await listenAppServer({
        env: offlineClientConfig(offline).env,
        cwd: offline.cwd,
        auth: { signedBearer: { secret: SECRET, issuer: "ci", audience: "codex" } },
      });
    });
    after(async () => server?.stop());

    it("a token signed with the shared secret, the server's issuer and audience, is accepted", async () => {
      assert.equal(await initialize(server.connect), offline.home.path);
      assert.equal(
        await initialize({ url: server.url, bearer: { secret: SECRET, issuer: "ci", audience: ["other", "codex"] } }),
        offline.home.path,
      );
    });

    it("a wrong secret, issuer or audience, or an expired token is refused with 401, and the secret never shows", async () => {
      const cases: [string, RemoteAppServer, RegExp][] = [
        [
          "wrong secret",
          { url: server.url, bearer: { secret: `${SECRET}-other`, issuer: "ci", audience: "codex" } },
          /invalid websocket jwt/,
        ],
        [
          "wrong issuer",
          { url: server.url, bearer: { secret: SECRET, issuer: "someone", audience: "codex" } },
          /issuer mismatch/,
        ],
        [
          "wrong audience",
          { url: server.url, bearer: { secret: SECRET, issuer: "ci", audience: "elsewhere" } },
          /audience mismatch/,
        ],
        [
          "expired",
          {
            url: server.url,
            bearer: { secret: SECRET, issuer: "ci", audience: "codex", expiresInS: 60, nowMs: Date.now() - 3_600_000 },
          },
          /expired websocket jwt/,
        ],
      ];
      for (const [name, connect, said] of cases) {
        const error = await refused(connect, [SECRET]);
        assert.match(error.message, said, name);
      }
      const forged = signBearerToken({ secret: `${SECRET}-other`, issuer: "ci", audience: "codex" });
      await refused({ url: server.url, token: forged }, [forged, SECRET]);
    });
  });
});
