import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

// The API reference in docs/api is generated from the TSDoc by TypeDoc (typedoc.json). Regenerating it must
// change nothing: when this fails, run `npm run docs` and commit docs/api.

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const COMMITTED = join(ROOT, "docs", "api");
const TYPEDOC = join(ROOT, "node_modules", "typedoc", "bin", "typedoc");
const GENERATE_TIMEOUT_MS = 150_000;

async function filesUnder(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), await readFile(path, "utf8"));
  }
  return files;
}

function generate(out: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TYPEDOC, "--out", out], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), GENERATE_TIMEOUT_MS);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("docs/api is the API reference TypeDoc generates from the current TSDoc", { timeout: GENERATE_TIMEOUT_MS + 30_000 }, () => {
  it("regenerating it gives the same files, byte for byte (else: npm run docs)", async () => {
    const out = await mkdtemp("/var/tmp/codex-api-docs-");
    try {
      const { code, output } = await generate(out);
      assert.equal(code, 0, `typedoc failed:\n${output}`);
      assert.doesNotMatch(output, /\[error\]/, "typedoc reported errors");
      const [fresh, committed] = await Promise.all([filesUnder(out), filesUnder(COMMITTED)]);
      const added = [...fresh.keys()].filter((file) => !committed.has(file));
      const removed = [...committed.keys()].filter((file) => !fresh.has(file));
      const changed = [...fresh.keys()].filter((file) => committed.has(file) && committed.get(file) !== fresh.get(file));
      assert.deepEqual({ added, removed, changed }, { added: [], removed: [], changed: [] }, "docs/api is stale: run `npm run docs`");
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("covers the three public modules and the main classes", async () => {
    const files = await filesUnder(COMMITTED);
    for (const page of [
      "README.md",
      "index/README.md",
      "schema/README.md",
      "testing/README.md",
      "index/classes/AsyncCodex.md",
      "index/classes/AsyncThread.md",
      "index/classes/AsyncTurnHandle.md",
      "testing/functions/createOfflineEnvironment.md",
    ]) {
      assert.ok(files.has(page), `docs/api/${page} exists`);
    }
    assert.ok(files.size < 400, `the reference stays browsable (${files.size} pages; the generated definitions are left out)`);
  });
});
