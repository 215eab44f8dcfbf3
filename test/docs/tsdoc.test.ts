import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

// Every public export of the package's entry points (and every public method of an exported class) has TSDoc
// with an `@example`: the API reference (docs/api) is generated from it, so an export without it is an
// undocumented part of the API.

const ENTRY_POINTS = ["src/index.ts", "src/testing/index.ts", "src/inspector/index.ts"].map((path) => fileURLToPath(new URL(`../../${path}`, import.meta.url)));

const program = ts.createProgram(ENTRY_POINTS, {
  target: ts.ScriptTarget.ES2023,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ["node"],
  strict: true,
  skipLibCheck: true,
  noEmit: true,
});
const checker = program.getTypeChecker();

interface Documented {
  readonly name: string;
  readonly hasDoc: boolean;
  readonly hasExample: boolean;
  readonly internal: boolean;
}

function describeSymbol(name: string, symbol: ts.Symbol): Documented {
  const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
  const tags = symbol.getJsDocTags(checker);
  return {
    name,
    hasDoc: doc.length > 0,
    hasExample: tags.some((tag) => tag.name === "example"),
    internal: tags.some((tag) => tag.name === "internal"),
  };
}

function resolve(symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

function exportsOf(entry: string): { name: string; symbol: ts.Symbol }[] {
  const source = program.getSourceFile(entry);
  assert.ok(source, `${entry} is part of the program`);
  const module = checker.getSymbolAtLocation(source);
  assert.ok(module, `${entry} is a module`);
  return checker.getExportsOfModule(module).map((symbol) => ({ name: symbol.name, symbol: resolve(symbol) }));
}

function entryName(entry: string): string {
  if (entry.endsWith("inspector/index.ts")) return "codex-app-server/inspector";
  return entry.endsWith("testing/index.ts") ? "codex-app-server/testing" : "codex-app-server";
}

/** The public methods and accessors a class declares itself (not inherited, not `#private`, not `@internal`). */
function publicMembers(className: string, symbol: ts.Symbol): Documented[] {
  const declaration = symbol.declarations?.find(ts.isClassDeclaration);
  if (declaration === undefined) return [];
  const members: Documented[] = [];
  for (const member of declaration.members) {
    if (!(ts.isMethodDeclaration(member) || ts.isGetAccessorDeclaration(member) || ts.isSetAccessorDeclaration(member))) continue;
    if (member.name === undefined || ts.isPrivateIdentifier(member.name)) continue;
    const modifiers = ts.getCombinedModifierFlags(member);
    if (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
    const memberSymbol = checker.getSymbolAtLocation(member.name);
    if (memberSymbol === undefined) continue;
    const name = `${className}.${member.name.getText()}`;
    if (members.some((known) => known.name === name)) continue; // a getter and its setter
    const documented = describeSymbol(name, memberSymbol);
    if (documented.internal) continue;
    // `[Symbol.dispose]()` and `[Symbol.asyncDispose]()` only say which method they are the same as.
    const wellKnown = ts.isComputedPropertyName(member.name);
    members.push(wellKnown ? { ...documented, hasExample: true } : documented);
  }
  return members;
}

const exported = ENTRY_POINTS.flatMap((entry) =>
  exportsOf(entry).map(({ name, symbol }) => ({ entry: entryName(entry), symbol, ...describeSymbol(name, symbol) })),
);

/**
 * The protocol entry points: the generated definitions carry the schema's own descriptions (where it has one),
 * so only what is written by hand there (declared outside the generated files) is held to the rule.
 */
const PROTOCOL_ENTRY_POINTS = ["src/schema/index.ts", "src/schema/experimental/index.ts"].map((path) =>
  fileURLToPath(new URL(`../../${path}`, import.meta.url)),
);
const protocolProgram = ts.createProgram(PROTOCOL_ENTRY_POINTS, program.getCompilerOptions());
const protocolChecker = protocolProgram.getTypeChecker();
const handWrittenProtocolExports = PROTOCOL_ENTRY_POINTS.flatMap((entry) => {
  const module = protocolChecker.getSymbolAtLocation(protocolProgram.getSourceFile(entry)!);
  assert.ok(module, `${entry} is a module`);
  const label = entry.includes("experimental") ? "codex-app-server/protocol/experimental" : "codex-app-server/protocol";
  return protocolChecker.getExportsOfModule(module).flatMap((alias) => {
    const symbol = alias.flags & ts.SymbolFlags.Alias ? protocolChecker.getAliasedSymbol(alias) : alias;
    const file = symbol.declarations?.[0]?.getSourceFile().fileName ?? "";
    if (/\/generated[^/]*\.ts$/.test(file)) return [];
    const doc = ts.displayPartsToString(symbol.getDocumentationComment(protocolChecker)).trim();
    const example = symbol.getJsDocTags(protocolChecker).some((tag) => tag.name === "example");
    return [{ name: `${label}: ${alias.name}`, doc: doc.length > 0, example }];
  });
});

describe("every public export has TSDoc with an @example", { timeout: 60_000 }, () => {
  it("what the protocol entry points export by hand (checks, the experimental view) has TSDoc with an @example", () => {
    assert.ok(handWrittenProtocolExports.length >= 8, `only ${handWrittenProtocolExports.length} hand-written exports found`);
    const missing = handWrittenProtocolExports.filter((e) => !e.doc || !e.example).map((e) => e.name);
    assert.deepEqual(missing, [], `protocol exports without TSDoc and an @example:\n  ${missing.join("\n  ")}`);
  });

  it("both entry points export something (the check below is not vacuous)", () => {
    assert.ok(exported.filter((e) => e.entry === "codex-app-server").length > 40);
    assert.ok(exported.filter((e) => e.entry === "codex-app-server/testing").length > 20);
  });

  it("every export of codex-app-server and codex-app-server/testing has a TSDoc comment", () => {
    const missing = exported.filter((e) => !e.hasDoc).map((e) => `${e.entry}: ${e.name}`);
    assert.deepEqual(missing, [], `exports without TSDoc:\n  ${missing.join("\n  ")}`);
  });

  it("every export of codex-app-server and codex-app-server/testing has an @example", () => {
    const missing = exported.filter((e) => !e.hasExample).map((e) => `${e.entry}: ${e.name}`);
    assert.deepEqual(missing, [], `exports without @example:\n  ${missing.join("\n  ")}`);
  });

  it("every public method and accessor of an exported class has TSDoc with an @example", () => {
    const seen = new Set<ts.Symbol>();
    const missing: string[] = [];
    for (const { symbol, name } of exported) {
      if (seen.has(symbol)) continue;
      seen.add(symbol);
      for (const member of publicMembers(name, symbol)) {
        if (!member.hasDoc) missing.push(`${member.name}: no TSDoc`);
        else if (!member.hasExample) missing.push(`${member.name}: no @example`);
      }
    }
    assert.deepEqual(missing, [], `class members:\n  ${missing.join("\n  ")}`);
  });
});

/**
 * The declarations the five entry points expose (resolved through re-exports), in one program: an `@example`
 * elsewhere documents an internal as if it were API (and is never type-checked against a user's view).
 */
const allEntryPoints = [...ENTRY_POINTS, ...PROTOCOL_ENTRY_POINTS];
const allProgram = ts.createProgram(allEntryPoints, program.getCompilerOptions());
const allChecker = allProgram.getTypeChecker();
const exposed = new Set<ts.Node>();
for (const entry of allEntryPoints) {
  const module = allChecker.getSymbolAtLocation(allProgram.getSourceFile(entry)!);
  assert.ok(module, `${entry} is a module`);
  for (const alias of allChecker.getExportsOfModule(module)) {
    const symbol = alias.flags & ts.SymbolFlags.Alias ? allChecker.getAliasedSymbol(alias) : alias;
    for (const declaration of symbol.declarations ?? []) {
      exposed.add(ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration);
    }
  }
}

// A class an exposed class extends is exposed too: its public members are the subclass's (inherited).
for (const declaration of [...exposed]) {
  let current: ts.Node | undefined = declaration;
  while (current !== undefined && ts.isClassDeclaration(current)) {
    const base: ts.ExpressionWithTypeArguments | undefined = current.heritageClauses?.find(
      (clause) => clause.token === ts.SyntaxKind.ExtendsKeyword,
    )?.types[0];
    const symbol: ts.Symbol | undefined = base === undefined ? undefined : allChecker.getSymbolAtLocation(base.expression);
    const resolved: ts.Symbol | undefined =
      symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias ? allChecker.getAliasedSymbol(symbol) : symbol;
    current = resolved?.declarations?.find(ts.isClassDeclaration);
    if (current !== undefined) exposed.add(current);
  }
}

/** Where an `@example` documents what no entry point exposes: a declaration, or a member of one or `@internal`. */
function examplesOnInternals(): string[] {
  const found: string[] = [];
  const src = fileURLToPath(new URL("../../src/", import.meta.url));
  for (const source of allProgram.getSourceFiles()) {
    if (!source.fileName.startsWith(src) || /\/generated[^/]*\.ts$/.test(source.fileName)) continue;
    const visit = (node: ts.Node, parentExposed: boolean): void => {
      const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
      const tags = docs.flatMap((doc) => [...(doc.tags ?? [])]);
      const internal = tags.some((tag) => tag.tagName.text === "internal");
      const member = ts.isClassElement(node) || ts.isTypeElement(node);
      const isExposed = (member ? parentExposed : exposed.has(node)) && !internal;
      const moduleDoc = tags.some((tag) => tag.tagName.text === "module");
      if (!isExposed && !moduleDoc && tags.some((tag) => tag.tagName.text === "example")) {
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        found.push(`${source.fileName.slice(src.length)}:${line}`);
      }
      if (ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isTypeLiteralNode(node)) {
        node.forEachChild((child) => visit(child, isExposed));
      }
    };
    for (const statement of source.statements) visit(statement, false);
  }
  return found;
}

describe("an @example is only on what an entry point exposes", { timeout: 60_000 }, () => {
  it("the entry points expose declarations (the check below is not vacuous)", () => {
    assert.ok(exposed.size > 200, `only ${exposed.size} exposed declarations found`);
  });

  it("no internal declaration, internal member or member of an internal class carries an @example", () => {
    const found = examplesOnInternals();
    assert.deepEqual(found, [], `@example on internals (remove it, or export the thing on purpose):\n  ${found.join("\n  ")}`);
  });
});
