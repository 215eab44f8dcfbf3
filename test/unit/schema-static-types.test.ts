import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import ts from "typescript";
import { flattenBundle, type JsonSchema } from "../../scripts/protocol/bundle.js";
import { SampleGenerator, seededRandom } from "../../scripts/protocol/samples.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SAMPLES_PER_TYPE = 2;

test("the emitted TypeScript types accept valid samples of every definition and every method's params and result", () => {
  const bundle = JSON.parse(readFileSync(join(ROOT, "schema/codex_app_server_protocol.schemas.json"), "utf8")) as {
    definitions: Record<string, unknown>;
  };
  const { definitions } = flattenBundle(bundle);
  const ajv = new Ajv({ strict: false, logger: false, validateFormats: false });
  ajv.addSchema(bundle, "bundle");
  const pointer = (name: string): string =>
    Object.hasOwn(bundle.definitions, name) && name !== "v2"
      ? `bundle#/definitions/${name}`
      : `bundle#/definitions/v2/${name}`;
  const generator = new SampleGenerator(definitions, seededRandom(7), false);
  const lines: string[] = [
    `import type { ClientRequestParams, ServerNotificationParams, ServerRequestParams, Definitions } from ${JSON.stringify(join(ROOT, "src/schema/index.js"))};`,
  ];
  let count = 0;
  const add = (type: string, schema: JsonSchema, ajvRef: string): void => {
    const validate = ajv.getSchema(ajvRef);
    assert.ok(validate !== undefined, ajvRef);
    for (let i = 0; i < SAMPLES_PER_TYPE; i++) {
      const value = generator.valid(schema);
      if (validate(value) !== true) continue;
      lines.push(`export const s${count++}: ${type} = ${JSON.stringify(value)};`);
    }
  };
  for (const [name, schema] of definitions) add(`Definitions[${JSON.stringify(name)}]`, schema, pointer(name));
  const unions = [
    ["ClientRequest", "ClientRequestParams"],
    ["ServerRequest", "ServerRequestParams"],
    ["ServerNotification", "ServerNotificationParams"],
  ] as const;
  for (const [union, params] of unions) {
    const arms = (
      definitions.get(union) as { oneOf: { properties: Record<string, JsonSchema & { enum?: string[] }> }[] }
    ).oneOf;
    arms.forEach((arm, index) => {
      const method = arm.properties["method"]?.enum?.[0];
      const schema = arm.properties["params"];
      if (method === undefined || schema === undefined) return;
      add(`${params}<${JSON.stringify(method)}>`, schema, `${pointer(union)}/oneOf/${index}/properties/params`);
    });
  }
  const dir = mkdtempSync("/var/tmp/codex-schema-types-");
  try {
    const file = join(dir, "samples.mts");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2023,
      types: [],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      const text = ts.flattenDiagnosticMessageText(d.messageText, "\n").split("\n").slice(0, 3).join(" / ");
      return `line ${where}: ${text} — ${(lines[where - 1] ?? "").slice(0, 200)}`;
    });
    console.log(`schema static types: ${count} valid samples type-checked`);
    assert.ok(count > 1500, `only ${count} samples`);
    assert.deepEqual(diagnostics.slice(0, 5), [], `${diagnostics.length} samples rejected by the emitted types`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
