import { flattenBundle } from "./bundle.js";
import { emitDefinitions } from "./emit-definitions.js";
import { emitMethods } from "./emit-methods.js";

/** The files written into `src/schema/`, by file name. */
export type GeneratedFiles = Readonly<Record<"generated.ts" | "generated-methods.ts", string>>;

/**
 * Generates the TypeScript sources from the text of the schema bundle and the CLI version it came from. Pure:
 * the same input gives byte-identical output.
 *
 * @example
 * ```ts
 * const files = generateFiles(readFileSync("schema/codex_app_server_protocol.schemas.json", "utf8"), "codex-cli 0.169.0");
 * writeFileSync("src/schema/generated.ts", files["generated.ts"]);
 * ```
 */
export function generateFiles(bundleText: string, version: string): GeneratedFiles {
  const bundle = flattenBundle(JSON.parse(bundleText));
  return {
    "generated.ts": emitDefinitions(bundle, version),
    "generated-methods.ts": emitMethods(bundle, version),
  };
}
