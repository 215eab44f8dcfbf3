import assert from "node:assert/strict";
import { inspect } from "node:util";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { AsyncCodex, TurnFailedError, type ClientDiagnostic } from "../../src/index.js";
import { createOfflineEnvironment, httpErrorReply } from "../../src/testing/index.js";
import { offlineClientConfig } from "../support/offline-client.js";

/**
 * Promise: secrets (API keys, `Authorization` credentials, tokens, passwords) never appear in error messages
 * or diagnostics. The secrets are given to the app-server in its environment; a misbehaving app-server
 * prints them on stderr and stdout; a provider echoes the key in its error. Everything the client reports
 * (error messages, `stderrTail`, diagnostics, with `util.inspect` of the whole objects) is searched.
 */

const SECRETS = {
  OPENAI_API_KEY: "sk-proj-Zx81kq0Lm4Ty7Wv2Nb9s",
  MY_SERVICE_TOKEN: "ghp_4fJ9kL2mN8pQ1rS6tU3vW0xY",
  FAKE_PROVIDER_API_KEY: "fake-provider-key-5e8a1c93",
  DB_PASSWORD: "correct-horse-battery-staple",
};
const LEAKY_APP_SERVER = fileURLToPath(new URL("fixtures/leaky-app-server.mjs", import.meta.url));

function assertNoSecret(what: string, text: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) {
    assert.ok(!text.includes(secret), `${what} shows ${name}:\n${text}`);
  }
}

describe("security: secrets never appear in error messages or diagnostics", { timeout: 60_000 }, () => {
  it("an app-server that prints its keys on stderr and stdout, then dies: the error, its stderr tail and the diagnostics show none", async () => {
    const diagnostics: ClientDiagnostic[] = [];
    let stderr = "";
    const codex = new AsyncCodex({
      launchArgsOverride: [process.execPath, LEAKY_APP_SERVER],
      env: SECRETS,
      onStderr: (text) => (stderr += text),
      requestTimeoutMs: 10_000,
    });
    codex.on("diagnostic", ({ data }) => void diagnostics.push(data));
    const error = await codex.start().then(
      () => assert.fail("the leaky app-server cannot start"),
      (caught: unknown) => caught as Error,
    );
    await codex.close();
    for (const secret of Object.values(SECRETS))
      assert.ok(stderr.includes(secret), "control: the app-server did print its secrets");
    assert.ok(
      diagnostics.some((d) => d.kind === "malformedLine"),
      "control: the line with a token was reported",
    );
    assertNoSecret("the error message", error.message);
    assertNoSecret("the error, inspected", inspect(error, { depth: 10 }));
    assertNoSecret("the diagnostics", inspect(diagnostics, { depth: 10 }));
    assertNoSecret("the diagnostics as JSON", JSON.stringify(diagnostics));
  });

  it("a provider that echoes the key in its 401: the turn's error message shows no key", async () => {
    await using offline = await createOfflineEnvironment({ apiKey: SECRETS.FAKE_PROVIDER_API_KEY });
    offline.provider.setFallback((request) =>
      httpErrorReply(401, {
        body: {
          error: {
            message: `Incorrect API key provided: ${String(request.headers.authorization).replace(/^Bearer /, "")}. Sent: ${String(request.headers.authorization)}`,
            type: "invalid_request_error",
            code: "invalid_api_key",
          },
        },
      }),
    );
    const diagnostics: ClientDiagnostic[] = [];
    const codex = new AsyncCodex(offlineClientConfig(offline));
    codex.on("diagnostic", ({ data }) => void diagnostics.push(data));
    try {
      const thread = await codex.threadStart();
      const error = await thread.run("hi").then(
        () => assert.fail("the turn cannot succeed with a 401"),
        (caught: unknown) => caught as Error,
      );
      assert.ok(error instanceof TurnFailedError, String(error));
      assert.equal(
        (await offline.provider.waitForRequest(1)).headers.authorization,
        `Bearer ${SECRETS.FAKE_PROVIDER_API_KEY}`,
        "control",
      );
      assertNoSecret("the turn error", inspect(error, { depth: 10 }));
      assertNoSecret("the diagnostics", inspect(diagnostics, { depth: 10 }));
    } finally {
      await codex.close();
    }
  });
});
