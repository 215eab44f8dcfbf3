import { AppServerError } from "./app-server-error.js";

type ProtocolErrorKind = "oversizedLine" | "invalidResponse" | "unexpectedAnswer";

/**
 * The app-server sent something this client cannot use as an answer: a line over the size limit, a
 * response with neither `result` nor a well-formed `error`, or one that does not fit the request. The server did answer, but what it said is lost,
 * so the outcome of the call is unknown. (Stray malformed lines that answer no call are reported as
 * diagnostics instead, and the connection goes on.)
 *
 * @example
 * ```ts
 * try {
 *   await thread.read({ includeTurns: true });
 * } catch (err) {
 *   if (err instanceof ProtocolError && err.kind === "oversizedLine") console.error("raise maxLineBytes");
 * }
 * ```
 */
export class ProtocolError extends AppServerError {
  override name = "ProtocolError";
  /**
   * What was wrong: an answer over the line limit (`oversizedLine`) or with no usable outcome
   * (`invalidResponse`), both as in the matching diagnostic; or a well-formed answer that does not fit the request
   * (`unexpectedAnswer`).
   */
  readonly kind: ProtocolErrorKind;
  /** The method of the call it concerns, when known. */
  readonly method: string | undefined;

  constructor(message: string, options: ErrorOptions & { kind: ProtocolErrorKind; method?: string | undefined }) {
    super(message, options);
    this.kind = options.kind;
    this.method = options.method;
  }
}
