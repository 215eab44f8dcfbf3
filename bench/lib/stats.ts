/**
 * The median of some numbers (the mean of the middle two for an even count); `NaN` for none.
 *
 * @example
 * ```ts
 * median([3, 1, 2, 10]); // 2.5
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The value below which a share `q` (0–1) of the values lie, by the nearest-rank method; `NaN` for none.
 *
 * @example
 * ```ts
 * quantile([5, 1, 4, 2, 3], 0.95); // 5
 * ```
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** A measured quantity over repeated runs: its median, smallest and largest value, and the runs. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number[];
}

/**
 * Summarises repeated measurements of one quantity.
 *
 * @example
 * ```ts
 * summarize([9.1, 8.7, 8.9]); // { median: 8.9, min: 8.7, max: 9.1, runs: [9.1, 8.7, 8.9] }
 * ```
 */
export function summarize(values: readonly number[]): Summary {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: [...values] };
}

/**
 * Summarises each numeric field of repeated result objects.
 *
 * @example
 * ```ts
 * summarizeFields([{ ms: 2 }, { ms: 4 }, { ms: 3 }]).ms.median; // 3
 * ```
 */
export function summarizeFields<K extends string>(results: readonly Record<K, number>[]): Record<K, Summary> {
  const keys = Object.keys(results[0] ?? {}) as K[];
  return Object.fromEntries(keys.map((key) => [key, summarize(results.map((result) => result[key]))])) as Record<
    K,
    Summary
  >;
}

/**
 * A number with a sensible count of digits for a report: 3 significant digits, no exponent.
 *
 * @example
 * ```ts
 * round(123_456.7); // 123457
 * round(0.012345); // 0.0123
 * ```
 */
export function round(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 6)));
}

/**
 * Formats a number for a table: thousands separated, 3 significant digits.
 *
 * @example
 * ```ts
 * format(118_432.9); // "118,433"
 * format(8.5512, "µs"); // "8.55 µs"
 * ```
 */
export function format(value: number, unit = ""): string {
  if (!Number.isFinite(value)) return "n/a";
  const text = round(value).toLocaleString("en-US", { maximumFractionDigits: 6 });
  return unit === "" ? text : `${text} ${unit}`;
}

/**
 * Formats a change with its sign.
 *
 * @example
 * ```ts
 * signed(1.234); // "+1.23"
 * signed(-0.3); // "-0.3"
 * ```
 */
export function signed(value: number, unit = ""): string {
  return `${value >= 0 ? "+" : ""}${format(value, unit)}`;
}
