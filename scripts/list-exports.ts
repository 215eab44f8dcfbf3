/**
 * Lists what each entry point of the package exports (`.`, `./protocol`, `./protocol/experimental`, `./testing`, `./inspector`), one line per name with
 * its kind, and keeps `docs/exports.md` in step with it: the public surface, decided on purpose, where every
 * change shows up as a diff. `test/docs/exports.test.ts` fails when the file and the code disagree.
 *
 *   npm run exports          # rewrite docs/exports.md from the code
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The package's entry points: the `exports` of package.json, and the source file of each. */
export const ENTRY_POINTS: ReadonlyArray<{ readonly entry: string; readonly source: string }> = [
  { entry: "codex-app-server", source: "src/index.ts" },
  { entry: "codex-app-server/protocol", source: "src/schema/index.ts" },
  { entry: "codex-app-server/protocol/experimental", source: "src/schema/experimental/index.ts" },
  { entry: "codex-app-server/testing", source: "src/testing/index.ts" },
  { entry: "codex-app-server/inspector", source: "src/inspector/index.ts" },
];

/** Where the committed list lives. */
export const EXPORTS_FILE = `${ROOT}docs/exports.md`;

function kindOf(symbol: ts.Symbol): string {
  const flags = symbol.flags;
  if (flags & ts.SymbolFlags.Class) return "class";
  if (flags & ts.SymbolFlags.Function) return "function";
  if (flags & ts.SymbolFlags.Enum) return "enum";
  if (flags & ts.SymbolFlags.Variable) return flags & ts.SymbolFlags.TypeAlias ? "const + type" : "const";
  if (flags & ts.SymbolFlags.Interface) return "interface";
  if (flags & ts.SymbolFlags.TypeAlias) return "type";
  return "other";
}

/** Each entry point's exports, `name (kind)`, sorted. */
export function listExports(): Map<string, string[]> {
  const program = ts.createProgram(
    ENTRY_POINTS.map(({ source }) => `${ROOT}${source}`),
    {
      target: ts.ScriptTarget.ES2023,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ["node"],
      strict: true,
      skipLibCheck: true,
      noEmit: true,
    },
  );
  const checker = program.getTypeChecker();
  const lists = new Map<string, string[]>();
  for (const { entry, source } of ENTRY_POINTS) {
    const file = program.getSourceFile(`${ROOT}${source}`);
    const module = file === undefined ? undefined : checker.getSymbolAtLocation(file);
    if (module === undefined) throw new Error(`${source} is not a module`);
    const names = checker.getExportsOfModule(module).map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return `${symbol.name} (${kindOf(target)})`;
    });
    lists.set(
      entry,
      names.sort((a, b) => a.localeCompare(b, "en")),
    );
  }
  return lists;
}

/** The text of docs/exports.md for these lists. */
export function renderExports(lists: Map<string, string[]>): string {
  const parts = [
    "# The public surface",
    "",
    "What each entry point of `codex-app-server` exports, generated from the code by `npm run exports` and checked",
    "by `test/docs/exports.test.ts`. A change here is a change of the public API: make it on purpose. Everything",
    "else under `src/` is internal, and so is any member tagged `@internal`.",
    "",
  ];
  for (const [entry, names] of lists) {
    parts.push(`## \`${entry}\` (${names.length})`, "", ...names.map((name) => `- ${name}`), "");
  }
  return parts.join("\n");
}

/** The committed file's text, or `""` when there is none. */
export function committedExports(): string {
  try {
    return readFileSync(EXPORTS_FILE, "utf8");
  } catch {
    return "";
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = renderExports(listExports());
  if (text === committedExports()) console.log("docs/exports.md is up to date.");
  else {
    writeFileSync(EXPORTS_FILE, text);
    console.log("docs/exports.md rewritten: review the diff, it is the change of the public surface.");
  }
}
