import { AppServerError } from "./app-server-error.js";

/**
 * The caller's `AbortSignal` fired before the request was answered. If it had been sent (`sent`), **its
 * outcome is unknown**: the app-server has no way to cancel a request, so it may still act on it. The
 * signal's reason is the `cause`.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * setTimeout(() => controller.abort(), 1_000);
 * try {
 *   await codex.threadList({}, { signal: controller.signal });
 * } catch (err) {
 *   if (err instanceof RequestAbortedError) console.log("gave up on", err.method);
 * }
 * ```
 */
export class RequestAbortedError extends AppServerError {
  override name = "RequestAbortedError";
  readonly method: string;
  /** The request id, when it had been sent. */
  readonly id: number | string | undefined;
  /** Whether the request had been sent before the abort. */
  readonly sent: boolean;

  /** @param options The method called, its id when it had been sent, and the signal's reason as `cause`. */
  constructor(options: ErrorOptions & { method: string; id?: number | string | undefined }) {
    const { method, id } = options;
    const sent = id !== undefined;
    super(
      sent
        ? `${method} (id ${id}) was aborted by its AbortSignal before codex app-server answered; the outcome is unknown: the server may still act on it.`
        : `${method} was not sent: its AbortSignal had already been aborted.`,
      options,
    );
    this.method = method;
    this.id = id;
    this.sent = sent;
  }
}
