import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isSecretKey, REDACTED, Redactor, secretValuesOf } from "../../src/observe/redact.js";

const KEY = "sk-test-0123456789abcdefABCDEF";

describe("Redactor takes secrets out of JSON before it is written or shown", () => {
  it("an API-key login's key is redacted, the rest of the request stays", () => {
    const message = { id: 4, method: "account/login/start", params: { type: "apiKey", apiKey: KEY } };
    assert.deepEqual(new Redactor().value(message), {
      id: 4,
      method: "account/login/start",
      params: { type: "apiKey", apiKey: REDACTED },
    });
    assert.equal(message.params.apiKey, KEY, "the value given is not changed");
  });

  it("tokens of a login or a token refresh are redacted, token counts are not", () => {
    const redacted = new Redactor().value({
      accessToken: "a.b.c",
      chatgptAccountId: "acct_1",
      refresh_token: "r1",
      id_token: "i1",
      sessionToken: "s1",
      token: "t1",
      usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13 },
      tokenBudget: 100,
    }) as Record<string, unknown>;
    for (const key of ["accessToken", "refresh_token", "id_token", "sessionToken", "token"])
      assert.equal(redacted[key], REDACTED, key);
    assert.equal(redacted.chatgptAccountId, "acct_1");
    assert.deepEqual(redacted.usage, { inputTokens: 10, outputTokens: 3, totalTokens: 13 });
    assert.equal(redacted.tokenBudget, 100);
  });

  it("everything under env is redacted at any depth, the variable names stay", () => {
    const redacted = new Redactor().value({
      params: { config: { mcp_servers: { docs: { command: "npx", env: { GITHUB_TOKEN: "ghp_x", PLAIN: "1" } } } } },
    });
    assert.deepEqual(redacted, {
      params: {
        config: { mcp_servers: { docs: { command: "npx", env: { GITHUB_TOKEN: REDACTED, PLAIN: REDACTED } } } },
      },
    });
  });

  it("Authorization headers, Bearer values, API keys and JWTs inside text are redacted", () => {
    const redactor = new Redactor();
    assert.deepEqual(redactor.value({ headers: { Authorization: "Bearer abc.def" } }), {
      headers: { Authorization: REDACTED },
    });
    assert.equal(
      redactor.text("curl -H 'Authorization: Bearer abcdef123456' x"),
      `curl -H 'Authorization: Bearer ${REDACTED}' x`,
    );
    assert.equal(redactor.text(`invalid key ${KEY} given`), `invalid key ${REDACTED} given`);
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX19fXw";
    assert.equal(redactor.text(`token=${jwt};`), `token=${REDACTED};`);
  });

  it("exact secret values are removed from any string, wherever they appear", () => {
    const redactor = new Redactor({ secrets: ["local-provider-secret-42"] });
    assert.deepEqual(redactor.value({ error: { message: "401 for key local-provider-secret-42 at /v1" } }), {
      error: { message: `401 for key ${REDACTED} at /v1` },
    });
  });

  it("secretValuesOf picks the values of secret-looking variables only", () => {
    const values = secretValuesOf(
      { OPENAI_API_KEY: "sk-abcdefgh12345", HOME: "/home/someone", GH_TOKEN: "ghp_12345678" },
      { SHORT_KEY: "x" },
    );
    assert.deepEqual(values.sort(), ["ghp_12345678", "sk-abcdefgh12345"]);
  });

  it("isSecretKey knows the protocol's secret fields and leaves the ordinary ones", () => {
    for (const key of [
      "apiKey",
      "api_key",
      "OPENAI_API_KEY",
      "accessToken",
      "secretAccessKey",
      "experimental_bearer_token",
      "password",
      "userCode",
    ]) {
      assert.ok(isSecretKey(key), key);
    }
    for (const key of [
      "envKey",
      "idempotencyKey",
      "identityKey",
      "tokenUsage",
      "inputTokens",
      "cancellationToken",
      "keyPath",
    ]) {
      assert.ok(!isSecretKey(key), key);
    }
  });
});
