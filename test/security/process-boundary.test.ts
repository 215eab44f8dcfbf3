import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AsyncCodex, type AppServerConfig } from "../../src/index.js";
import {
  createOfflineEnvironment,
  execCommandReply,
  textReply,
  type OfflineEnvironment,
} from "../../src/testing/index.js";
import { codexDescendants, environmentOf } from "../support/children.js";
import { offlineClientConfig } from "../support/offline-client.js";

/**
 * Promises about the app-server process: the test kit's app-server connects nowhere but the scripted
 * provider (every `connect()` of it and of everything it spawns, traced with strace); arguments never pass
 * through a shell (a config entry full of shell metacharacters arrives as one argument, and codex reads it
 * literally); the child's environment is exactly this process's plus `AppServerConfig.env`.
 */

/**
 * The C library's name service cache: a shell (or codex) looking up its own user asks it over a local socket
 * where nscd is installed (a CI machine refused it with EPERM). It is not the network: a host name it resolved
 * would still need a connect() to an address, which this test checks.
 */
const NAME_SERVICE_CACHE = ["/var/run/nscd/socket", "/run/nscd/socket"];

let offline: OfflineEnvironment;

before(async () => {
  offline = await createOfflineEnvironment();
});

after(async () => {
  await offline?.close();
});

/** Starts a client, runs `body` with the app-server's pid (our direct codex child), closes it. */
async function withAppServer(
  config: AppServerConfig,
  body: (codex: AsyncCodex, pid: number) => Promise<void>,
): Promise<void> {
  const before = new Set(codexDescendants().map((p) => p.pid));
  const codex = new AsyncCodex(config);
  try {
    await codex.start();
    const started = codexDescendants().filter((p) => p.ppid === process.pid && !before.has(p.pid));
    assert.equal(started.length, 1, `one app-server child: ${JSON.stringify(started)}`);
    await body(codex, started[0]!.pid);
  } finally {
    await codex.close();
  }
}

describe("security: the app-server process", { timeout: 120_000 }, () => {
  it("connects nowhere but the provider: every connect() of codex and its children, traced, goes to 127.0.0.1:<provider port>", async () => {
    let strace: string;
    try {
      strace = execFileSync("sh", ["-c", "command -v strace"], { encoding: "utf8" }).trim();
    } catch {
      assert.fail("strace is needed for this test: install it (apt-get install strace); .ci/run does");
    }
    const log = join(offline.home.path, "connect.strace");
    offline.provider.enqueue(execCommandReply("echo hi"), textReply("Done."), textReply("Second turn."));
    const codex = new AsyncCodex(
      offlineClientConfig(offline, {
        launchArgsOverride: [
          strace,
          "-f",
          "-qq",
          "-e",
          "trace=connect",
          "-e",
          "signal=none",
          "-o",
          log,
          offline.codexBin,
          "app-server",
          "--listen",
          "stdio://",
        ],
      }),
    );
    const failures: unknown[] = [];
    try {
      const thread = await codex.threadStart({ approvalPolicy: "never", sandbox: "workspace-write" });
      // A turn that fails (it could not reach the provider) is checked after the connections, which say why.
      await thread.run("Run echo hi.").catch((error: unknown) => failures.push(error));
      await thread.run("Again.").catch((error: unknown) => failures.push(error));
    } finally {
      await codex.close();
    }
    const calls = readFileSync(log, "utf8")
      .split("\n")
      .filter((line) => line.includes("connect("));
    assert.ok(calls.length > 0, "strace saw the connections to the provider (else it traced nothing)");
    const elsewhere = calls.filter(
      (line) =>
        !line.includes(`sin_port=htons(${offline.provider.port}), sin_addr=inet_addr("127.0.0.1")`) &&
        !NAME_SERVICE_CACHE.some((socket) => line.includes(`sa_family=AF_UNIX, sun_path="${socket}"`)),
    );
    assert.deepEqual(elsewhere, [], `connections to anything but the provider (127.0.0.1:${offline.provider.port})`);
    assert.deepEqual(failures, [], "both turns completed through the provider");
  });

  it("passes arguments without a shell: a config entry full of shell metacharacters reaches codex as one literal argument", async () => {
    const marker = join(offline.cwd, "shell-ran");
    const model = `m$(touch ${marker}) \`touch ${marker}\`; touch ${marker} | cat && touch ${marker} > x < y * ? ~ {a,b} 'single' "double" \\ $HOME %PATH% !1 #`;
    const entry = `model=${JSON.stringify(model)}`;
    offline.provider.enqueue(textReply("ok"));
    await withAppServer(offlineClientConfig(offline, { configOverrides: [entry] }), async (codex, pid) => {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").slice(0, -1);
      const at = argv.indexOf("--config");
      assert.ok(at > 0, `argv: ${JSON.stringify(argv)}`);
      assert.equal(argv[at + 1], entry, "the entry is one argument, byte for byte");
      const thread = await codex.threadStart();
      await thread.run("hi");
      const request = await offline.provider.waitForRequest(offline.provider.receivedCount);
      assert.equal((request.body as { model?: string }).model, model, "codex read the value literally");
    });
    assert.equal(existsSync(marker), false, "no shell ran the substitutions");
  });

  it("gives the app-server exactly this process's environment plus AppServerConfig.env (undefined removes)", async () => {
    process.env.RELIABILITY_INHERITED = "from the parent";
    process.env.RELIABILITY_REMOVED = "must not reach codex";
    try {
      const config = offlineClientConfig(offline);
      const env = { ...config.env, RELIABILITY_ADDED: "from config", RELIABILITY_REMOVED: undefined };
      await withAppServer({ ...config, env }, async (_codex, pid) => {
        const expected: Record<string, string> = {};
        for (const [name, value] of Object.entries({ ...process.env, ...env }))
          if (value !== undefined) expected[name] = value;
        const actual = environmentOf(pid);
        // Names only in the failure message: the values may be secrets.
        const extra = Object.keys(actual).filter((name) => !(name in expected));
        const missing = Object.keys(expected).filter((name) => !(name in actual));
        const changed = Object.keys(expected).filter((name) => name in actual && actual[name] !== expected[name]);
        assert.deepEqual({ extra, missing, changed }, { extra: [], missing: [], changed: [] });
        assert.equal(actual.RELIABILITY_INHERITED, "from the parent");
        assert.equal(actual.RELIABILITY_ADDED, "from config");
      });
    } finally {
      delete process.env.RELIABILITY_INHERITED;
      delete process.env.RELIABILITY_REMOVED;
    }
  });
});
