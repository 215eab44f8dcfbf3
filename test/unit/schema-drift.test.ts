import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

test("regenerating from the committed bundle gives byte-identical src/schema/generated*.ts", () => {
  const out = mkdtempSync("/var/tmp/codex-schema-drift-");
  try {
    execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/generate-protocol.ts"), "--from-bundle", "--out", out], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe"],
    });
    const files = readdirSync(out).sort();
    assert.deepEqual(files, ["generated-methods.ts", "generated.ts"]);
    for (const file of files) {
      const fresh = readFileSync(join(out, file), "utf8");
      const committed = readFileSync(join(ROOT, "src/schema", file), "utf8");
      assert.ok(fresh === committed, `src/schema/${file} differs from what the generator makes of schema/: run \`npm run generate -- --from-bundle\``);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("the committed bundle comes with the version of the codex CLI that wrote it", () => {
  const version = readFileSync(join(ROOT, "schema/VERSION"), "utf8");
  assert.match(version, /^codex-cli \d+\.\d+\.\d+\S*\n$/);
  assert.ok(readFileSync(join(ROOT, "src/schema/generated.ts"), "utf8").includes(`(${version.trim()})`));
});
