import { refName, type JsonSchema, type SchemaObject } from "./bundle.js";

/** A JSON value as produced by `JSON.parse`. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A deterministic pseudo-random source (mulberry32), so a failing sample can be reproduced from its seed.
 *
 * @example
 * ```ts
 * const random = seededRandom(42);
 * random(); // 0.6011037519201636, every time
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = ["", "x", "hello world", "ünïcødé ✓ 😀", "line\nbreak", "/abs/path", "0", "null", "true"];
const INTEGERS = [0, 1, 7, 42, 65535, 1_000_000, 2 ** 31, -1, -42, Number.MAX_SAFE_INTEGER];
const NUMBERS = [0, 0.5, -2.25, 3, 1e10, 123.456];
const ANY: readonly Json[] = ["text", 3, -1.5, true, null, { nested: [1, "two"] }, [], {}];

/**
 * Generates random values that are valid against a JSON Schema of the bundle, written independently of the
 * generator's TypeBox mapping: it reads the raw schema (`$ref`, `oneOf`, `anyOf`, `allOf`, `enum`, `type`,
 * `properties`, `required`, `additionalProperties`, `items`, `minimum`, `minLength`).
 *
 * @example
 * ```ts
 * const samples = new SampleGenerator(flattenBundle(bundle).definitions, seededRandom(1));
 * const value = samples.valid({ $ref: "#/definitions/v2/ThreadStartParams" });
 * ```
 */
export class SampleGenerator {
  /**
   * @param definitions - the flattened definitions `$ref`s point into.
   * @param random - the source of randomness, e.g. {@link seededRandom}.
   * @param extraProperties - whether open objects sometimes get a property the schema does not name (valid
   *   JSON, but an excess property for a TypeScript object literal).
   */
  constructor(
    private readonly definitions: ReadonlyMap<string, JsonSchema>,
    private readonly random: () => number,
    private readonly extraProperties = true,
  ) {}

  /** A value valid against `schema` (unless the schema is unsatisfiable). */
  valid(schema: JsonSchema, depth = 0): Json {
    if (schema === true) return this.pick(ANY);
    if (schema === false) throw new Error("no value satisfies false");
    if (schema.$ref !== undefined) return this.valid(this.resolve(schema.$ref), depth);
    const arms = schema.oneOf ?? schema.anyOf;
    if (arms !== undefined)
      return this.merge(this.base(schema, ["oneOf", "anyOf"], depth), this.valid(this.pick(arms), depth + 1));
    if (schema.allOf !== undefined) {
      return schema.allOf.reduce<Json>(
        (value, part) => this.merge(value, this.valid(part, depth + 1)),
        this.base(schema, ["allOf"], depth),
      );
    }
    if (schema.enum !== undefined) return this.pick(schema.enum) as Json;
    const types = schema.type === undefined ? (schema.properties ? ["object"] : []) : [schema.type].flat();
    if (types.length === 0) return this.pick(ANY);
    const type = depth > 6 && types.includes("null") ? "null" : this.pick(types);
    switch (type) {
      case "null":
        return null;
      case "boolean":
        return this.random() < 0.5;
      case "string": {
        const min = typeof schema["minLength"] === "number" ? schema["minLength"] : 0;
        const value = this.pick(STRINGS);
        return value.length >= min ? value : value.padEnd(min, "s");
      }
      case "integer":
      case "number": {
        const min = typeof schema["minimum"] === "number" ? schema["minimum"] : -Infinity;
        const pool = (type === "integer" ? INTEGERS : NUMBERS).filter((n) => n >= min);
        return pool.length > 0 ? this.pick(pool) : min;
      }
      case "array": {
        const length = depth > 6 ? 0 : Math.floor(this.random() * 3);
        return Array.from({ length }, () => this.valid(schema.items ?? true, depth + 1));
      }
      case "object":
        return this.object(schema, depth);
      default:
        throw new Error(`unsupported type ${type}`);
    }
  }

  /**
   * A random change to a valid value that is likely (not certain) to make it invalid: a wrong type, a
   * missing property, an unexpected property, an unknown enum string, a fraction or a negative number.
   */
  mutate(value: Json): Json {
    const paths = collectPaths(value, []);
    const path = this.pick(paths);
    const target = getAt(value, path);
    const candidates: Json[] = [null, "unexpected-string", 12345, 1.5, -1, true, [], {}, [1, "a"]];
    if (isObject(target)) {
      const keys = Object.keys(target);
      const removed = keys.length > 0 ? this.pick(keys) : undefined;
      const mutations: (() => Json)[] = [
        () => ({ ...target, unexpectedKey: this.pick(ANY) }),
        () => Object.fromEntries(Object.entries(target).filter(([key]) => key !== removed)),
        () => this.pick(candidates),
      ];
      return setAt(value, path, this.pick(mutations)());
    }
    return setAt(value, path, this.pick(candidates.filter((c) => !sameJson(c, target))));
  }

  private object(schema: SchemaObject, depth: number): Json {
    const result: { [key: string]: Json } = {};
    const required = new Set(schema.required ?? []);
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (required.has(name) || this.random() < (depth > 4 ? 0.15 : 0.6))
        result[name] = this.valid(property, depth + 1);
    }
    const extra = schema.additionalProperties;
    if (typeof extra === "object") {
      const count = Math.floor(this.random() * 3);
      for (let i = 0; i < count; i++) result[`key${i}`] = this.valid(extra, depth + 1);
    } else if (extra !== false && this.extraProperties && this.random() < 0.2) {
      result["extraKey"] = this.pick(ANY);
    }
    return result;
  }

  private base(schema: SchemaObject, without: readonly string[], depth: number): Json {
    const rest = Object.fromEntries(Object.entries(schema).filter(([key]) => !without.includes(key)));
    const structural = ["type", "properties", "required", "additionalProperties", "enum", "items", "$ref"];
    return Object.keys(rest).some((key) => structural.includes(key)) ? this.valid(rest, depth) : {};
  }

  private merge(base: Json, addition: Json): Json {
    if (isObject(base) && isObject(addition)) return { ...base, ...addition };
    if (isObject(base) && Object.keys(base).length === 0) return addition;
    return addition;
  }

  private resolve(ref: string): JsonSchema {
    const schema = this.definitions.get(refName(ref));
    if (schema === undefined) throw new Error(`unknown $ref ${ref}`);
    return schema;
  }

  private pick<T>(values: readonly T[]): T {
    const value = values[Math.floor(this.random() * values.length)];
    if (value === undefined) throw new Error("pick from an empty list");
    return value;
  }
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sameJson(a: Json, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function collectPaths(value: Json, path: readonly (string | number)[]): (string | number)[][] {
  const paths: (string | number)[][] = [[...path]];
  if (Array.isArray(value)) value.forEach((item, i) => paths.push(...collectPaths(item, [...path, i])));
  else if (isObject(value))
    for (const [key, item] of Object.entries(value)) paths.push(...collectPaths(item, [...path, key]));
  return paths;
}

function getAt(value: Json, path: readonly (string | number)[]): Json | undefined {
  let current: Json | undefined = value;
  for (const key of path) current = (current as Record<string | number, Json> | undefined)?.[key];
  return current;
}

function setAt(value: Json, path: readonly (string | number)[], replacement: Json): Json {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy: Json = Array.isArray(value) ? [...value] : { ...(value as { [key: string]: Json }) };
  (copy as Record<string | number, Json>)[head] = setAt(
    (value as Record<string | number, Json>)[head] as Json,
    rest,
    replacement,
  );
  return copy;
}
