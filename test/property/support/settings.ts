import type { Parameters } from "fast-check";

/**
 * How big a property run is: `PROPERTY_SIZE=full` (what `npm run test:property:full` sets) runs the full
 * counts; otherwise the small CI counts. The seed is fixed (`PROPERTY_SEED`, default 20261204) so that a CI
 * failure replays exactly; fast-check prints the seed and the path of a failing case.
 */
export const FULL = process.env.PROPERTY_SIZE === "full";
export const SEED = Number(process.env.PROPERTY_SEED ?? 20_261_204);

/** fast-check parameters for a property: `ci` runs in CI, `full` runs in the full suite. */
export function runs(ci: number, full: number): Parameters<unknown> {
  return { numRuns: FULL ? full : ci, seed: SEED, endOnFailure: true };
}

/** Counts cases per property, for the figures the full run prints (and docs/reliability.md quotes). */
export class CaseCounter {
  readonly #counts = new Map<string, number>();

  add(name: string, count = 1): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + count);
  }

  get total(): number {
    let sum = 0;
    for (const count of this.#counts.values()) sum += count;
    return sum;
  }

  report(title: string): string {
    const lines = [...this.#counts].map(([name, count]) => `  ${name}: ${count.toLocaleString("en-US")}`);
    return `${title} (seed ${SEED}, ${FULL ? "full" : "CI"} size): ${this.total.toLocaleString("en-US")} cases\n${lines.join("\n")}`;
  }
}
