import { isDeepStrictEqual } from "node:util";
import { flattenBundle, refName, type JsonSchema, type SchemaObject } from "./bundle.js";

/** The four method unions of a bundle, in the order the report lists them. */
const UNIONS = [
  ["ClientRequest", "client requests"],
  ["ServerRequest", "server requests"],
  ["ServerNotification", "server notifications"],
  ["ClientNotification", "client notifications"],
] as const;

/** The unions are counted as definitions but their changes are reported method by method. */
const METHOD_UNIONS = new Set<string>(UNIONS.map(([union]) => union));

const ANNOTATIONS = new Set(["$schema", "title", "description", "default"]);

/** What changed in one method union between two bundles. */
export interface MethodChanges {
  readonly union: string;
  readonly label: string;
  readonly before: number;
  readonly after: number;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Methods whose params schema changed (another params type, or an inline schema that differs). */
  readonly changed: readonly string[];
}

/** What changed in the definitions between two bundles. */
export interface DefinitionChanges {
  readonly before: number;
  readonly after: number;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Each changed definition with the lines that say how. */
  readonly changed: ReadonlyMap<string, readonly string[]>;
}

/** The difference between two schema bundles. */
export interface ProtocolDiff {
  readonly methods: readonly MethodChanges[];
  readonly definitions: DefinitionChanges;
}

/**
 * Compares two `codex_app_server_protocol.schemas.json` bundles: the methods each union gained, lost or whose
 * params changed, and the definitions added, removed or changed (annotations such as descriptions ignored),
 * each change described in a few words (properties added or removed, a field's type, union variants).
 *
 * @example
 * ```ts
 * const diff = diffBundles(JSON.parse(oldText), JSON.parse(newText));
 * diff.methods[0]?.added; // ["modelProvider/default/set"]
 * ```
 */
export function diffBundles(before: unknown, after: unknown): ProtocolDiff {
  const old = flattenBundle(before).definitions;
  const now = flattenBundle(after).definitions;
  const methods = UNIONS.map(([union, label]) => {
    const a = methodParams(old.get(union));
    const b = methodParams(now.get(union));
    return {
      union,
      label,
      before: a.size,
      after: b.size,
      added: [...b.keys()].filter((m) => !a.has(m)),
      removed: [...a.keys()].filter((m) => !b.has(m)),
      changed: [...b.keys()].filter((m) => a.has(m) && !sameSchema(a.get(m), b.get(m))),
    };
  });
  const names = (map: ReadonlyMap<string, JsonSchema>) => [...map.keys()];
  const changed = new Map<string, readonly string[]>();
  for (const name of names(now)) {
    if (METHOD_UNIONS.has(name)) continue;
    const a = old.get(name);
    const b = now.get(name);
    if (a === undefined || b === undefined || sameSchema(a, b)) continue;
    changed.set(name, describeChange(a, b));
  }
  return {
    methods,
    definitions: {
      before: names(old).length,
      after: names(now).length,
      added: names(now).filter((name) => !old.has(name)),
      removed: names(old).filter((name) => !now.has(name)),
      changed,
    },
  };
}

/**
 * The report `npm run protocol:diff` prints: a heading, then one block per method union and one for the
 * definitions, `+` added, `-` removed, `~` changed.
 *
 * @example
 * ```ts
 * console.log(formatDiff(diffBundles(oldBundle, newBundle), "codex-cli 0.169.0", "codex-cli 0.171.0"));
 * ```
 */
export function formatDiff(diff: ProtocolDiff, beforeName: string, afterName: string): string {
  const lines = [`Protocol changes from ${beforeName} to ${afterName}`, ""];
  for (const union of diff.methods) {
    lines.push(
      `${union.label} (${union.union}): ${union.before} → ${union.after}` +
        `, ${union.added.length} added, ${union.removed.length} removed, ${union.changed.length} with changed params`,
    );
    for (const method of union.added) lines.push(`  + ${method}`);
    for (const method of union.removed) lines.push(`  - ${method}`);
    for (const method of union.changed) lines.push(`  ~ ${method}`);
  }
  const defs = diff.definitions;
  lines.push(
    "",
    `definitions: ${defs.before} → ${defs.after}, ${defs.added.length} added, ${defs.removed.length} removed, ${defs.changed.size} changed`,
  );
  for (const name of defs.added) lines.push(`  + ${name}`);
  for (const name of defs.removed) lines.push(`  - ${name}`);
  for (const [name, how] of defs.changed) lines.push(`  ~ ${name}: ${how.join("; ")}`);
  return `${lines.join("\n")}\n`;
}

/** Method → params schema of one method union (`undefined` params when the arm has none). */
function methodParams(union: JsonSchema | undefined): Map<string, JsonSchema | undefined> {
  const methods = new Map<string, JsonSchema | undefined>();
  if (typeof union !== "object") return methods;
  for (const arm of union.oneOf ?? []) {
    if (typeof arm !== "object") continue;
    const method = enumOf(arm.properties?.["method"])?.[0];
    if (typeof method === "string") methods.set(method, arm.properties?.["params"]);
  }
  return methods;
}

/** How a definition changed, in a few short phrases. */
function describeChange(before: JsonSchema, after: JsonSchema): string[] {
  const a = shape(before);
  const b = shape(after);
  if (a.kind !== b.kind) return [`${a.summary} → ${b.summary}`];
  if (a.kind === "object" && b.kind === "object") return describeObject(before as SchemaObject, after as SchemaObject);
  if (a.kind === "union" && b.kind === "union") return describeUnion(before as SchemaObject, after as SchemaObject);
  if (a.kind === "enum" && b.kind === "enum") return describeValues(a.values, b.values, "value");
  return [`${a.summary} → ${b.summary}`];
}

function describeObject(before: SchemaObject, after: SchemaObject): string[] {
  const a = before.properties ?? {};
  const b = after.properties ?? {};
  const required = (schema: SchemaObject, key: string) => (schema.required ?? []).includes(key);
  const out: string[] = [];
  const added = Object.keys(b).filter((key) => !(key in a));
  const removed = Object.keys(a).filter((key) => !(key in b));
  if (added.length > 0) {
    out.push(
      `${plural("property", added.length)} added: ${added.map((key) => (required(after, key) ? `${key} (required)` : key)).join(", ")}`,
    );
  }
  if (removed.length > 0) out.push(`${plural("property", removed.length)} removed: ${removed.join(", ")}`);
  for (const key of Object.keys(b)) {
    if (!(key in a)) continue;
    const wasRequired = required(before, key);
    const isRequired = required(after, key);
    if (wasRequired !== isRequired) out.push(`${key} now ${isRequired ? "required" : "optional"}`);
    if (!sameSchema(a[key], b[key])) out.push(`${key}: ${summary(a[key])} → ${summary(b[key])}`);
  }
  if (!isDeepStrictEqual(before.additionalProperties, after.additionalProperties)) {
    out.push(
      `additionalProperties: ${JSON.stringify(before.additionalProperties ?? true)} → ${JSON.stringify(after.additionalProperties ?? true)}`,
    );
  }
  return out.length > 0 ? out : ["constraints changed"];
}

function describeUnion(before: SchemaObject, after: SchemaObject): string[] {
  const a = variants(before);
  const b = variants(after);
  const out: string[] = [];
  const { oneOf: _a, anyOf: _b, ...baseBefore } = before;
  const { oneOf: _c, anyOf: _d, ...baseAfter } = after;
  if (!sameSchema(baseBefore, baseAfter))
    out.push(...describeObject(baseBefore, baseAfter).map((line) => `beside the union, ${line}`));
  out.push(...describeValues([...a.keys()], [...b.keys()], "variant"));
  for (const [label, schema] of b) {
    const previous = a.get(label);
    if (previous === undefined || sameSchema(previous, schema)) continue;
    const inner =
      typeof previous === "object" &&
      typeof schema === "object" &&
      shape(previous).kind === "object" &&
      shape(schema).kind === "object"
        ? describeObject(previous, schema)
        : [`${summary(previous)} → ${summary(schema)}`];
    out.push(`variant ${label}: ${inner.join(", ")}`);
  }
  return out.length > 0 ? out : ["union changed"];
}

function describeValues(before: readonly string[], after: readonly string[], what: string): string[] {
  const added = after.filter((value) => !before.includes(value));
  const removed = before.filter((value) => !after.includes(value));
  const out: string[] = [];
  if (added.length > 0) out.push(`${plural(what, added.length)} added: ${added.join(", ")}`);
  if (removed.length > 0) out.push(`${plural(what, removed.length)} removed: ${removed.join(", ")}`);
  return out;
}

/**
 * The variants of a union by label: a string arm's values, an object arm's discriminator (`type`, `mode`…: a
 * property with one allowed value) or, for an externally tagged arm, its one required property.
 */
function variants(schema: SchemaObject): Map<string, JsonSchema> {
  const out = new Map<string, JsonSchema>();
  const arms = schema.oneOf ?? schema.anyOf ?? [];
  arms.forEach((arm, index) => {
    if (typeof arm !== "object") return void out.set(`#${index}`, arm);
    const values = enumOf(arm);
    if (values !== undefined) {
      for (const value of values) out.set(JSON.stringify(value).replace(/^"|"$/g, ""), { enum: [value] });
      return;
    }
    out.set(variantLabel(arm) ?? `#${index}`, arm);
  });
  return out;
}

function variantLabel(arm: SchemaObject): string | undefined {
  if (arm.$ref !== undefined) return refName(arm.$ref);
  if (arm.type === "null") return "null";
  const properties = arm.properties ?? {};
  for (const [key, property] of Object.entries(properties)) {
    const values = enumOf(property);
    if (values?.length === 1 && typeof values[0] === "string") return `${key}=${values[0]}`;
  }
  const required = arm.required ?? [];
  if (required.length === 1 && required[0] !== undefined) return required[0];
  return undefined;
}

interface Shape {
  readonly kind: "object" | "union" | "enum" | "other";
  readonly summary: string;
  readonly values: readonly string[];
}

function shape(schema: JsonSchema | undefined): Shape {
  if (typeof schema !== "object") return { kind: "other", summary: String(schema), values: [] };
  const arms = schema.oneOf ?? schema.anyOf;
  if (arms !== undefined) {
    const labels = [...variants(schema).keys()];
    const discriminators = new Set(labels.map((label) => label.split("=")[0]));
    const on =
      discriminators.size === 1 && labels.every((label) => label.includes("=")) ? ` on ${[...discriminators][0]}` : "";
    const values = labels.map((label) => label.replace(/^[^=]*=/, ""));
    return {
      kind: "union",
      summary: `${schema.oneOf ? "oneOf" : "anyOf"}${on} (${values.join(", ")})`,
      values: labels,
    };
  }
  const values = enumOf(schema);
  if (values !== undefined) {
    const strings = values.map((value) => JSON.stringify(value));
    return { kind: "enum", summary: `enum (${strings.join(", ")})`, values: strings };
  }
  if (schema.properties !== undefined || schema.type === "object") {
    const keys = Object.keys(schema.properties ?? {});
    return { kind: "object", summary: `object${keys.length > 0 ? ` with ${keys.join(", ")}` : ""}`, values: keys };
  }
  return { kind: "other", summary: summary(schema), values: [] };
}

/** A schema in a few words: `string`, `string | null`, `ThreadItem`, `ThreadItem[]`, `object`. */
function summary(schema: JsonSchema | undefined): string {
  if (schema === undefined) return "absent";
  if (typeof schema !== "object") return schema ? "any" : "nothing";
  if (schema.$ref !== undefined) return refName(schema.$ref);
  const arms = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (arms !== undefined && arms.length <= 3) return arms.map((arm) => summary(arm)).join(" | ");
  if (arms !== undefined) return shape(schema).summary;
  const values = enumOf(schema);
  if (values !== undefined) return values.map((value) => JSON.stringify(value)).join(" | ");
  if (Array.isArray(schema.type)) return (schema.type as readonly string[]).join(" | ");
  if (schema.type === "array") return `${summary(schema.items)}[]`;
  return typeof schema.type === "string" ? schema.type : "object";
}

function enumOf(schema: JsonSchema | undefined): readonly unknown[] | undefined {
  return typeof schema === "object" && Array.isArray(schema.enum) ? schema.enum : undefined;
}

function sameSchema(a: JsonSchema | undefined, b: JsonSchema | undefined): boolean {
  return isDeepStrictEqual(strip(a), strip(b));
}

function strip(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strip);
  if (typeof schema !== "object" || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => !ANNOTATIONS.has(key))
      .map(([key, value]) => [key, key === "properties" ? stripProperties(value) : strip(value)]),
  );
}

/** Inside `properties`, keys are property names, not keywords: keep a property called `title`. */
function stripProperties(properties: unknown): unknown {
  if (typeof properties !== "object" || properties === null) return properties;
  return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, strip(value)]));
}

function plural(word: string, count: number): string {
  if (count === 1) return word;
  return word.endsWith("y") ? `${word.slice(0, -1)}ies` : `${word}s`;
}
