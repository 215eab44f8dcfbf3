import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import ts from "typescript";

const FILE = fileURLToPath(new URL("../../src/client/client-diagnostic.ts", import.meta.url));

/** Each member of the `ClientDiagnostic` union, as TypeScript sees it: its name and the type of its `kind`. */
function membersOfClientDiagnostic(): Array<{ name: string; kinds: string[] }> {
  const program = ts.createProgram([FILE], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(FILE) ?? assert.fail(`cannot read ${FILE}`);
  const alias = source.statements.find(
    (statement): statement is ts.TypeAliasDeclaration =>
      ts.isTypeAliasDeclaration(statement) && statement.name.text === "ClientDiagnostic",
  );
  assert.ok(alias, "ClientDiagnostic is not declared in src/client/client-diagnostic.ts");
  const union = checker.getTypeAtLocation(alias.name);
  assert.ok(union.isUnion(), "ClientDiagnostic is not a union");
  return union.types.map((member) => {
    const kind = member.getProperty("kind") ?? assert.fail(`${checker.typeToString(member)} has no kind`);
    const kindType = checker.getTypeOfSymbol(kind);
    const literals = kindType.isUnion() ? kindType.types : [kindType];
    return {
      name: member.aliasSymbol?.name ?? member.symbol.name,
      kinds: literals.map((literal) => (literal.isStringLiteral() ? literal.value : checker.typeToString(literal))),
    };
  });
}

test("every ClientDiagnostic kind narrows to exactly one shape: one literal kind per member, no kind twice", () => {
  const members = membersOfClientDiagnostic();
  assert.ok(members.length >= 18, `only ${members.length} members: the union was not resolved`);
  const wide = members.filter(({ kinds }) => kinds.length !== 1 || kinds[0] === "string");
  assert.deepEqual(wide, [], "members whose kind is not one string literal (a switch on kind cannot narrow them)");
  const owners = new Map<string, string[]>();
  for (const { name, kinds } of members) owners.set(kinds[0]!, [...(owners.get(kinds[0]!) ?? []), name]);
  const shared = [...owners].filter(([, names]) => names.length > 1);
  assert.deepEqual(shared, [], "kinds shared by two shapes");
});
