import { AppServerError } from "./app-server-error.js";

/**
 * A local server of this library (the inspector page) could not listen: its port on 127.0.0.1 is taken.
 *
 * @example
 * ```ts
 * try {
 *   await serveInspector(codex, { port: 4319 });
 * } catch (err) {
 *   if (err instanceof PortInUseError) console.error(`port ${err.port} is taken: ${err.message}`);
 * }
 * ```
 */
export class PortInUseError extends AppServerError {
  override name = "PortInUseError";
  /** The port that was asked for. */
  readonly port: number;

  /** @param options The port that was asked for, and the listen error as `cause`. */
  constructor(options: ErrorOptions & { port: number }) {
    const { port } = options;
    super(
      `port ${port} on 127.0.0.1 is already in use, so the inspector cannot listen there: pass another port, or port 0 for any free one.`,
      options,
    );
    this.port = port;
  }
}
