import { isDeepStrictEqual } from "node:util";

/** A JSON Schema (draft-07) node as found in the app-server bundle. */
export type JsonSchema = boolean | SchemaObject;

/** A non-boolean JSON Schema node. */
export interface SchemaObject {
  readonly [keyword: string]: unknown;
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: JsonSchema;
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
}

/** The bundle with `definitions.v2` flattened into one name → schema map, sorted by name. */
export interface FlatBundle {
  readonly definitions: ReadonlyMap<string, JsonSchema>;
}

const ANNOTATIONS = new Set(["$schema", "title"]);

/**
 * Flattens `definitions` and `definitions.v2` of the `codex_app_server_protocol.schemas.json` bundle into one
 * map. A name defined in both places must describe the same schema (annotations aside).
 *
 * @throws {Error} when the bundle has no definitions or a duplicate name has two different schemas.
 * @example
 * ```ts
 * const { definitions } = flattenBundle(JSON.parse(readFileSync("schema/codex_app_server_protocol.schemas.json", "utf8")));
 * definitions.size; // 770
 * ```
 */
export function flattenBundle(bundle: unknown): FlatBundle {
  const root = asObject(bundle, "bundle");
  const top = asObject(root["definitions"], "bundle.definitions");
  const v2 = asObject(top["v2"] ?? {}, "bundle.definitions.v2");
  const merged = new Map<string, JsonSchema>();
  for (const [scope, defs] of [
    ["", top],
    ["v2", v2],
  ] as const) {
    for (const [name, schema] of Object.entries(defs)) {
      if (scope === "" && name === "v2") continue;
      const previous = merged.get(name);
      if (previous !== undefined && !isDeepStrictEqual(stripAnnotations(previous), stripAnnotations(schema))) {
        throw new Error(`definition ${name} is defined twice with different schemas`);
      }
      if (previous === undefined) merged.set(name, schema as JsonSchema);
    }
  }
  const sorted = new Map([...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { definitions: sorted };
}

/**
 * The definition name a `$ref` points at (`#/definitions/X` or `#/definitions/v2/X`).
 *
 * @example
 * ```ts
 * refName("#/definitions/v2/ThreadItem"); // "ThreadItem"
 * ```
 */
export function refName(ref: string): string {
  const match = /^#\/definitions\/(?:v2\/)?([^/]+)$/.exec(ref);
  if (match?.[1] === undefined) throw new Error(`unsupported $ref ${ref}`);
  return match[1];
}

function stripAnnotations(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null) return schema;
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !ANNOTATIONS.has(key)));
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Record<string, unknown>;
}
