/** What a redacted value is replaced with. */
export const REDACTED = "[redacted]";

/**
 * Keys whose value is a secret wherever they appear (compared lower-case, without `_` and `-`): API keys,
 * tokens of a login answer or a token refresh, passwords, `Authorization` headers, cookies.
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

/** `Bearer …` / `Basic …` values, API keys in the shape OpenAI issues them, and JSON Web Tokens, inside any text. */
const SECRET_TEXT = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{4,}/gi,
  /\bsk-[A-Za-z0-9_-]{12,}/g,
  /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
];

function normalise(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, "");
}

/** Whether a key's value is a secret (an API key, a token, a password, an `Authorization` header…). */
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

/** Options of {@link Redactor}. */
export interface RedactorOptions {
  /**
   * Exact values to remove from any text, wherever they appear (the client adds the values of the secret-looking
   * variables of its `env`, such as an API key given to the app-server).
   */
  readonly secrets?: Iterable<string> | undefined;
}

/**
 * Takes the secrets out of a JSON value before it is written down or shown: the values of secret keys (API
 * keys, tokens, passwords, `Authorization`), everything under an `env` key, `Bearer` values, API keys and JWTs
 * inside text, and the exact values it was told about. Returns a copy; the value given is never changed.
 *
 * @example
 * ```ts
 * const redactor = new Redactor({ secrets: [process.env.OPENAI_API_KEY ?? ""] });
 * redactor.value({ method: "account/login/start", params: { type: "apiKey", apiKey: "sk-…" } });
 * // → { method: "account/login/start", params: { type: "apiKey", apiKey: "[redacted]" } }
 * ```
 */
export class Redactor {
  readonly #secrets: string[];

  constructor(options: RedactorOptions = {}) {
    // Longest first, so that a secret containing another is removed whole; short values would hide ordinary text.
    this.#secrets = [...new Set(options.secrets ?? [])]
      .filter((secret) => secret.length >= 8)
      .sort((a, b) => b.length - a.length);
  }

  /** A copy of `value` with its secrets replaced by `"[redacted]"`. */
  value(value: unknown): unknown {
    return this.#walk(value, 0);
  }

  /** `text` with the secrets it contains replaced by `"[redacted]"`. */
  text(text: string): string {
    let out = text;
    for (const secret of this.#secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const pattern of SECRET_TEXT) {
      pattern.lastIndex = 0;
      if (pattern.test(out)) {
        pattern.lastIndex = 0;
        out = out.replace(pattern, (match, scheme: string | undefined) =>
          scheme !== undefined && /^(bearer|basic)$/i.test(scheme) ? `${scheme} ${REDACTED}` : REDACTED,
        );
      }
    }
    return out;
  }

  #walk(value: unknown, depth: number): unknown {
    if (typeof value === "string") return this.text(value);
    if (value === null || typeof value !== "object") return value;
    if (depth > 64) return REDACTED;
    if (Array.isArray(value)) return value.map((entry) => this.#walk(entry, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      if (entry === null || entry === undefined || entry === "") out[key] = entry;
      else if (isSecretKey(key)) out[key] = REDACTED;
      else if (ENVIRONMENT_KEYS.has(normalise(key))) out[key] = blank(entry);
      else out[key] = this.#walk(entry, depth + 1);
    }
    return out;
  }
}

/** Every value inside replaced by `"[redacted]"`; the keys of objects stay, so a reader sees which variables were set. */
function blank(value: unknown): unknown {
  if (value === null || typeof value !== "object") return REDACTED;
  if (Array.isArray(value)) return value.map(() => REDACTED);
  return Object.fromEntries(Object.keys(value).map((key) => [key, REDACTED]));
}

/** Names of environment variables whose values are secrets (`OPENAI_API_KEY`, `GITHUB_TOKEN`, `DB_PASSWORD`…). */
const SECRET_VARIABLE = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|AUTH|CREDENTIAL|COOKIE|SESSION)/i;

/**
 * The values of the secret-looking variables of one or more environments: what a {@link Redactor} should
 * remove wherever it finds them.
 *
 * @example
 * ```ts
 * const redactor = new Redactor({ secrets: secretValuesOf(process.env, config.env) });
 * ```
 */
export function secretValuesOf(
  ...environments: (Readonly<Record<string, string | undefined>> | undefined)[]
): string[] {
  const values: string[] = [];
  for (const environment of environments) {
    for (const [name, value] of Object.entries(environment ?? {})) {
      if (typeof value === "string" && value.length >= 8 && SECRET_VARIABLE.test(name)) values.push(value);
    }
  }
  return values;
}
