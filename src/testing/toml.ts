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
 * Writes a table as TOML: plain keys first, then each sub-table under its own `[dotted.header]`.
 *
 * @example
 * ```ts
 * stringifyToml({ model: "fake-model", features: { plugins: false } });
 * // model = "fake-model"\n\n[features]\nplugins = false\n
 * ```
 */
export function stringifyToml(table: TomlTable): string {
  const lines: string[] = [];
  writeTable(table, [], lines);
  return `${lines.join("\n").trim()}\n`;
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

function writeTable(table: TomlTable, path: string[], lines: string[]): void {
  const entries = Object.entries(table).filter((entry): entry is [string, TomlValue] => entry[1] !== undefined);
  const plain = entries.filter(([, value]) => !isTable(value));
  const tables = entries.filter(([, value]) => isTable(value)) as [string, TomlTable][];
  if (path.length > 0 && (plain.length > 0 || tables.length === 0)) {
    lines.push("", `[${path.map(key).join(".")}]`);
  }
  for (const [name, value] of plain) lines.push(`${key(name)} = ${scalar(value)}`);
  for (const [name, value] of tables) writeTable(value, [...path, name], lines);
}

function scalar(value: TomlValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`TOML numbers must be finite, got ${value}`);
    return String(value);
  }
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map((item: TomlValue) => (isTable(item) ? inlineTable(item) : scalar(item))).join(", ")}]`;
  return inlineTable(value as TomlTable);
}

function inlineTable(table: TomlTable): string {
  const parts = Object.entries(table)
    .filter((entry): entry is [string, TomlValue] => entry[1] !== undefined)
    .map(([name, value]) => `${key(name)} = ${scalar(value)}`);
  return `{ ${parts.join(", ")} }`;
}

function key(name: string): string {
  return /^[A-Za-z0-9_-]+$/.test(name) ? name : JSON.stringify(name);
}

function isTable(value: unknown): value is TomlTable {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
