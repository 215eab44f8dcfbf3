import { isDeepStrictEqual } from "node:util";
import { refName, type FlatBundle, type JsonSchema } from "./bundle.js";

/**
 * The definitions of `bundle` that another bundle (`base`) already has, schema for schema, and whose every
 * `$ref` (transitively) leads only to such definitions too: a module generated from `bundle` can import them
 * from the module generated from `base` instead of emitting them again. Sorted by name.
 *
 * @example
 * ```ts
 * sharedDefinitions(flattenBundle(experimental), flattenBundle(stable)); // ["AbsolutePathBuf", …]
 * ```
 */
export function sharedDefinitions(bundle: FlatBundle, base: FlatBundle): string[] {
  const refs = new Map<string, Set<string>>();
  for (const [name, schema] of bundle.definitions) refs.set(name, collectRefs(schema, new Set()));
  const own = new Set<string>();
  for (const [name, schema] of bundle.definitions) {
    const other = base.definitions.get(name);
    if (other === undefined || !isDeepStrictEqual(withoutAnnotations(schema), withoutAnnotations(other))) own.add(name);
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const [name, deps] of refs) {
      if (!own.has(name) && [...deps].some((dep) => own.has(dep))) {
        own.add(name);
        grew = true;
      }
    }
  }
  return [...bundle.definitions.keys()].filter((name) => !own.has(name)).sort();
}

function collectRefs(schema: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) collectRefs(item, into);
  else if (typeof schema === "object" && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === "$ref" && typeof value === "string") into.add(refName(value));
      else collectRefs(value, into);
    }
  }
  return into;
}

/** `$schema` and `title` only: descriptions become TSDoc, so a changed description is a changed definition. */
function withoutAnnotations(schema: JsonSchema): unknown {
  if (typeof schema !== "object") return schema;
  const { $schema: _schema, title: _title, ...rest } = schema;
  return rest;
}
