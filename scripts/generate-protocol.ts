import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { resolveCodexBinary } from "../src/transport/binary.js";
import { compileChecks } from "./protocol/compile-checks.js";
import { generateExperimentalFiles, generateFiles, generateOldestFiles } from "./protocol/generate.js";
import { OLDEST_ALIAS, oldestCodex } from "./protocol/oldest-codex.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BUNDLE = "codex_app_server_protocol.schemas.json";
const USAGE = `Usage: npm run generate -- [--from-bundle] [--out DIR] [--schema-dir DIR] [--codex PATH]

  (default)       run \`codex app-server generate-json-schema\` with the pinned binary (@openai/codex) and copy
                  the bundle and the CLI version into schema/, its \`--experimental\` bundle into
                  schema/experimental/, and the oldest supported codex's bundle (the ${OLDEST_ALIAS} alias) into
                  schema/oldest/; then generate src/schema/generated*.ts, src/schema/experimental/generated*.ts
                  and src/schema/oldest/generated*.ts
  --from-bundle   skip the binaries: generate from the committed schema/ bundles only
  --out DIR       write the generated .ts files into DIR (and DIR/experimental, DIR/oldest) instead of src/schema/
  --schema-dir DIR  where the bundle and VERSION live (default schema/)
  --codex PATH    use this codex executable instead of the pinned @openai/codex one`;

const { values } = parseArgs({
  options: {
    "from-bundle": { type: "boolean", default: false },
    out: { type: "string" },
    "schema-dir": { type: "string" },
    codex: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const schemaDir = resolve(values["schema-dir"] ?? join(ROOT, "schema"));
const outDir = resolve(values.out ?? join(ROOT, "src", "schema"));

if (!values["from-bundle"]) {
  const newest = resolveCodexBinary({ codexBin: values.codex, from: join(ROOT, "package.json") });
  refreshBundle(newest, schemaDir);
  refreshBundle(newest, join(schemaDir, "experimental"), ["--experimental"]);
  refreshBundle(oldestCodex(ROOT).path, join(schemaDir, "oldest"));
}

const version = readFileSync(join(schemaDir, "VERSION"), "utf8").trim();
const experimentalVersion = readFileSync(join(schemaDir, "experimental", "VERSION"), "utf8").trim();
if (experimentalVersion !== version) {
  throw new Error(
    `schema/experimental/ is from ${experimentalVersion} but schema/ from ${version}: run npm run generate`,
  );
}
const stableText = readFileSync(join(schemaDir, BUNDLE), "utf8");
writeAll(outDir, generateFiles(stableText, version), version);
const experimentalText = readFileSync(join(schemaDir, "experimental", BUNDLE), "utf8");
writeAll(join(outDir, "experimental"), generateExperimentalFiles(experimentalText, stableText, version), version);
const oldestVersion = readFileSync(join(schemaDir, "oldest", "VERSION"), "utf8").trim();
const oldestText = readFileSync(join(schemaDir, "oldest", BUNDLE), "utf8");
writeAll(join(outDir, "oldest"), generateOldestFiles(oldestText, stableText, oldestVersion), oldestVersion);

// The client's checks, compiled ahead of time from the TypeBox models just written.
// They are imported from a copy inside this repository, so that `typebox` resolves wherever --out points.
const modelsCopy = mkdtempSync(join(ROOT, "node_modules", ".compile-checks-"));
try {
  for (const name of ["generated.ts", "generated-methods.ts"]) copyFileSync(join(outDir, name), join(modelsCopy, name));
  const methods = (await import(pathToFileURL(join(modelsCopy, "generated-methods.ts")).href)) as Parameters<
    typeof compileChecks
  >[0];
  writeFileSync(join(outDir, "generated-checks.ts"), compileChecks(methods));
} finally {
  rmSync(modelsCopy, { recursive: true, force: true });
}
console.log(`generated generated-checks.ts in ${outDir} (the client's checks, compiled ahead of time)`);

function writeAll(dir: string, files: Readonly<Record<string, string>>, from: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  console.log(`generated ${Object.keys(files).join(", ")} in ${dir} (${from})`);
}

function refreshBundle(codex: string, into: string, flags: readonly string[] = []): void {
  const home = mkdtempSync(join(existsSync("/var/tmp") ? "/var/tmp" : tmpdir(), "codex-schema-"));
  try {
    const env = { ...process.env, HOME: home, CODEX_HOME: home };
    const version = execFileSync(codex, ["--version"], { env, encoding: "utf8" }).trim();
    const out = join(home, "out");
    execFileSync(codex, ["app-server", "generate-json-schema", ...flags, "--out", out], {
      env,
      stdio: ["ignore", "ignore", "inherit"],
    });
    mkdirSync(into, { recursive: true });
    copyFileSync(join(out, BUNDLE), join(into, BUNDLE));
    writeFileSync(join(into, "VERSION"), `${version}\n`);
    console.log(`copied ${BUNDLE} from ${version}${flags.length > 0 ? ` (${flags.join(" ")})` : ""} into ${into}`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
