import { checkClientRequestResult, checkServerNotification, checkServerRequest } from "../../src/schema/validate.js";
import type { ReceivedMessage } from "./raw-peer.js";

/** A received message that did not pass its method's validator (or whose envelope is malformed). */
export interface CheckFailure {
  kind: ReceivedMessage["kind"];
  method: string;
  /** `false` when the method is not in the validators' table at all. */
  known: boolean;
  errors: string[];
}

/**
 * Validates one message the app-server sent: a notification's params, a server request's params, or the result
 * of one of our requests (by the method remembered for its id). An error answer has no result schema: its
 * envelope (`code` integer, `message` string) is checked instead. Returns `undefined` when it passes.
 */
export function checkReceived(message: ReceivedMessage): CheckFailure | undefined {
  const envelope = envelopeErrors(message);
  const verdict =
    message.kind === "notification"
      ? checkServerNotification(message.method, message.params)
      : message.kind === "request"
        ? checkServerRequest(message.method, message.params)
        : message.error !== undefined
          ? { ok: true as const }
          : checkClientRequestResult(message.method, message.result);
  if (verdict.ok && envelope.length === 0) return undefined;
  return {
    kind: message.kind,
    method: message.method,
    known: verdict.ok ? true : verdict.known,
    errors: [...envelope, ...(verdict.ok ? [] : verdict.errors)],
  };
}

function envelopeErrors(message: ReceivedMessage): string[] {
  const errors: string[] = [];
  const allowed =
    message.kind === "notification"
      ? ["method", "params", "emittedAtMs", "jsonrpc"]
      : message.kind === "request"
        ? ["id", "method", "params", "jsonrpc"]
        : ["id", "result", "error", "jsonrpc"];
  for (const key of Object.keys(message.raw)) {
    if (!allowed.includes(key)) errors.push(`unexpected top-level member ${JSON.stringify(key)}`);
  }
  if (message.kind === "notification" && typeof message.raw.emittedAtMs !== "number") {
    errors.push("notification without a numeric emittedAtMs");
  }
  if (message.kind === "response") {
    if ("result" in message.raw === "error" in message.raw)
      errors.push("a response needs exactly one of result and error");
    if (
      message.error !== undefined &&
      (!Number.isInteger(message.error.code) || typeof message.error.message !== "string")
    ) {
      errors.push(`malformed error ${JSON.stringify(message.error)}`);
    }
  }
  return errors;
}
