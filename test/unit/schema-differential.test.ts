import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { Ajv, type ValidateFunction } from "ajv";
import { flattenBundle, type JsonSchema } from "../../scripts/protocol/bundle.js";
import { SampleGenerator, seededRandom, type Json } from "../../scripts/protocol/samples.js";
import {
  checkClientRequestParams,
  checkClientRequestResult,
  checkDefinition,
  checkServerNotification,
  checkServerRequest,
  checkServerRequestResult,
  clientRequests,
  definitions as generatedDefinitions,
  serverRequests,
  type CheckResult,
} from "../../src/schema/index.js";
import {
  fitsServerNotification,
  fitsServerRequest,
  fitsServerRequestResult,
} from "../../src/schema/precompiled-checks.js";

const BUNDLE_PATH = new URL("../../schema/codex_app_server_protocol.schemas.json", import.meta.url);
const SEED = Number(process.env["SCHEMA_SAMPLE_SEED"] ?? 20240611);
const VALID_PER_TARGET = 40;
const MUTATED_PER_TARGET = 100;
const PER_DEFINITION = 24;

interface Target {
  readonly label: string;
  /** JSON pointer into the bundle, for Ajv. */
  readonly pointer: string;
  readonly schema: JsonSchema;
  readonly ours: (value: unknown) => CheckResult;
  /** The check compiled ahead of time (generated-checks.ts) for the same schema, where the client has one. */
  readonly precompiled?: (value: unknown) => boolean | undefined;
  readonly samples: { readonly valid: number; readonly mutated: number };
}

const bundle = JSON.parse(readFileSync(BUNDLE_PATH, "utf8")) as {
  definitions: Record<string, unknown> & { v2: Record<string, unknown> };
};
const { definitions } = flattenBundle(bundle);

function definitionPointer(name: string): string {
  return Object.hasOwn(bundle.definitions, name) && name !== "v2"
    ? `#/definitions/${name}`
    : `#/definitions/v2/${name}`;
}

function methodTargets(): Target[] {
  const targets: Target[] = [];
  const unions = [
    {
      union: "ClientRequest",
      params: checkClientRequestParams,
      result: checkClientRequestResult,
      fastParams: undefined,
      fastResult: undefined,
    },
    {
      union: "ServerRequest",
      params: checkServerRequest,
      result: checkServerRequestResult,
      fastParams: fitsServerRequest,
      fastResult: fitsServerRequestResult,
    },
    {
      union: "ServerNotification",
      params: checkServerNotification,
      result: undefined,
      fastParams: fitsServerNotification,
      fastResult: undefined,
    },
  ] as const;
  const samples = { valid: VALID_PER_TARGET, mutated: MUTATED_PER_TARGET };
  for (const { union, params, result, fastParams, fastResult } of unions) {
    const arms = (
      definitions.get(union) as {
        oneOf: { properties: Record<string, { enum?: string[]; $ref?: string; anyOf?: { $ref?: string }[] }> }[];
      }
    ).oneOf;
    arms.forEach((arm, index) => {
      const method = arm.properties["method"]?.enum?.[0];
      const paramsSchema = arm.properties["params"];
      assert.ok(method !== undefined && paramsSchema !== undefined, `${union} arm ${index}`);
      const pointer = `${definitionPointer(union)}/oneOf/${index}/properties/params`;
      targets.push({
        label: `${union} ${method} params`,
        pointer,
        schema: paramsSchema,
        ours: (v) => params(method, v),
        ...(fastParams === undefined ? {} : { precompiled: (v: unknown) => fastParams(method, v) }),
        samples,
      });
      if (result !== undefined) {
        const name = resultName(union, method);
        const schema = definitions.get(name);
        assert.ok(schema !== undefined, `result ${name} of ${method}`);
        targets.push({
          label: `${union} ${method} result (${name})`,
          pointer: definitionPointer(name),
          schema,
          ours: (v) => result(method, v),
          ...(fastResult === undefined ? {} : { precompiled: (v: unknown) => fastResult(method, v) }),
          samples,
        });
      }
    });
  }
  return targets;
}

const definitionNames = new Map<unknown, string>(
  Object.entries(generatedDefinitions).map(([name, schema]) => [schema, name]),
);

function resultName(union: string, method: string): string {
  const table: Readonly<Record<string, { result: unknown }>> =
    union === "ClientRequest" ? clientRequests : serverRequests;
  const name = Object.hasOwn(table, method) ? definitionNames.get(table[method]?.result) : undefined;
  assert.ok(name !== undefined, `the result of ${method} is not a named definition`);
  return name;
}

function definitionTargets(): Target[] {
  return [...definitions.entries()].map(([name, schema]) => ({
    label: `definition ${name}`,
    pointer: definitionPointer(name),
    schema,
    ours: (v: unknown) => checkDefinition(name, v),
    samples: { valid: PER_DEFINITION / 3, mutated: (PER_DEFINITION * 2) / 3 },
  }));
}

function ajvError(validate: ValidateFunction): string {
  const error = validate.errors?.[0];
  return error === undefined ? "?" : `${error.instancePath || "(root)"}: ${error.message ?? error.keyword}`;
}

test("the compiled validators agree with Ajv on generated valid and invalid samples of every method and definition", (t) => {
  const ajv = new Ajv({ strict: false, allErrors: false, logger: false, validateFormats: false });
  ajv.addSchema(bundle, "bundle");
  const generator = new SampleGenerator(definitions, seededRandom(SEED));
  const disagreements: string[] = [];
  let samples = 0;
  let invalid = 0;
  let precompiledSamples = 0;
  const targets = [...methodTargets(), ...definitionTargets()];
  for (const target of targets) {
    const reference = ajv.getSchema(`bundle${target.pointer}`) as ValidateFunction | undefined;
    assert.ok(reference !== undefined, `Ajv cannot resolve ${target.pointer}`);
    const valid: Json[] = [];
    for (let i = 0; i < target.samples.valid; i++) valid.push(generator.valid(target.schema));
    const candidates = [...valid];
    for (let i = 0; i < target.samples.mutated; i++) {
      const base = valid[i % valid.length];
      if (base !== undefined) candidates.push(generator.mutate(base));
    }
    for (const value of candidates) {
      samples++;
      const expected = reference(value);
      const actual = target.ours(value);
      if (!expected) invalid++;
      if (expected !== actual.ok) {
        disagreements.push(
          `${target.label}: Ajv says ${expected ? "valid" : `invalid (${ajvError(reference)})`}, ours says ${actual.ok ? "valid" : `invalid (${actual.errors.join("; ")})`}: ${JSON.stringify(value).slice(0, 300)}`,
        );
      }
      if (!actual.ok)
        assert.ok(actual.known && actual.errors.length > 0, `${target.label}: a failed check explains itself`);
      if (target.precompiled !== undefined) {
        precompiledSamples++;
        const fast = target.precompiled(value);
        if (fast !== expected) {
          disagreements.push(
            `${target.label} (compiled ahead of time): Ajv says ${expected ? "valid" : `invalid (${ajvError(reference)})`}, it says ${String(fast)}: ${JSON.stringify(value).slice(0, 300)}`,
          );
        }
      }
    }
  }
  t.diagnostic(
    `${samples} samples (${samples - invalid} valid, ${invalid} invalid per Ajv) over ${targets.length} schemas, seed ${SEED}; ${precompiledSamples} also through the checks compiled ahead of time`,
  );
  assert.ok(precompiledSamples > 0, "the checks compiled ahead of time are compared too");
  console.log(
    `schema differential: ${samples} samples (${samples - invalid} valid, ${invalid} invalid) over ${targets.length} schemas, seed ${SEED}`,
  );
  assert.ok(invalid > samples / 4, "the mutations make a good share of the samples invalid");
  assert.ok(samples - invalid > samples / 4, "a good share of the samples is valid");
  assert.deepEqual(disagreements.slice(0, 10), [], `${disagreements.length} disagreements with Ajv`);
});
