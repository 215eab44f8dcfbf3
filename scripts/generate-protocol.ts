import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { resolveCodexBinary } from "../src/transport/binary.js";
import { generateFiles } from "./protocol/generate.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BUNDLE = "codex_app_server_protocol.schemas.json";
const USAGE = `Usage: npm run generate -- [--from-bundle] [--out DIR] [--schema-dir DIR] [--codex PATH]

  (default)       run \`codex app-server generate-json-schema\` with the pinned binary, copy the bundle and
                  the CLI version into schema/, then generate src/schema/generated*.ts from it
  --from-bundle   skip the binary: generate from the committed schema/ bundle only
  --out DIR       write the generated .ts files into DIR instead of src/schema/
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

if (!values["from-bundle"]) refreshBundle(resolveCodexBinary({ codexBin: values.codex }), schemaDir);

const version = readFileSync(join(schemaDir, "VERSION"), "utf8").trim();
const files = generateFiles(readFileSync(join(schemaDir, BUNDLE), "utf8"), version);
mkdirSync(outDir, { recursive: true });
for (const [name, text] of Object.entries(files)) writeFileSync(join(outDir, name), text);
console.log(`generated ${Object.keys(files).join(", ")} in ${outDir} from ${BUNDLE} (${version})`);

function refreshBundle(codex: string, into: string): void {
  const home = mkdtempSync(join(existsSync("/var/tmp") ? "/var/tmp" : tmpdir(), "codex-schema-"));
  try {
    const env = { ...process.env, HOME: home, CODEX_HOME: home };
    const version = execFileSync(codex, ["--version"], { env, encoding: "utf8" }).trim();
    const out = join(home, "out");
    execFileSync(codex, ["app-server", "generate-json-schema", "--out", out], { env, stdio: ["ignore", "ignore", "inherit"] });
    mkdirSync(into, { recursive: true });
    copyFileSync(join(out, BUNDLE), join(into, BUNDLE));
    writeFileSync(join(into, "VERSION"), `${version}\n`);
    console.log(`copied ${BUNDLE} from ${version} into ${into}`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
