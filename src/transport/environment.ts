/**
 * `process.env` with `env` merged over it; a variable set to `undefined` is removed.
 *
 * @example
 * ```ts
 * spawn(command, args, { env: mergeEnv({ CODEX_HOME: "/var/tmp/home", OPENAI_API_KEY: undefined }) });
 * ```
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
