import type { JsonRpcMessage } from "./messages.js";

/**
 * One message seen by a trace hook.
 *
 * @example
 * ```ts
 * const trace = ({ direction, message, elapsedMs }: TraceEvent) =>
 *   console.debug(direction === "outgoing" ? "->" : "<-", JSON.stringify(message), elapsedMs ?? "");
 * const codex = new AsyncCodex({ trace });
 * ```
 */
export interface TraceEvent {
  /** `"outgoing"`: sent to the app-server; `"incoming"`: received from it. */
  readonly direction: "outgoing" | "incoming";
  /** The message itself, as sent or as parsed (not a copy: do not change it). */
  readonly message: JsonRpcMessage;
  /** When, by `Date.now()` (compare with a notification's `emittedAtMs`). */
  readonly atMs: number;
  /**
   * For a response: how long since the request it answers went out or came in, in milliseconds
   * (high resolution).
   */
  readonly elapsedMs?: number;
}

/**
 * A function that sees every message, both ways (the `trace` option); it must not throw or block.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const trace: TraceHook = (event) => void lines.push(JSON.stringify(event));
 * const codex = new AsyncCodex({ trace });
 * ```
 */
export type TraceHook = (event: TraceEvent) => void;
