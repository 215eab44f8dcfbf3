import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  isSecretKey,
  REDACTED,
  redactSecrets,
  redactValue,
  rememberSecrets,
  secretValuesIn,
  secretValuesOf,
} from "../../src/errors/redact.js";

/** The one redaction every layer uses: error messages and diagnostics (text), the trace file and snapshots (JSON). */

const KEY = "sk-test-0123456789abcdefABCDEF";

describe("redactValue takes secrets out of JSON before it is written or shown", () => {
  it("an API-key login's key is redacted, the rest of the request stays", () => {
    const message = { id: 4, method: "account/login/start", params: { type: "apiKey", apiKey: KEY } };
    assert.deepEqual(redactValue(message), {
      id: 4,
      method: "account/login/start",
      params: { type: "apiKey", apiKey: REDACTED },
    });
    assert.equal(message.params.apiKey, KEY, "the value given is not changed");
  });

  it("tokens of a login or a token refresh are redacted, token counts are not", () => {
    const redacted = redactValue({
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
    const redacted = redactValue({
      params: { config: { mcp_servers: { docs: { command: "npx", env: { GITHUB_TOKEN: "ghp_x", PLAIN: "1" } } } } },
    });
    assert.deepEqual(redacted, {
      params: {
        config: { mcp_servers: { docs: { command: "npx", env: { GITHUB_TOKEN: REDACTED, PLAIN: REDACTED } } } },
      },
    });
  });

  it("exact secret values, given or remembered, are removed from any string, wherever they appear", () => {
    assert.deepEqual(
      redactValue({ error: { message: "401 for key local-provider-secret-42 at /v1" } }, ["local-provider-secret-42"]),
      { error: { message: `401 for key ${REDACTED} at /v1` } },
    );
    const token = "Wf0cK7uQ2xRz9mBn5tLp3sYd"; // shaped like no pattern: only remembering it can hide it
    assert.equal(redactSecrets(`dialled with ${token}`), `dialled with ${token}`, "control: unknown, it stays");
    rememberSecrets([token]);
    assert.equal(redactSecrets(`dialled with ${token}`), `dialled with ${REDACTED}`);
    assert.deepEqual(redactValue({ text: `a ${token} b` }), { text: `a ${REDACTED} b` });
  });
});

describe("redactSecrets takes secrets out of text (error messages, stderr tails, diagnostics, trace errors)", () => {
  it("Authorization headers, Bearer values, API keys, JWTs and key=value fields", () => {
    assert.equal(
      redactSecrets("curl -H 'Authorization: Bearer abcdef123456' x"),
      `curl -H 'Authorization: Bearer ${REDACTED}' x`,
    );
    assert.equal(redactSecrets(`invalid key ${KEY} given`), `invalid key sk-${REDACTED} given`);
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX19fXw";
    assert.equal(redactSecrets(`token=${jwt};`), `token=${REDACTED};`);
    assert.equal(redactSecrets('{"api_key": "abcd1234efgh"}'), `{"api_key": "${REDACTED}"}`);
    assert.equal(redactSecrets("password: hunter22 ok"), `password: ${REDACTED} ok`);
  });

  it("a secret containing another is removed whole; short values are left alone", () => {
    assert.equal(redactSecrets("x longer-secret-value y", ["secret-value", "longer-secret-value"]), `x ${REDACTED} y`);
    assert.equal(redactSecrets("a short b", ["short"]), "a short b");
  });

  it("ordinary text stays", () => {
    const text = "turn/completed with 42 totalTokens; see docs/machines.md";
    assert.equal(redactSecrets(text), text);
  });
});

describe("which values and keys are secrets", () => {
  it("secretValuesOf picks the values of secret-looking variables only, longest first, once", () => {
    const values = secretValuesOf(
      { OPENAI_API_KEY: "sk-abcdefgh12345", HOME: "/home/someone", GH_TOKEN: "ghp_12345678" },
      { SHORT_KEY: "x", OTHER_TOKEN: "ghp_12345678" },
      undefined,
    );
    assert.deepEqual(values, ["sk-abcdefgh12345", "ghp_12345678"]);
  });

  it("secretValuesIn finds the strings under secret keys, at any depth, and nothing else", () => {
    const message = {
      id: 3,
      method: "account/login/start",
      params: { type: "apiKey", apiKey: "login-key-0f9e8d7c", nested: [{ accessToken: "tok-12345678" }] },
    };
    assert.deepEqual(secretValuesIn(message), ["login-key-0f9e8d7c", "tok-12345678"]);
    assert.deepEqual(secretValuesIn({ params: { input: [{ type: "text", text: "hello there" }] } }), []);
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
