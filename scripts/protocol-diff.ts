import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { diffBundles, formatDiff } from "./protocol/diff.js";

const BUNDLE = "codex_app_server_protocol.schemas.json";
const USAGE = `Usage: npm run protocol:diff -- <old> <new>

  Prints the methods and definitions added, removed and changed between two app-server schema bundles.
  <old> and <new> are bundle files (${BUNDLE}) or folders holding one (and its VERSION),
  e.g. \`npm run protocol:diff -- schema/oldest schema\`.`;

const args = process.argv.slice(2).filter((arg) => arg !== "--");
if (args.includes("--help") || args.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}
if (args.length !== 2) {
  console.error(`protocol:diff needs two bundles, got ${args.length} argument(s).\n\n${USAGE}`);
  process.exit(2);
}

const [before, after] = args.map((arg) => readBundle(arg)) as [Loaded, Loaded];
process.stdout.write(formatDiff(diffBundles(before.bundle, after.bundle), before.name, after.name));

interface Loaded {
  readonly bundle: unknown;
  readonly name: string;
}

function readBundle(path: string): Loaded {
  if (!existsSync(path)) {
    console.error(`protocol:diff: ${path} does not exist (give a ${BUNDLE} file or a folder holding one).`);
    process.exit(2);
  }
  const file = statSync(path).isDirectory() ? join(path, BUNDLE) : path;
  const versionFile = join(file, "..", "VERSION");
  const name = existsSync(versionFile) ? readFileSync(versionFile, "utf8").trim() : path;
  try {
    return { bundle: JSON.parse(readFileSync(file, "utf8")), name };
  } catch (error) {
    console.error(`protocol:diff: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
