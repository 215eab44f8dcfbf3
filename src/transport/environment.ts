/**
 * `process.env` with `env` merged over it; a variable set to `undefined` is removed.
 */
export function mergeEnv(env: Readonly<Record<string, string | undefined>> | undefined): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(env ?? {})) {
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- removes a variable from a copy of process.env
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
