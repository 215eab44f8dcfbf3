/**
 * The oldest codex this library supports: CI runs the end-to-end suite on it (the `codex-oldest` dev
 * dependency) and the client accepts the shapes of its schema (`schema/oldest/`). A test keeps it equal to both.
 */
export const OLDEST_SUPPORTED_CODEX = "0.169.0";

/**
 * Compares two `X.Y.Z` versions (a pre-release or build suffix is ignored): negative when `a` is older, 0 when
 * equal, positive when newer; `undefined` when either is not a version.
 */
export function compareVersions(a: string, b: string): number | undefined {
  const parse = (version: string) => /^v?(\d+)\.(\d+)\.(\d+)/.exec(version)?.slice(1, 4).map(Number);
  const left = parse(a);
  const right = parse(b);
  if (left === undefined || right === undefined) return undefined;
  for (let index = 0; index < 3; index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * The one-time diagnostic for a server older than the supported range, or `undefined` when it is in range (or
 * its version cannot be read: nothing useful to say).
 */
export function belowRangeMessage(serverVersion: string): string | undefined {
  const order = compareVersions(serverVersion, OLDEST_SUPPORTED_CODEX);
  if (order === undefined || order >= 0) return undefined;
  return (
    `the app-server is codex ${serverVersion}, older than ${OLDEST_SUPPORTED_CODEX}, the oldest this client supports: ` +
    "it goes on, and a message that does not fit the protocol is still delivered and reported as a diagnostic " +
    "naming its method, field and this version. Upgrade codex (npm install @openai/codex) to be in range."
  );
}
