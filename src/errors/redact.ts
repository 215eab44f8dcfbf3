// Secrets out of everything the library writes down or shows: error messages, diagnostics, stderr tails, the
// trace file and `codex.snapshot()`. One place decides what a secret is; every layer imports it from here (the
// bottom layer), so an error message and a trace line never disagree about what must not be seen.

/** What a secret is replaced with. */
export const REDACTED = "[redacted]";

/** Names of environment variables whose values are secrets (`OPENAI_API_KEY`, `GITHUB_TOKEN`, `DB_PASSWORD`…). */
const SECRET_VARIABLE = /(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|AUTH|CREDENTIAL|COOKIE|SESSION)/i;
/** Shorter values are not redacted by value (too likely to match ordinary text). */
const MIN_SECRET_LENGTH = 8;
/** How many secret values are remembered, process-wide (the oldest are forgotten first). */
const MAX_KNOWN_SECRETS = 256;
const KNOWN_SECRETS = new Set<string>();
/** {@link KNOWN_SECRETS}, longest first; rebuilt after a change. */
let knownLongestFirst: string[] | null = null;

/** Secrets inside any text, with what replaces them. */
const SECRET_TEXT: readonly [RegExp, string][] = [
  // Authorization: Bearer <token> / Basic <credentials>
  [/\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{6,}/gi, `$1$2${REDACTED}`],
  // OpenAI-style keys: sk-…, sk-proj-…
  [/\bsk-[A-Za-z0-9_-]{6,}/g, `sk-${REDACTED}`],
  // JSON Web Tokens (a signed bearer token, an id token): header.payload.signature
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // "api_key": "…", access_token=…, "Authorization": "…", password: …
  [
    /((?:["']?)[A-Za-z0-9_-]*(?:api[_-]?key|apikey|token|secret|password|passwd|authorization|cookie)["']?\s*[:=]\s*["']?)(?!\[redacted\]|(?:Bearer|Basic)\s)([^"'\s,;}&]{4,})/gi,
    `$1${REDACTED}`,
  ],
];

/**
 * Keys whose value is a secret wherever they appear in a JSON value (compared lower-case, without `_` and `-`):
 * API keys, tokens of a login answer or a token refresh, passwords, `Authorization` headers, cookies.
 */
const SECRET_KEYS = new Set([
  "apikey",
  "accesstoken",
  "refreshtoken",
  "idtoken",
  "sessiontoken",
  "bearertoken",
  "experimentalbearertoken",
  "token",
  "authtoken",
  "authorization",
  "proxyauthorization",
  "userauthorization",
  "password",
  "passphrase",
  "secret",
  "clientsecret",
  "secretaccesskey",
  "privatekey",
  "cookie",
  "setcookie",
  "jwt",
  "usercode",
]);

/** Keys under which everything is redacted, at any depth (the names inside stay, their values go). */
const ENVIRONMENT_KEYS = new Set(["env", "environment", "envvars", "environmentvariables"]);
/** Deeper than this, a JSON value is replaced whole. */
const MAX_DEPTH = 64;

/**
 * The secret values of one or more environments: those of variables named like a key, token, secret or
 * password, at least 8 characters long, longest first. They are redacted wherever they turn up.
 */
export function secretValuesOf(
  ...environments: (Readonly<Record<string, string | undefined>> | undefined)[]
): string[] {
  const values = new Set<string>();
  for (const environment of environments) {
    for (const [name, value] of Object.entries(environment ?? {})) {
      if (typeof value === "string" && value.length >= MIN_SECRET_LENGTH && SECRET_VARIABLE.test(name))
        values.add(value);
    }
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/**
 * Remembers secret values (those of {@link secretValuesOf} an app-server was started with, a WebSocket
 * capability token, a bearer token's shared secret) so that every later redaction hides them, whichever layer
 * writes the text: an error, a diagnostic, a trace line, a snapshot.
 */
export function rememberSecrets(values: Iterable<string>): void {
  for (const value of values) {
    if (value.length < MIN_SECRET_LENGTH) continue;
    KNOWN_SECRETS.delete(value);
    KNOWN_SECRETS.add(value);
    if (KNOWN_SECRETS.size > MAX_KNOWN_SECRETS) KNOWN_SECRETS.delete(KNOWN_SECRETS.values().next().value!);
    knownLongestFirst = null;
  }
}

/**
 * `text` with secrets replaced by `[redacted]`: the given and the remembered secret values, `Bearer`/`Basic`
 * credentials, `sk-…` keys, JSON Web Tokens, and the values of fields named like a key, token, secret, password
 * or authorization.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let redacted = text;
  // Longest first, so that a secret containing another is removed whole.
  const values = secrets.length === 0 ? known() : [...secrets, ...known()].sort((a, b) => b.length - a.length);
  for (const secret of values) {
    if (secret.length >= MIN_SECRET_LENGTH && redacted.includes(secret))
      redacted = redacted.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of SECRET_TEXT) redacted = redacted.replace(pattern, replacement);
  return redacted;
}

/**
 * A copy of a JSON value with its secrets replaced by `[redacted]`: the values of secret keys (API keys,
 * tokens, passwords, `Authorization`; see {@link isSecretKey}), everything under an `env` key (the variable
 * names stay), and in every string what {@link redactSecrets} takes out. The value given is never changed.
 */
export function redactValue(value: unknown, secrets: readonly string[] = []): unknown {
  return walk(value, secrets, 0);
}

/**
 * The strings a JSON value holds under secret keys (see {@link isSecretKey}): what a client should remember
 * (with {@link rememberSecrets}) before it sends them, so that the key of an `account/login/start` is hidden
 * wherever it comes back — a provider's 401 that quotes it, a stderr line, an error message.
 */
export function secretValuesIn(value: unknown): string[] {
  const found: string[] = [];
  collect(value, found, 0);
  return found;
}

function collect(value: unknown, found: string[], depth: number): void {
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const entry of value) collect(entry, found, depth + 1);
    return;
  }
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === "string") {
      if (entry.length >= MIN_SECRET_LENGTH && isSecretKey(key)) found.push(entry);
    } else collect(entry, found, depth + 1);
  }
}

/**
 * Whether a key's value is a secret (an API key, a token, a password, an `Authorization` header…). Token
 * counts (`inputTokens`, `tokenUsage`) and names of keys (`envKey`) are not.
 */
export function isSecretKey(key: string): boolean {
  const name = normalise(key);
  return (
    SECRET_KEYS.has(name) ||
    name.endsWith("apikey") ||
    name.endsWith("secret") ||
    name.endsWith("password") ||
    /(access|refresh|id|auth|session|bearer)token$/.test(name)
  );
}

function known(): readonly string[] {
  knownLongestFirst ??= [...KNOWN_SECRETS].sort((a, b) => b.length - a.length);
  return knownLongestFirst;
}

function normalise(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, "");
}

function walk(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === "string") return redactSecrets(value, secrets);
  if (value === null || typeof value !== "object") return value;
  if (depth > MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((entry) => walk(entry, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry === null || entry === undefined || entry === "") out[key] = entry;
    else if (isSecretKey(key)) out[key] = REDACTED;
    else if (ENVIRONMENT_KEYS.has(normalise(key))) out[key] = blank(entry);
    else out[key] = walk(entry, secrets, depth + 1);
  }
  return out;
}

/** Every value inside replaced by `[redacted]`; the keys of objects stay, so a reader sees which variables were set. */
function blank(value: unknown): unknown {
  if (value === null || typeof value !== "object") return REDACTED;
  if (Array.isArray(value)) return value.map(() => REDACTED);
  return Object.fromEntries(Object.keys(value).map((key) => [key, REDACTED]));
}
