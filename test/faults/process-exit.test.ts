import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { createCodexHome, type CodexHome } from "../../src/testing/codex-home.js";
import { isAlive, killQuietly, waitUntilGone } from "./support/proc.js";

const DYING_PARENT = fileURLToPath(new URL("./fixtures/dying-parent.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const leftovers: number[] = [];

interface Parent {
  readonly process: ChildProcessWithoutNullStreams;
  readonly serverPid: number;
  readonly lines: AsyncIterator<string>;
  readonly stderr: () => string;
}

async function startParent(mode: string, server: "fake" | "codex", env?: Record<string, string>): Promise<Parent> {
  const child = spawn(process.execPath, ["--import", "tsx", DYING_PARENT, mode, server], {
    cwd: ROOT,
    env: env ?? process.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  leftovers.push(child.pid!);
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await Promise.race([lines.next(), delay(15_000, undefined, { ref: false })]);
  assert.ok(first !== undefined && !first.done, `the parent printed no pid; stderr: ${stderr}`);
  const serverPid = (JSON.parse(first.value) as { pid: number }).pid;
  leftovers.push(serverPid);
  assert.ok(isAlive(serverPid), "the app-server is not running");
  return { process: child, serverPid, lines, stderr: () => stderr };
}

async function exitOf(child: ChildProcessWithoutNullStreams): Promise<[number | null, NodeJS.Signals | null]> {
  if (child.exitCode !== null || child.signalCode !== null) return [child.exitCode, child.signalCode];
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const result = await Promise.race([exited, delay(10_000, undefined, { ref: false })]);
  assert.ok(result !== undefined, "the parent did not exit");
  return result;
}

after(() => {
  for (const pid of leftovers) killQuietly(pid);
});

describe("no app-server outlives the Node process", { timeout: 60_000 }, () => {
  test("an uncaught exception: the process still exits with code 1, and the server dies with it", async () => {
    const parent = await startParent("throw", "fake");
    assert.deepEqual(await exitOf(parent.process), [1, null]);
    assert.match(parent.stderr(), /deliberate uncaught exception/);
    assert.ok(await waitUntilGone(parent.serverPid, 2_000), "the app-server outlived its parent");
  });

  test("process.exit(): the server dies with the process", async () => {
    const parent = await startParent("exit", "fake");
    assert.deepEqual(await exitOf(parent.process), [0, null]);
    assert.ok(await waitUntilGone(parent.serverPid, 2_000), "the app-server outlived its parent");
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    test(`${signal}: the server is killed and the process still dies of ${signal}`, async () => {
      const parent = await startParent("wait", "fake");
      parent.process.kill(signal);
      assert.deepEqual(await exitOf(parent.process), [null, signal]);
      assert.ok(await waitUntilGone(parent.serverPid, 2_000), "the app-server outlived its parent");
    });
  }

  test("SIGINT with the application's own listener is left to it: nothing dies until the process exits", async () => {
    const parent = await startParent("own-sigint", "fake");
    parent.process.kill("SIGINT");
    const next = await Promise.race([parent.lines.next(), delay(5_000, undefined, { ref: false })]);
    assert.equal(next?.value, "handled SIGINT");
    await delay(300);
    assert.equal(parent.process.exitCode, null, "the parent exited on a SIGINT it handles");
    assert.ok(isAlive(parent.serverPid), "the app-server was killed although the application handles SIGINT");
    parent.process.kill("SIGTERM");
    assert.deepEqual(await exitOf(parent.process), [null, "SIGTERM"]);
    assert.ok(await waitUntilGone(parent.serverPid, 2_000), "the app-server outlived its parent");
  });

  test("the real codex app-server does not outlive a parent that dies of an uncaught exception", async () => {
    const home: CodexHome = await createCodexHome({ providerUrl: "http://127.0.0.1:9/v1" });
    try {
      const parent = await startParent("throw", "codex", home.env);
      assert.deepEqual(await exitOf(parent.process), [1, null]);
      assert.ok(await waitUntilGone(parent.serverPid, 2_000), "codex outlived its parent");
    } finally {
      await home.remove();
    }
  });
});
