import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import * as experimental from "../../src/schema/experimental/index.js";
import { clientRequests, serverNotifications, serverRequests } from "../../src/schema/index.js";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;

test("npm pack gives a tarball that works when installed into an empty folder", { timeout: 180_000 }, async () => {
  const folder = await mkdtemp("/var/tmp/codex-app-server-pack-");
  try {
    await run("npm", ["pack", "--pack-destination", folder], { cwd: root, timeout: 120_000 });
    const tarball = (await readdir(folder)).find((name) => name.endsWith(".tgz"));
    assert.ok(tarball, "npm pack wrote a tarball");
    // The JavaScript shipped is the bundles (scripts/bundle.ts): the entry points and their chunks, not the
    // per-file modules tsc wrote before bundling.
    const { stdout: listing } = await run("tar", ["-tzf", join(folder, tarball)]);
    const scripts = listing
      .split("\n")
      .filter((path) => path.startsWith("package/dist/") && path.endsWith(".js"))
      .map((path) => path.slice("package/dist/".length));
    assert.deepEqual(
      scripts.filter((path) => !path.startsWith("chunks/")).sort(),
      [
        "index.js",
        "inspector/index.js",
        "schema/experimental/index.js",
        "schema/index.js",
        "sync/worker.js",
        "testing/index.js",
      ],
      "only the entry points and dist/chunks/ are shipped as JavaScript",
    );
    const app = join(folder, "app");
    await run("mkdir", ["-p", app]);
    await writeFile(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    await run("npm", ["install", "--no-audit", "--no-fund", join(folder, tarball)], { cwd: app, timeout: 120_000 });
    await writeFile(
      join(app, "check.mjs"),
      [
        'const protocol = await import("codex-app-server/protocol");',
        'const api = await import("codex-app-server");',
        'const testing = await import("codex-app-server/testing");',
        'const experimental = await import("codex-app-server/protocol/experimental");',
        "console.log(JSON.stringify({",
        "  clientRequests: Object.keys(protocol.clientRequests).length,",
        "  serverRequests: Object.keys(protocol.serverRequests).length,",
        "  notifications: Object.keys(protocol.serverNotifications).length,",
        "  threadStartParams: typeof protocol.ThreadStartParams,",
        "  asyncCodex: typeof api.AsyncCodex,",
        "  version: api.VERSION,",
        "  kit: typeof testing.createOfflineEnvironment,",
        "  experimentalRequests: Object.keys(experimental.clientRequests).length,",
        "  experimentalView: typeof experimental.experimentalRequests,",
        "  sharedDefinition: experimental.AbsolutePathBuf === protocol.AbsolutePathBuf,",
        // The sync client's worker thread loads from the installed package: a binary that exits at once fails
        // the start in the worker (a worker that cannot load fails with an AppServerError instead).
        "  syncStart: (() => { try { new api.Codex({ codexBin: '/bin/false' }).close(); return 'started'; } catch (error) { return error.name; } })(),",
        "}));",
      ].join("\n"),
    );
    const { stdout } = await run(process.execPath, ["check.mjs"], { cwd: app, timeout: 30_000 });
    assert.deepEqual(JSON.parse(stdout), {
      clientRequests: Object.keys(clientRequests).length,
      serverRequests: Object.keys(serverRequests).length,
      notifications: Object.keys(serverNotifications).length,
      threadStartParams: "object",
      asyncCodex: "function",
      version: "0.1.0",
      kit: "function",
      experimentalRequests: Object.keys(experimental.clientRequests).length,
      experimentalView: "function",
      sharedDefinition: true,
      syncStart: "TransportClosedError",
    });
    assert.ok(Object.keys(experimental.clientRequests).length > Object.keys(clientRequests).length);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
