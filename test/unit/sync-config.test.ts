import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { declineAll, InvalidInputError } from "../../src/index.js";
import { checkCodexConfig } from "../../src/sync/config.js";
import { toWireConfig, workerSideEnv } from "../../src/sync/wire-config.js";

describe("the sync client's config is checked before anything starts", () => {
  for (const key of ["transport", "trace", "inspect", "onStderr"]) {
    test(`\`${key}\` (a function the worker would call) is refused, naming it and AsyncCodex`, () => {
      assert.throws(
        () => checkCodexConfig({ [key]: () => {} }),
        (error: unknown) =>
          error instanceof InvalidInputError &&
          error.message.includes(`\`${key}\``) &&
          error.message.includes("AsyncCodex"),
      );
    });
  }

  test("the async config's own checks apply (a negative timeout names the option)", () => {
    assert.throws(
      () => checkCodexConfig({ requestTimeoutMs: -1 }),
      /`requestTimeoutMs` must be a whole number of milliseconds/,
    );
    assert.throws(
      () => checkCodexConfig({ turnTimeoutMs: 0 }),
      /`turnTimeoutMs` must be a whole number of milliseconds/,
    );
    assert.throws(
      () => checkCodexConfig({ retry: { onRetry: () => {} } }),
      /`retry.onRetry` is not supported by the synchronous Codex/,
    );
  });

  test('approvalHandler is accepted; the old onDiagnostic option is refused with a pointer to codex.on("diagnostic")', () => {
    assert.doesNotThrow(() => checkCodexConfig({ approvalHandler: declineAll }));
    assert.throws(() => checkCodexConfig({ onDiagnostic: () => {} } as never), /codex\.on\("diagnostic"/);
  });

  test("what crosses to the worker is cloneable data, with the flags of what to forward", () => {
    const wire = toWireConfig({ cwd: "/tmp", approvalHandler: declineAll, env: { A: "1" } });
    assert.doesNotThrow(() => structuredClone(wire));
    assert.equal(wire.forwardServerRequests, true);
    assert.equal("approvalHandler" in wire.options, false);
  });

  test("the app-server's environment is the caller's with the config's over it; variables only the worker has are removed", () => {
    const wire = {
      ...toWireConfig({ env: { MINE: "yes", HOME: undefined } }),
      callerEnv: { PATH: "/bin", HOME: "/home/me" },
    };
    const env = workerSideEnv(wire);
    assert.equal(env.PATH, "/bin");
    assert.equal(env.MINE, "yes");
    assert.equal(env.HOME, undefined);
    assert.ok("HOME" in env, "HOME is set to undefined, so that it is removed from the worker's environment");
    for (const key of Object.keys(process.env).filter((k) => k !== "PATH" && k !== "HOME"))
      assert.equal(env[key], undefined);
  });
});
