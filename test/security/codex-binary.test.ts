import assert from "node:assert/strict";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, describe, it } from "node:test";
import { AsyncCodex, BinaryNotFoundError } from "../../src/index.js";
import { createOfflineEnvironment, resolveCodexBinary, type OfflineEnvironment } from "../../src/testing/index.js";
import { StdioTransport } from "../../src/transport/index.js";
import { codexDescendants } from "../support/children.js";
import { offlineClientConfig } from "../support/offline-client.js";

/**
 * Promise: the `codexBin` you give is the program that runs. A symlink is resolved to its target, a relative
 * path is resolved against this process's working directory (never the app-server's `cwd`), a bare name is
 * looked up on PATH and never in the current directory; the resolved path is what `resolveCodexBinary`
 * returns and what the transport reports in `argv[0]`. A planted `codex` script proves which one ran: it
 * leaves a marker file.
 */

let root: string;
let offline: OfflineEnvironment;
let realCodex: string;
const startDir = process.cwd();

function plant(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\ntouch ${JSON.stringify(join(root, "planted-ran"))}\nexit 3\n`);
  chmodSync(path, 0o755);
  return path;
}

describe("security: codexBin is resolved, never searched for in the current directory", { timeout: 60_000 }, () => {
  before(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), "codex-bin-")));
    offline = await createOfflineEnvironment();
    realCodex = realpathSync(resolveCodexBinary());
  });

  after(async () => {
    process.chdir(startDir);
    await offline?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("a symlinked codexBin is resolved to its target, which is what runs and what argv reports", async () => {
    const link = join(root, "links", "codex");
    mkdirSync(join(root, "links"), { recursive: true });
    symlinkSync(realCodex, link);
    assert.equal(resolveCodexBinary({ codexBin: link }), realCodex);
    await using transport = await StdioTransport.start({ codexBin: link, env: offline.env, cwd: offline.cwd });
    assert.equal(transport.argv[0], realCodex);
    assert.ok(
      codexDescendants().some((p) => p.pid === transport.pid),
      "the app-server runs as our child",
    );
  });

  it("a relative codexBin is resolved against this process's directory, not the app-server's cwd where a planted codex waits", async () => {
    const mine = join(root, "mine");
    mkdirSync(mine, { recursive: true });
    symlinkSync(realCodex, join(mine, "codex"));
    const workspace = join(root, "workspace");
    plant(workspace, "codex");
    process.chdir(mine);
    try {
      assert.equal(resolveCodexBinary({ codexBin: "./codex" }), realCodex);
      const codex = new AsyncCodex(offlineClientConfig(offline, { codexBin: "./codex", cwd: workspace }));
      try {
        await codex.start();
        assert.match(codex.metadata.serverInfo.version, /^\d+\.\d+\.\d+/);
      } finally {
        await codex.close();
      }
    } finally {
      process.chdir(startDir);
    }
    assert.equal(existsSync(join(root, "planted-ran")), false, "the planted codex in the app-server's cwd did not run");
    assert.equal(resolveCodexBinary({ codexBin: relative(process.cwd(), join(mine, "codex")) }), realCodex);
  });

  it("a bare name is looked up on PATH only: a codex planted in the current directory is not run", async () => {
    const here = join(root, "here");
    plant(here, "codex-planted");
    process.chdir(here);
    try {
      assert.throws(
        () => resolveCodexBinary({ codexBin: "codex-planted" }),
        (error: unknown) =>
          error instanceof BinaryNotFoundError &&
          /not on PATH/.test(error.message) &&
          /never looked for in the current directory/.test(error.message),
      );
      const codex = new AsyncCodex(offlineClientConfig(offline, { codexBin: "codex-planted", cwd: here }));
      await assert.rejects(codex.start(), BinaryNotFoundError);
      await codex.close();
    } finally {
      process.chdir(startDir);
    }
    assert.equal(existsSync(join(root, "planted-ran")), false);
  });

  it("a bare name on PATH is resolved to the absolute path of the real file", () => {
    const bin = join(root, "path-bin");
    mkdirSync(bin, { recursive: true });
    symlinkSync(realCodex, join(bin, "codex-on-path"));
    const saved = process.env.PATH;
    process.env.PATH = `.:${bin}:${saved ?? ""}`;
    try {
      assert.equal(resolveCodexBinary({ codexBin: "codex-on-path" }), realCodex);
    } finally {
      process.env.PATH = saved;
    }
  });

  it("errors name the path that was given and the path it resolved to", () => {
    const missing = join(root, "nowhere", "codex");
    assert.throws(
      () => resolveCodexBinary({ codexBin: relative(process.cwd(), missing) }),
      (error: unknown) => error instanceof BinaryNotFoundError && error.message.includes(missing),
    );
  });
});
