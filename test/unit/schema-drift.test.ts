import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

test("regenerating from the committed bundles gives byte-identical src/schema/{,experimental/,oldest/}generated*.ts", () => {
  const out = mkdtempSync("/var/tmp/codex-schema-drift-");
  try {
    execFileSync(
      process.execPath,
      ["--import", "tsx", join(ROOT, "scripts/generate-protocol.ts"), "--from-bundle", "--out", out],
      {
        cwd: ROOT,
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    for (const dir of ["", "experimental", "oldest"]) {
      const files = readdirSync(join(out, dir))
        .filter((name) => name.endsWith(".ts"))
        .sort();
      // The stable protocol also gets the client's checks compiled ahead of time (generated-checks.ts).
      assert.deepEqual(
        files,
        dir === ""
          ? ["generated-checks.ts", "generated-methods.ts", "generated.ts"]
          : ["generated-methods.ts", "generated.ts"],
      );
      for (const file of files) {
        const fresh = readFileSync(join(out, dir, file), "utf8");
        const committed = readFileSync(join(ROOT, "src/schema", dir, file), "utf8");
        const where = join("src/schema", dir, file);
        assert.ok(
          fresh === committed,
          `${where} differs from what the generator makes of schema/: run \`npm run generate -- --from-bundle\``,
        );
      }
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("each committed bundle comes with the version of the codex CLI that wrote it; the experimental one is the stable one's", () => {
  const version = readFileSync(join(ROOT, "schema/VERSION"), "utf8");
  assert.match(version, /^codex-cli \d+\.\d+\.\d+\S*\n$/);
  assert.ok(readFileSync(join(ROOT, "src/schema/generated.ts"), "utf8").includes(`(${version.trim()})`));
  assert.equal(readFileSync(join(ROOT, "schema/experimental/VERSION"), "utf8"), version);
  assert.ok(readFileSync(join(ROOT, "src/schema/experimental/generated.ts"), "utf8").includes(`(${version.trim()})`));
  assert.match(readFileSync(join(ROOT, "schema/oldest/VERSION"), "utf8"), /^codex-cli \d+\.\d+\.\d+\S*\n$/);
});

test("the oldest bundle is the one the codex-oldest alias writes, and the peer range starts there", () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  const oldest = /^npm:@openai\/codex@(\d+\.\d+\.\d+)$/.exec(manifest.devDependencies["codex-oldest"] ?? "")?.[1];
  assert.ok(oldest, "devDependencies has codex-oldest: npm:@openai/codex@X.Y.Z");
  assert.equal(readFileSync(join(ROOT, "schema/oldest/VERSION"), "utf8"), `codex-cli ${oldest}\n`);
  assert.equal(manifest.peerDependencies["@openai/codex"], `>=${oldest}`);
  assert.equal(
    readFileSync(join(ROOT, "schema/VERSION"), "utf8"),
    `codex-cli ${manifest.devDependencies["@openai/codex"]}\n`,
  );
});
