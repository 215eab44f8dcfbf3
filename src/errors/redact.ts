/** What a secret is replaced with in error messages and diagnostics. */
export const REDACTED = "[redacted]";

/** Names of environment variables whose values are secrets (`OPENAI_API_KEY`, `GITHUB_TOKEN`, `DB_PASSWORD`…). */
const SECRET_NAME = /(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|AUTH|CREDENTIAL|COOKIE|SESSION)/i;
/** Shorter values are not redacted by value (too likely to match ordinary text). */
const MIN_SECRET_LENGTH = 8;
/** How many secret values are remembered, process-wide (the oldest are forgotten first). */
const MAX_KNOWN_SECRETS = 256;
const KNOWN_SECRETS = new Set<string>();

const PATTERNS: readonly [RegExp, string][] = [
  // Authorization: Bearer <token> / Basic <credentials>
  [/\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{6,}/gi, `$1$2${REDACTED}`],
  // OpenAI-style keys: sk-…, sk-proj-…
  [/\bsk-[A-Za-z0-9_-]{6,}/g, `sk-${REDACTED}`],
  // "api_key": "…", access_token=…, "Authorization": "…", password: …
  [
    /((?:["']?)[A-Za-z0-9_-]*(?:api[_-]?key|apikey|token|secret|password|passwd|authorization|cookie)["']?\s*[:=]\s*["']?)(?!\[redacted\])([^"'\s,;}&]{4,})/gi,
    `$1${REDACTED}`,
  ],
];

/**
 * The secret values of an environment: those of variables named like a key, token, secret or password,
 * at least 8 characters long. They are redacted wherever they turn up.
 *
 * @example
 * ```ts
 * secretValuesOf({ OPENAI_API_KEY: "sk-abc123456789", HOME: "/home/me" }); // ["sk-abc123456789"]
 * ```
 */
export function secretValuesOf(env: Readonly<Record<string, string | undefined>>): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH && SECRET_NAME.test(name)) values.push(value);
  }
  return values.sort((a, b) => b.length - a.length);
}

/**
 * Remembers secret values (those of {@link secretValuesOf} an app-server was started with) so that every
 * later {@link redactSecrets} hides them, whichever layer builds the message.
 *
 * @example
 * ```ts
 * rememberSecrets(secretValuesOf(env));
 * ```
 */
export function rememberSecrets(values: readonly string[]): void {
  for (const value of values) {
    if (value.length < MIN_SECRET_LENGTH) continue;
    KNOWN_SECRETS.delete(value);
    KNOWN_SECRETS.add(value);
    if (KNOWN_SECRETS.size > MAX_KNOWN_SECRETS) KNOWN_SECRETS.delete(KNOWN_SECRETS.values().next().value!);
  }
}

/**
 * `text` with secrets replaced by `[redacted]`: the given and the remembered secret values, `Bearer`/`Basic` credentials,
 * `sk-…` keys, and the values of fields named like a key, token, secret, password or authorization. For
 * what goes into error messages and diagnostics (a stderr tail, an excerpt of a line).
 *
 * @example
 * ```ts
 * redactSecrets('401: {"error":"bad key"} Authorization: Bearer abc.def.ghi'); // '… Authorization: [redacted]'
 * ```
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let redacted = text;
  const values = [...secrets, ...KNOWN_SECRETS].filter((secret) => secret.length >= MIN_SECRET_LENGTH);
  for (const secret of values.sort((a, b) => b.length - a.length)) redacted = redacted.split(secret).join(REDACTED);
  for (const [pattern, replacement] of PATTERNS) redacted = redacted.replace(pattern, replacement);
  return redacted;
}
