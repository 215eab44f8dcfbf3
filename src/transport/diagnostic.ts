import { redactSecrets } from "../errors/redact.js";

/** What every diagnostic has: its kind, a sentence for people, and when it happened (`Date.now()`). */
export interface DiagnosticBase {
  readonly kind: string;
  readonly message: string;
  readonly atMs: number;
}

/** A line that is not JSON. It is skipped. */
export interface MalformedLineDiagnostic extends DiagnosticBase {
  readonly kind: "malformedLine";
  /** Its length in bytes. */
  readonly bytes: number;
  /** Its first characters. */
  readonly excerpt: string;
}

/** A line longer than `maxLineBytes`. It is skipped without being held in memory. */
export interface OversizedLineDiagnostic extends DiagnosticBase {
  readonly kind: "oversizedLine";
  readonly bytes: number;
  readonly limit: number;
  readonly excerpt: string;
  /** The id of the call it answered, when the line starts like a response. */
  readonly id?: number | string;
  /** Its method, when it starts like a notification or a server request. */
  readonly method?: string;
}

/** JSON that is not an object (an array, a number, `null`). It is skipped. */
export interface InvalidMessageDiagnostic extends DiagnosticBase {
  readonly kind: "invalidMessage";
  readonly excerpt: string;
}

/** The stream ended inside a line that does not parse. */
export interface PartialLineDiagnostic extends DiagnosticBase {
  readonly kind: "partialLine";
  readonly bytes: number;
  readonly excerpt: string;
}

/**
 * Something a transport read that is not a message (a malformed, oversized, non-object or partial line); the
 * connection goes on. What a {@link TransportListener}'s `diagnostic` receives.
 *
 * @example
 * ```ts
 * const diagnostic: TransportDiagnostic = { kind: "malformedLine", message: "Skipped a line that is not JSON.", atMs: Date.now(), bytes: 5, excerpt: "oops!" };
 * listener.diagnostic(diagnostic);
 * ```
 */
export type TransportDiagnostic =
  MalformedLineDiagnostic | OversizedLineDiagnostic | InvalidMessageDiagnostic | PartialLineDiagnostic;

const EXCERPT_CHARS = 200;

/**
 * The first characters of `text`, for a diagnostic, with secrets redacted (see {@link redactSecrets}).
 */
export function excerptOf(text: string): string {
  return redactSecrets(text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text);
}
