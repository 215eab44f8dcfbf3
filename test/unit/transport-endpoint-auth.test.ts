import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { checkConfig } from "../../src/client/config.js";
import { REDACTED, redactSecrets } from "../../src/errors/redact.js";
import { InvalidInputError, signBearerToken } from "../../src/index.js";
import { daemonSocketPath } from "../../src/transport/daemon.js";
import { parseEndpoint } from "../../src/transport/endpoint.js";
import { authorizationFor } from "../../src/transport/remote-options.js";

const SECRET = "0123456789abcdef0123456789abcdef-shared";

describe("endpoints", () => {
  it("parses ws://, wss://, unix:/// and daemon, and labels them without user info or query", () => {
    assert.deepEqual(
      [
        parseEndpoint("ws://127.0.0.1:4500").label,
        parseEndpoint("ws://127.0.0.1:4500/codex?token=abc").label,
        parseEndpoint("wss://build.example:443/app").label,
        parseEndpoint("unix:///var/tmp/codex%20home/app.sock").label,
        parseEndpoint("daemon").kind,
      ],
      [
        "ws://127.0.0.1:4500",
        "ws://127.0.0.1:4500/codex",
        "wss://build.example/app",
        "unix:///var/tmp/codex home/app.sock",
        "daemon",
      ],
    );
    const unix = parseEndpoint("unix:///run/codex.sock");
    assert.ok(unix.kind === "unix" && unix.path === "/run/codex.sock");
  });

  it("refuses other schemes, relative sockets and user info, with what to write instead", () => {
    for (const [value, said] of [
      ["http://127.0.0.1:4500", /scheme "http:"/],
      ["tcp://127.0.0.1:4500", /scheme "tcp:"/],
      ["unix://app.sock", /three slashes/],
      ["ws://me:pw@127.0.0.1:4500", /user info/],
      ["", /non-empty/],
      ["127.0.0.1:4500", /scheme "127.0.0.1:"|not a URL/],
    ] as const) {
      assert.throws(
        () => parseEndpoint(value),
        (error: unknown) => error instanceof InvalidInputError && said.test(error.message),
        value,
      );
    }
  });

  it("the daemon's socket is CODEX_HOME/app-server-control/app-server-control.sock", () => {
    assert.equal(
      daemonSocketPath({ CODEX_HOME: "/var/tmp/h" }),
      "/var/tmp/h/app-server-control/app-server-control.sock",
    );
  });
});

describe("bearer tokens", () => {
  it("signBearerToken makes an HS256 JWT that an independent verifier (jose) accepts with the issuer, audience and expiry", async () => {
    const nowMs = Date.now();
    const token = signBearerToken({
      secret: `  ${SECRET}\n`,
      issuer: "ci",
      audience: "codex",
      subject: "bot",
      expiresInS: 120,
      nowMs,
    });
    assert.deepEqual(decodeProtectedHeader(token), { alg: "HS256", typ: "JWT" });
    const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), {
      issuer: "ci",
      audience: "codex",
      algorithms: ["HS256"],
    });
    assert.equal(payload.sub, "bot");
    assert.equal(payload.exp, Math.floor(nowMs / 1000) + 120);
    await assert.rejects(jwtVerify(token, new TextEncoder().encode(`${SECRET}x`)), /signature verification failed/);
    await assert.rejects(
      jwtVerify(token, new TextEncoder().encode(SECRET), { audience: "other" }),
      /unexpected "aud" claim value/,
    );
    const expired = signBearerToken({ secret: SECRET, expiresInS: 1, nowMs: nowMs - 60_000 });
    await assert.rejects(jwtVerify(expired, new TextEncoder().encode(SECRET)), /"exp" claim timestamp check failed/);
  });

  it("a secret under 32 bytes or a bad expiry is refused without quoting the secret", () => {
    assert.throws(
      () => signBearerToken({ secret: "short-secret-hunter2" }),
      (error: unknown) => {
        assert.ok(
          error instanceof InvalidInputError &&
            /under 32 bytes/.test(error.message) &&
            !error.message.includes("hunter2"),
        );
        return true;
      },
    );
    assert.throws(() => signBearerToken({ secret: SECRET, expiresInS: 0 }), /expiresInS/);
  });

  it("authorizationFor sends `Bearer <token>` (trimmed), a signed JWT for bearer, nothing without credentials", () => {
    assert.equal(authorizationFor({ url: "ws://h:1", token: " abc \n" }), "Bearer abc");
    assert.match(
      authorizationFor({ url: "ws://h:1", bearer: { secret: SECRET } }) ?? "",
      /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/,
    );
    assert.equal(authorizationFor({ url: "ws://h:1" }), undefined);
  });

  it("authorizationFor has every later redaction hide the token and the shared secret (errors, trace, snapshots)", () => {
    const token = "dial-token-5Fq2Lm8Xz1Rw"; // shaped like no pattern: only its value can hide it
    const secret = "dial-shared-secret-0123456789abcdef";
    assert.equal(redactSecrets(`${token} ${secret}`), `${token} ${secret}`, "control: unknown yet");
    authorizationFor({ url: "ws://h:1", token });
    authorizationFor({ url: "ws://h:1", bearer: { secret } });
    assert.equal(redactSecrets(`${token} ${secret}`), `${REDACTED} ${REDACTED}`);
  });
});

describe("config errors never echo a value that may be a secret", () => {
  it("a refused string or object is named by its type, numbers and booleans by value", () => {
    const secret = "sk-hunter2-secret";
    for (const config of [
      { transport: `ws://${secret}` },
      { codexBin: { path: secret } },
      { configOverrides: secret },
      { approvalHandler: secret },
      { connect: { url: "ws://127.0.0.1:1", token: secret, bearer: { secret } } },
      { connect: `ftp://${secret}@host` },
    ]) {
      assert.throws(
        () => checkConfig(config as never),
        (error: unknown) => {
          assert.ok(error instanceof InvalidInputError, String(error));
          assert.ok(!error.message.includes("hunter2"), error.message);
          return true;
        },
      );
    }
    assert.throws(() => checkConfig({ maxLineBytes: -5 }), /`maxLineBytes` must be a positive number, got -5/);
  });
});
