/**
 * The JSON-RPC code the app-server answers with when it is overloaded.
 */
export const SERVER_OVERLOADED_CODE = -32001;

const MAX_DEPTH = 4;

/**
 * Whether a JSON-RPC error `{ code, data }` means "the server is overloaded": code `-32001`, or an overload
 * marker (`serverOverloaded`, `server_overloaded`, any case) anywhere in `data` — as a string, or as a value
 * inside objects and arrays (`{ codexErrorInfo: "serverOverloaded" }`).
 */
export function isServerOverloaded(code: unknown, data: unknown): boolean {
  return code === SERVER_OVERLOADED_CODE || hasOverloadMarker(data, 0);
}

/**
 * Whether an error message says the server gave up after its own retries.
 */
export function mentionsRetryLimit(message: string): boolean {
  const lowered = message.toLowerCase();
  return lowered.includes("retry limit") || lowered.includes("too many failed attempts");
}

function hasOverloadMarker(data: unknown, depth: number): boolean {
  if (typeof data === "string") {
    const lowered = data.toLowerCase();
    return lowered === "serveroverloaded" || lowered === "server_overloaded";
  }
  if (typeof data !== "object" || data === null || depth >= MAX_DEPTH) return false;
  const values = Array.isArray(data) ? data : Object.values(data);
  return values.some((value) => hasOverloadMarker(value, depth + 1));
}
