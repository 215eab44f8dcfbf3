import { InvalidInputError } from "./invalid-input-error.js";

/** The longest delay a Node timer takes (2^31 − 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Checks a timeout option: a whole number of milliseconds from 1 to {@link MAX_TIMER_MS}, or `Infinity` where
 * `allowInfinity` says so (Node fires a longer timer at once, and a fractional or negative one throws).
 *
 * @throws {InvalidInputError} naming the option.
 */
export function checkTimeout(value: unknown, name: string, allowInfinity = false): number {
  if (
    typeof value === "number" &&
    ((Number.isInteger(value) && value >= 1 && value <= MAX_TIMER_MS) || (allowInfinity && value === Infinity))
  ) {
    return value;
  }
  throw new InvalidInputError(
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checked at run time too: callers may be plain JavaScript or pass what the types forbid
    `\`${name}\` must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}${allowInfinity ? " (or Infinity)" : ""}, got ${JSON.stringify(value) ?? String(value)}.`,
  );
}
