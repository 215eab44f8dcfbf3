import { createHmac } from "node:crypto";
import { InvalidInputError } from "../errors/invalid-input-error.js";

/**
 * How to sign an HS256 bearer token for an app-server started with `--ws-auth signed-bearer-token
 * --ws-shared-secret-file FILE [--ws-issuer ISS] [--ws-audience AUD]`. The server checks the signature with the
 * secret (trimmed, at least 32 bytes), then `exp` (required), `nbf`, `iss` and `aud` when it was given them,
 * allowing `--ws-max-clock-skew-seconds` (default 30 s).
 *
 * @example
 * ```ts
 * const bearer: BearerTokenOptions = { secret: await readFile("/run/codex/secret", "utf8"), issuer: "ci", audience: "codex", expiresInS: 300 };
 * ```
 */
export interface BearerTokenOptions {
  /** The shared secret, as in the server's secret file (surrounding whitespace is trimmed, as the server does). */
  secret: string | Uint8Array;
  /** The `iss` claim; must equal the server's `--ws-issuer` when it has one. */
  issuer?: string | undefined;
  /** The `aud` claim; must equal (or contain) the server's `--ws-audience` when it has one. */
  audience?: string | readonly string[] | undefined;
  /** How long the token is valid, in seconds from now (`exp`). Default 300. */
  expiresInS?: number | undefined;
  /** The `sub` claim, for the server's logs. Not checked by the server. */
  subject?: string | undefined;
  /** "Now", in ms since the epoch, for `iat` and `exp`. Default `Date.now()` (for tests). */
  nowMs?: number | undefined;
}

const MIN_SECRET_BYTES = 32;
const DEFAULT_EXPIRES_IN_S = 300;

/**
 * Signs a compact JWS (JWT, HS256) with `node:crypto`'s HMAC-SHA256 and `Buffer`'s base64url: the client only
 * signs, so it needs no JWT library (the server verifies; our tests verify the tokens with `jose` as well).
 * Claims: `iat`, `exp`, and `iss`/`aud`/`sub` when given.
 *
 * @throws {InvalidInputError} for a secret shorter than the server's 32-byte minimum or a non-positive
 *   `expiresInS` (the secret is never quoted).
 * @example
 * ```ts
 * const token = signBearerToken({ secret: "0123456789abcdef0123456789abcdef", issuer: "ci", expiresInS: 60 });
 * // "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3…"
 * ```
 */
export function signBearerToken(options: BearerTokenOptions): string {
  const secret = secretBytes(options.secret);
  const expiresInS = options.expiresInS ?? DEFAULT_EXPIRES_IN_S;
  if (typeof expiresInS !== "number" || !Number.isFinite(expiresInS) || expiresInS <= 0) {
    throw new InvalidInputError(
      `\`bearer.expiresInS\` must be a positive number of seconds, got ${String(expiresInS)}.`,
    );
  }
  const now = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const claims: Record<string, unknown> = { iat: now, exp: now + Math.ceil(expiresInS) };
  if (options.issuer !== undefined) claims.iss = options.issuer;
  if (options.audience !== undefined)
    claims.aud = typeof options.audience === "string" ? options.audience : [...options.audience];
  if (options.subject !== undefined) claims.sub = options.subject;
  const signingInput = `${segment({ alg: "HS256", typ: "JWT" })}.${segment(claims)}`;
  const signature = createHmac("sha256", secret).update(signingInput).digest("base64url");
  return `${signingInput}.${signature}`;
}

function segment(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function secretBytes(secret: string | Uint8Array): Buffer {
  let bytes: Buffer;
  if (typeof secret === "string") bytes = Buffer.from(secret.trim(), "utf8");
  else if (secret instanceof Uint8Array) bytes = Buffer.from(secret);
  else throw new InvalidInputError("`bearer.secret` must be a string or a Uint8Array (the shared secret).");
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new InvalidInputError(
      `\`bearer.secret\` has ${bytes.length} bytes; codex app-server refuses shared secrets under ${MIN_SECRET_BYTES} bytes. Use a longer secret (e.g. \`openssl rand -hex 32\`).`,
    );
  }
  return bytes;
}
