/**
 * Runs one of the examples: `npm run example -- 03` (offline, against the scripted model), or
 * `npm run example -- 03 --live` (against your own Codex: your `~/.codex` configuration and login).
 * With no number it lists the examples.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const EXAMPLES = fileURLToPath(new URL("../examples/", import.meta.url));
const USAGE = "usage: npm run example -- <number> [--live]   (e.g. npm run example -- 03)";

const args = process.argv.slice(2);
const live = args.includes("--live");
const wanted = args.find((arg) => !arg.startsWith("--"));
const files = readdirSync(EXAMPLES)
  .filter((name) => /^\d\d-.+\.ts$/.test(name))
  .sort();

if (args.includes("--help") || args.includes("-h")) {
  console.log(USAGE);
} else if (wanted === undefined) {
  console.log(`${USAGE}\n`);
  for (const name of files) console.log(`  ${name.slice(0, 2)}  ${title(name)}`);
} else {
  const number = wanted.padStart(2, "0");
  const file = files.find((name) => name.startsWith(`${number}-`) || name === wanted || name === `${wanted}.ts`);
  if (file === undefined) {
    console.error(`there is no example ${JSON.stringify(wanted)} in examples/: run \`npm run example\` to list them.`);
    process.exitCode = 2;
  } else {
    if (live) process.env.CODEX_EXAMPLES_LIVE = "1";
    await import(pathToFileURL(join(EXAMPLES, file)).href);
  }
}

/** The example's title, from the first line of its header comment: "NN · Title: …". */
function title(name: string): string {
  const header = /\/\*\*\s*\n\s*\*\s*(.+)/.exec(readFileSync(join(EXAMPLES, name), "utf8"))?.[1] ?? "";
  return header.replace(/^\d\d\s*·\s*/, "").split(":")[0] ?? header;
}
