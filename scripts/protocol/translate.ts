import { refName, type JsonSchema, type SchemaObject } from "./bundle.js";
import { group, type Doc, type Member } from "./layout.js";
import { tsdoc } from "./tsdoc.js";

/**
 * One schema node in both target languages: `value` is a TypeBox expression, `type` the equivalent
 * TypeScript type; `union`/`intersection` tell the type printer when parentheses are needed.
 */
export interface Translation {
  readonly value: Doc;
  readonly type: Doc;
  readonly precedence: "atom" | "union" | "intersection";
}

const ANNOTATIONS = new Set(["$schema", "title", "description", "default", "format"]);
const STRUCTURAL = new Set([
  "$ref",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "oneOf",
  "anyOf",
  "allOf",
  "minimum",
  "minLength",
]);

/**
 * Translates one JSON Schema node of the bundle into a TypeBox expression and a TypeScript type, following
 * the mapping rules of the design notes: `oneOf`/`anyOf` → `Type.Union`, single `enum` → `Type.Literal`,
 * properties beside a union → `Type.Intersect`, `additionalProperties` without properties → `Type.Record`,
 * integer formats dropped (`minimum` kept), `true` → `Type.Unknown`, annotations other than `description`
 * dropped. Every `$ref` goes through `ref`, which returns the identifier to print (and lets the caller record
 * the dependency).
 *
 * @throws {Error} on a keyword or shape it does not know, so a new schema feature fails generation loudly.
 * @example
 * ```ts
 * const t = translate({ type: ["string", "null"] }, (name) => name);
 * render(t.value); // "Type.Union([Type.String(), Type.Null()])"
 * render(t.type);  // "string | null"
 * ```
 */
export function translate(schema: JsonSchema, ref: (name: string) => string): Translation {
  return new Translator(ref).node(schema);
}

class Translator {
  constructor(private readonly ref: (name: string) => string) {}

  node(schema: JsonSchema): Translation {
    if (schema === true) return atom("Type.Unknown()", "unknown");
    if (schema === false) return atom("Type.Never()", "never");
    for (const key of Object.keys(schema)) {
      if (!ANNOTATIONS.has(key) && !STRUCTURAL.has(key)) throw new Error(`unsupported keyword ${key}`);
    }
    const { oneOf, anyOf, allOf, ...rest } = schema;
    const arms = oneOf ?? anyOf;
    if (oneOf !== undefined && anyOf !== undefined) throw new Error("oneOf beside anyOf is not supported");
    if (arms !== undefined) return this.withBase(rest, union(arms.map((arm) => this.node(arm))));
    if (allOf !== undefined) {
      const parts = allOf.map((part) => this.node(part));
      return this.withBase(rest, parts.length === 1 && parts[0] !== undefined ? parts[0] : intersect(parts));
    }
    if (schema.$ref !== undefined) {
      if (hasStructure(rest, ["$ref"])) throw new Error(`$ref ${schema.$ref} with sibling keywords`);
      const identifier = this.ref(refName(schema.$ref));
      return atom(identifier, identifier);
    }
    if (schema.enum !== undefined) return this.enumeration(schema);
    if (Array.isArray(schema.type)) {
      return union((schema.type as readonly string[]).map((type) => this.node({ ...schema, type })));
    }
    switch (schema.type) {
      case "string":
        return atom(call("Type.String", options(schema, ["minLength"])), "string");
      case "integer":
        return atom(call("Type.Integer", options(schema, ["minimum"])), "number");
      case "number":
        return atom(call("Type.Number", options(schema, ["minimum"])), "number");
      case "boolean":
        return atom("Type.Boolean()", "boolean");
      case "null":
        return atom("Type.Null()", "null");
      case "array":
        return this.array(schema);
      case "object":
        return this.object(schema);
      case undefined:
        if (schema.properties !== undefined) return this.object(schema);
        if (hasStructure(schema, [])) throw new Error(`schema without type: ${JSON.stringify(schema)}`);
        return atom("Type.Unknown()", "unknown");
      default:
        throw new Error(`unsupported type ${String(schema.type)}`);
    }
  }

  private withBase(rest: SchemaObject, combined: Translation): Translation {
    if (!hasStructure(rest, [])) return combined;
    return intersect([this.node(rest), combined]);
  }

  private enumeration(schema: SchemaObject): Translation {
    if (hasStructure(schema, ["enum", "type", "minimum"]))
      throw new Error(`enum with constraints: ${JSON.stringify(schema)}`);
    const values = schema.enum ?? [];
    const minimum = schema["minimum"];
    if (minimum !== undefined && !values.every((value) => typeof value === "number" && value >= Number(minimum))) {
      throw new Error(`enum value below its minimum: ${JSON.stringify(schema)}`);
    }
    const literals = values.map((value) => {
      if (value === null) return atom("Type.Null()", "null");
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
        throw new Error(`unsupported enum value ${JSON.stringify(value)}`);
      }
      const jsonType = Number.isInteger(value) && schema.type === "integer" ? "integer" : typeof value;
      if (schema.type !== undefined && schema.type !== jsonType) {
        throw new Error(`enum value ${JSON.stringify(value)} does not match type ${JSON.stringify(schema.type)}`);
      }
      const literal = JSON.stringify(value);
      return atom(`Type.Literal(${literal})`, literal);
    });
    if (literals.length === 0) throw new Error("empty enum");
    return literals.length === 1 && literals[0] !== undefined ? literals[0] : union(literals);
  }

  private array(schema: SchemaObject): Translation {
    if (Array.isArray(schema.items)) throw new Error("tuple items are not supported");
    const items = this.node(schema.items ?? true);
    const type =
      items.precedence === "atom" && typeof items.type === "string"
        ? `${items.type}[]`
        : group("Array<", ">", ",", [items.type]);
    return { value: call("Type.Array", [items.value]), type, precedence: "atom" };
  }

  private object(schema: SchemaObject): Translation {
    const properties = Object.entries(schema.properties ?? {});
    const required = new Set(schema.required ?? []);
    for (const name of required) {
      if (!properties.some(([key]) => key === name)) throw new Error(`required property ${name} is not defined`);
    }
    const extra = schema.additionalProperties;
    if (properties.length === 0) {
      if (extra === undefined || extra === true) {
        return atom("Type.Object({})", "{ [key: string]: unknown }");
      }
      if (extra === false) {
        return atom("Type.Object({}, { additionalProperties: false })", "{ [key: string]: never }");
      }
      const values = this.node(extra);
      return {
        value: call("Type.Record", ["Type.String()", values.value]),
        type: group("{", "}", ";", [{ head: "[key: string]: ", body: values.type }], true),
        precedence: "atom",
      };
    }
    const valueMembers: Member[] = [];
    const typeMembers: Member[] = [];
    for (const [name, property] of properties) {
      const key = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
      const translated = this.node(property);
      const optional = !required.has(name);
      valueMembers.push({
        head: `${key}: `,
        body: optional ? call("Type.Optional", [translated.value]) : translated.value,
      });
      const doc = typeof property === "object" ? tsdoc(property.description, property["default"]) : undefined;
      typeMembers.push({ comment: doc, head: `${key}${optional ? "?" : ""}: `, body: translated.type });
    }
    const args: Doc[] = [group("{", "}", ",", valueMembers, true)];
    if (extra === false) args.push("{ additionalProperties: false }");
    if (typeof extra === "object")
      args.push(group("{", "}", ",", [{ head: "additionalProperties: ", body: this.node(extra).value }], true));
    if (extra !== undefined && extra !== false) typeMembers.push({ head: "[key: string]: ", body: "unknown" });
    return {
      value: call("Type.Object", args),
      type: group("{", "}", ";", typeMembers, true),
      precedence: "atom",
    };
  }
}

function atom(value: Doc, type: Doc): Translation {
  return { value, type, precedence: "atom" };
}

function union(parts: readonly Translation[]): Translation {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  return {
    value: call("Type.Union", [
      group(
        "[",
        "]",
        ",",
        parts.map((p) => p.value),
      ),
    ]),
    type: group(
      "",
      "",
      "|",
      parts.flatMap((p): readonly (Member | Doc)[] => {
        if (p.precedence === "intersection") return [parenthesized(p.type)];
        if (p.precedence === "union" && typeof p.type !== "string") return p.type.members;
        return [p.type];
      }),
    ),
    precedence: "union",
  };
}

function intersect(parts: readonly Translation[]): Translation {
  return {
    value: call("Type.Intersect", [
      group(
        "[",
        "]",
        ",",
        parts.map((p) => p.value),
      ),
    ]),
    type: group(
      "",
      "",
      "&",
      parts.map((p) => (p.precedence === "atom" ? p.type : parenthesized(p.type))),
    ),
    precedence: "intersection",
  };
}

function parenthesized(type: Doc): Doc {
  if (typeof type === "string") return `(${type})`;
  return group("(", ")", type.separator, type.members);
}

function call(callee: string, args: readonly Doc[]): Doc {
  if (args.length === 0) return `${callee}()`;
  return group(`${callee}(`, ")", ",", args);
}

function options(schema: SchemaObject, keys: readonly string[]): Doc[] {
  const members = keys
    .filter((key) => schema[key] !== undefined)
    .map((key) => ({ head: `${key}: `, body: JSON.stringify(schema[key]) }));
  return members.length === 0 ? [] : [group("{", "}", ",", members, true)];
}

function hasStructure(schema: SchemaObject, ignore: readonly string[]): boolean {
  return Object.keys(schema).some((key) => STRUCTURAL.has(key) && !ignore.includes(key));
}
