import { stringify } from "smol-toml";

/**
 * A TOML value as the offline config uses them: strings, numbers, booleans, arrays and nested tables.
 *
 * @example
 * ```ts
 * const trusted: TomlValue = { trust_level: "trusted" };
 * stringifyToml({ projects: { "/repo": trusted } }); // '[projects."/repo"]\ntrust_level = "trusted"\n'
 * ```
 */
export type TomlValue = string | number | boolean | readonly TomlValue[] | TomlTable;

/**
 * A TOML table: keys to values; `undefined` values are left out.
 *
 * @example
 * ```ts
 * const config: TomlTable = { model_reasoning_effort: "low", features: { shell_snapshot: true } };
 * await using offline = await createOfflineEnvironment({ config });
 * ```
 */
export interface TomlTable {
  [key: string]: TomlValue | undefined;
}

/**
 * Writes a table as TOML (with `smol-toml`): plain keys first, then each sub-table under its own
 * `[dotted.header]`; `undefined` values are left out.
 *
 * @example
 * ```ts
 * stringifyToml({ model: "fake-model", features: { plugins: false } });
 * // model = "fake-model"\n\n[features]\nplugins = false\n
 * ```
 */
export function stringifyToml(table: TomlTable): string {
  return `${stringify(table).trim()}\n`;
}

/**
 * Merges `extra` into `base` (sub-tables merged key by key, other values replaced); returns a new table.
 *
 * @example
 * ```ts
 * mergeToml({ features: { plugins: false } }, { features: { shell_snapshot: true } });
 * // { features: { plugins: false, shell_snapshot: true } }
 * ```
 */
export function mergeToml(base: TomlTable, extra: TomlTable): TomlTable {
  const out: TomlTable = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] = isTable(value) && isTable(current) ? mergeToml(current, value) : value;
  }
  return out;
}

function isTable(value: unknown): value is TomlTable {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
