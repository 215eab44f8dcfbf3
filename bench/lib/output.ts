import { writeFileSync } from "node:fs";

/** Whether to run a short version (fewer notifications and repeats): `BENCH_QUICK=1`, for trying the scripts. */
export const QUICK = process.env.BENCH_QUICK === "1";

/** How many times each measurement is repeated; reports give the median. */
export const REPEATS = QUICK ? 2 : 5;

/**
 * Prints one human-readable result line.
 *
 * @example
 * ```ts
 * line("hot path  118,432 notifications/s");
 * ```
 */
export function line(text: string): void {
  process.stdout.write(`${text}\n`);
}

/**
 * Hands a benchmark's result to `bench/run.ts`: written as JSON to the file named by `BENCH_OUT` (set by the
 * runner), or printed when the script runs on its own.
 *
 * @example
 * ```ts
 * writeResult({ repeats: REPEATS, cases });
 * ```
 */
export function writeResult(result: unknown): void {
  const text = JSON.stringify(result, null, 2);
  const out = process.env.BENCH_OUT;
  if (out === undefined || out === "") line(text);
  else writeFileSync(out, `${text}\n`);
}
