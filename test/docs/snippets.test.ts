import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

// The TypeScript blocks of README.md and docs/*.md type-check against the library's source. A block may use
// a few names it does not declare (`codex`, `thread`, `handle`, …): they are declared for it with their types.

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SNIPPETS = join(ROOT, "test", "docs", "snippets");
const MARKDOWN = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];

const ASSUMED: Readonly<Record<string, string>> = {
  codex: "declare const codex: import('../../../src/index.js').AsyncCodex;",
  thread: "declare const thread: import('../../../src/index.js').AsyncThread;",
  handle: "declare const handle: import('../../../src/index.js').AsyncTurnHandle;",
  offline: "declare const offline: import('../../../src/testing/index.js').OfflineEnvironment;",
  err: "declare const err: unknown;",
  askTheUser: "declare function askTheUser(command: string | null | undefined): Promise<boolean>;",
  mySummariser: "declare function mySummariser(thread: unknown, file: string): Promise<string>;",
  myInteractiveHandler: "declare const myInteractiveHandler: import('../../../src/index.js').ApprovalHandler;",
};

interface Snippet {
  readonly file: string;
  readonly origin: string;
  readonly text: string;
}

function snippets(): Snippet[] {
  const found: Snippet[] = [];
  for (const markdown of MARKDOWN) {
    const text = readFileSync(join(ROOT, markdown), "utf8");
    for (const match of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
      const line = text.slice(0, match.index).split("\n").length;
      let code = (match[1] ?? "")
        .replaceAll('"codex-app-server/testing"', '"../../../src/testing/index.js"')
        .replaceAll('"codex-app-server/protocol/experimental"', '"../../../src/schema/experimental/index.js"')
        .replaceAll('"codex-app-server/protocol"', '"../../../src/schema/index.js"')
        .replaceAll('"codex-app-server/inspector"', '"../../../src/inspector/index.js"')
        .replaceAll('"codex-app-server"', '"../../../src/index.js"');
      const assumed = Object.entries(ASSUMED)
        .filter(([name]) => new RegExp(`\\b${name}\\b`).test(code))
        .filter(([name]) => !new RegExp(`(?:const|let|using|function)\\s+${name}\\b|import[^;]*\\b${name}\\b`).test(code))
        .map(([, declaration]) => declaration);
      code = `${assumed.join("\n")}\n${code}\nexport {};\n`;
      found.push({ file: join(SNIPPETS, `${markdown.replace(/[/.]/g, "-")}-${line}.ts`), origin: `${markdown}:${line}`, text: code });
    }
  }
  return found;
}

describe("the TypeScript examples of README.md and docs/ compile", { timeout: 120_000 }, () => {
  it("every ```ts block type-checks against src/ (strict)", () => {
    const blocks = snippets();
    assert.ok(blocks.length > 20, `found ${blocks.length} blocks`);
    const virtual = new Map(blocks.map((block) => [block.file, block.text]));
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2023,
      lib: ["lib.es2024.d.ts", "lib.esnext.disposable.d.ts"],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ["node"],
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const readFile = host.readFile.bind(host);
    const directoryExists = host.directoryExists?.bind(host);
    host.getSourceFile = (name, language, ...rest) =>
      virtual.has(name) ? ts.createSourceFile(name, virtual.get(name)!, language, true) : getSourceFile(name, language, ...rest);
    host.fileExists = (name) => virtual.has(name) || fileExists(name);
    host.readFile = (name) => virtual.get(name) ?? readFile(name);
    host.directoryExists = (name) => name === SNIPPETS || (directoryExists?.(name) ?? true);
    const program = ts.createProgram([...virtual.keys()], options, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file !== undefined && virtual.has(diagnostic.file.fileName))
      .map((diagnostic) => {
        const block = blocks.find((candidate) => candidate.file === diagnostic.file!.fileName)!;
        const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
        return `${block.origin} (+${line}): ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
      });
    assert.deepEqual(problems, []);
  });
});
