import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { oldestCodex } from "./protocol/oldest-codex.js";

// Runs the real-binary end-to-end suite (test/e2e) against the oldest supported codex: the binary of the
// `codex-oldest` alias, passed to every client and test kit through CODEX_APP_SERVER_BIN. Two files are left
// out, to keep CI's second end-to-end run short: the npm-pack test checks the package, not the app-server, and
// the examples test runs 19 scripts (60 % of this run's time) whose calls the other files make too. The main
// run has both.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const NOT_VERSION_SPECIFIC = new Set(["package.test.ts", "examples.test.ts"]);

const codex = oldestCodex(ROOT);
const files = readdirSync(join(ROOT, "test", "e2e"))
  .filter((name) => name.endsWith(".test.ts") && !NOT_VERSION_SPECIFIC.has(name))
  .sort()
  .map((name) => join("test", "e2e", name));
console.log(`e2e on the oldest supported codex: ${codex.version} (${codex.path}), ${files.length} files`);
const run = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-timeout=120000", "--test-concurrency=2", ...process.argv.slice(2), ...files],
  { cwd: ROOT, stdio: "inherit", env: { ...process.env, CODEX_APP_SERVER_BIN: codex.path } },
);
process.exit(run.status ?? 1);
