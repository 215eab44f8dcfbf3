/**
 * Rejects with a message naming what was awaited when `promise` has not settled within `ms`: a stuck wait fails
 * its test with a reason instead of running into the test's timeout.
 *
 * @example
 * ```ts
 * const turn = await within(5_000, "the turn to end", handle.run());
 * ```
 */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
