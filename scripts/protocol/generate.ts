import { flattenBundle, type FlatBundle } from "./bundle.js";
import { emitDefinitions, type SharedDefinitions } from "./emit-definitions.js";
import { emitMethods } from "./emit-methods.js";
import { EXPERIMENTAL_RESULT_OVERRIDES, RESULT_OVERRIDES } from "./result-overrides.js";
import { sharedDefinitions } from "./shared.js";

/** The files written into `src/schema/` (or `src/schema/experimental/`), by file name. */
export type GeneratedFiles = Readonly<Record<"generated.ts" | "generated-methods.ts", string>>;

/**
 * Generates the TypeScript sources from the text of the schema bundle and the CLI version it came from. Pure:
 * the same input gives byte-identical output.
 *
 * @example
 * ```ts
 * const files = generateFiles(readFileSync("schema/codex_app_server_protocol.schemas.json", "utf8"), "codex-cli 0.171.0");
 * writeFileSync("src/schema/generated.ts", files["generated.ts"]);
 * ```
 */
export function generateFiles(bundleText: string, version: string): GeneratedFiles {
  const bundle = flattenBundle(JSON.parse(bundleText));
  const source = "schema/codex_app_server_protocol.schemas.json";
  return {
    "generated.ts": emitDefinitions(bundle, version, { source }),
    "generated-methods.ts": emitMethods(bundle, version, { source, resultOverrides: RESULT_OVERRIDES }),
  };
}

/**
 * Generates `src/schema/experimental/`: the experimental bundle's definitions, of which those identical to the
 * stable bundle's (with everything they refer to) are imported from `../generated.js` rather than emitted again,
 * and its method tables. Pure, like {@link generateFiles}.
 *
 * @example
 * ```ts
 * const files = generateExperimentalFiles(experimentalText, stableText, "codex-cli 0.171.0");
 * writeFileSync("src/schema/experimental/generated.ts", files["generated.ts"]);
 * ```
 */
export function generateExperimentalFiles(bundleText: string, stableText: string, version: string): GeneratedFiles {
  return generateDerivedFiles(
    bundleText,
    stableText,
    version,
    "schema/experimental/codex_app_server_protocol.schemas.json",
    {
      ...RESULT_OVERRIDES,
      ...EXPERIMENTAL_RESULT_OVERRIDES,
    },
  );
}

/**
 * Generates `src/schema/oldest/`: the oldest supported codex's protocol, for the client to accept a message in
 * the shape an older server sends. As in {@link generateExperimentalFiles}, what it shares with the stable
 * bundle is imported from `../generated.js`; only what differs is emitted.
 *
 * @example
 * ```ts
 * const files = generateOldestFiles(oldestText, stableText, "codex-cli 0.169.0");
 * writeFileSync("src/schema/oldest/generated.ts", files["generated.ts"]);
 * ```
 */
export function generateOldestFiles(bundleText: string, stableText: string, version: string): GeneratedFiles {
  return generateDerivedFiles(
    bundleText,
    stableText,
    version,
    "schema/oldest/codex_app_server_protocol.schemas.json",
    RESULT_OVERRIDES,
  );
}

function generateDerivedFiles(
  bundleText: string,
  stableText: string,
  version: string,
  source: string,
  overrides: Readonly<Record<string, string>>,
): GeneratedFiles {
  const bundle: FlatBundle = flattenBundle(JSON.parse(bundleText));
  const shared: SharedDefinitions = {
    module: "../generated.js",
    names: sharedDefinitions(bundle, flattenBundle(JSON.parse(stableText))),
  };
  const methods = new Set(clientRequestMethods(bundle));
  const resultOverrides = Object.fromEntries(Object.entries(overrides).filter(([method]) => methods.has(method)));
  return {
    "generated.ts": emitDefinitions(bundle, version, { source, shared }),
    "generated-methods.ts": emitMethods(bundle, version, { source, resultOverrides }),
  };
}

function clientRequestMethods(bundle: FlatBundle): string[] {
  const union = bundle.definitions.get("ClientRequest");
  if (typeof union !== "object") return [];
  return (union.oneOf ?? []).flatMap((arm) => {
    const method = typeof arm === "object" ? arm.properties?.["method"] : undefined;
    const value = typeof method === "object" ? method.enum?.[0] : undefined;
    return typeof value === "string" ? [value] : [];
  });
}
