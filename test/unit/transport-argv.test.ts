import assert from "node:assert/strict";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { BinaryNotFoundError } from "../../src/errors/binary-not-found-error.js";
import { InvalidInputError } from "../../src/errors/invalid-input-error.js";
import { appServerArgv } from "../../src/transport/app-server-argv.js";

let dir: string;
let nativeBin: string;
let wrapper: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "argv-"));
  nativeBin = join(dir, "codex");
  wrapper = join(dir, "codex.js");
  await writeFile(nativeBin, "#!/bin/sh\n");
  await chmod(nativeBin, 0o755);
  await writeFile(wrapper, "");
  await chmod(wrapper, 0o755);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("appServerArgv", () => {
  test("puts each config override as --config <entry> before app-server --listen stdio://", () => {
    assert.deepEqual(
      appServerArgv({ codexBin: nativeBin, configOverrides: ['model="o3"', "features.plugins=false"] }),
      [nativeBin, "--config", 'model="o3"', "--config", "features.plugins=false", "app-server", "--listen", "stdio://"],
    );
    assert.deepEqual(appServerArgv({ codexBin: nativeBin }), [nativeBin, "app-server", "--listen", "stdio://"]);
  });

  test("runs a .js codexBin (the npm wrapper) with this Node", () => {
    assert.deepEqual(appServerArgv({ codexBin: wrapper }), [
      process.execPath,
      wrapper,
      "app-server",
      "--listen",
      "stdio://",
    ]);
  });

  test("uses launchArgsOverride verbatim, ignoring codexBin and configOverrides", () => {
    const override = ["/opt/codex", "--config", "a=1", "app-server", "--listen", "stdio://", "--x"];
    assert.deepEqual(
      appServerArgv({ launchArgsOverride: override, codexBin: "/nope", configOverrides: ["b=2"] }),
      override,
    );
    assert.throws(() => appServerArgv({ launchArgsOverride: [] }), InvalidInputError);
  });

  test("a codexBin that does not exist is a BinaryNotFoundError naming the path", () => {
    const missing = join(dir, "missing-codex");
    assert.throws(
      () => appServerArgv({ codexBin: missing }),
      (error: unknown) =>
        error instanceof BinaryNotFoundError && error.path === missing && error.message.includes(missing),
    );
  });

  test("CODEX_APP_SERVER_BIN chooses the binary when codexBin is not given, and must name an executable", () => {
    const saved = process.env["CODEX_APP_SERVER_BIN"];
    try {
      process.env["CODEX_APP_SERVER_BIN"] = nativeBin;
      assert.equal(appServerArgv()[0], nativeBin);
      assert.equal(appServerArgv({ codexBin: wrapper })[1], wrapper, "codexBin wins over the variable");
      const missing = join(dir, "no-such-codex");
      process.env["CODEX_APP_SERVER_BIN"] = missing;
      assert.throws(
        () => appServerArgv(),
        (error: unknown) =>
          error instanceof BinaryNotFoundError &&
          error.path === missing &&
          error.message.includes("CODEX_APP_SERVER_BIN"),
      );
    } finally {
      if (saved === undefined) delete process.env["CODEX_APP_SERVER_BIN"];
      else process.env["CODEX_APP_SERVER_BIN"] = saved;
    }
  });

  test("without codexBin, the installed @openai/codex native binary is used", () => {
    const [command, ...args] = appServerArgv();
    assert.match(command!, /@openai\/codex-[a-z0-9-]+\/vendor\/[^/]+\/bin\/codex(\.exe)?$/);
    assert.deepEqual(args, ["app-server", "--listen", "stdio://"]);
  });
});
