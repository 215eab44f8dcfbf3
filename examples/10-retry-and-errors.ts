/**
 * 10 · Retry and errors: retry what the server refused because it was overloaded, and tell the other
 * failures apart by their class.
 *
 * - `retryOnOverload(fn)` calls `fn` again, with exponential backoff and jitter, while the app-server answers
 *   "Server overloaded" (`ServerBusyError`, JSON-RPC -32001); any other error goes straight through.
 * - A turn that fails (the model provider failed) is not a JSON-RPC error: `thread.run()` rejects with
 *   `TurnFailedError`, carrying the turn and the server's message. The thread can be used again.
 * - The server's refusals are `AppServerRpcError`s (`InvalidParamsError`, `InvalidRequestError`, …); input
 *   the client can tell is wrong never leaves it (`InvalidInputError`); an aborted or timed-out call says so
 *   (`RequestAbortedError`, `RequestTimeoutError`).
 *
 * Run it with `npm run example -- 10`.
 */
import {
  AppServerError,
  AsyncCodex,
  InvalidInputError,
  JsonRpcError,
  RequestAbortedError,
  retryOnOverload,
  ServerBusyError,
  TurnFailedError,
  type AsyncThread,
} from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("10-retry-and-errors");
await using codex = new AsyncCodex(runtime.config);

const thread = await retryOnOverload(() => codex.threadStart(), {
  attempts: 3,
  initialDelayMs: 250,
  maxDelayMs: 2_000,
  onRetry: ({ attempt, delayMs }) => console.log(`overloaded (attempt ${attempt}): retrying in ${delayMs} ms`),
});
console.log("thread:", thread.id);

await ask(thread, "Summarize retry best practices in 3 bullets."); // offline: the model fails this one
await ask(thread, "Please try again."); // the thread is still usable

// What the client refuses before sending, and what the server refuses.
await show("empty input", () => thread.run([]));
await show("a thread id that is not a UUID", () => codex.threadResume("not-a-thread-id"));
await show("a thread that does not exist", () => codex.threadResume("00000000-0000-7000-8000-000000000000"));
await show("an aborted call", () => codex.threadList({}, { signal: AbortSignal.abort() }));

async function ask(on: AsyncThread, prompt: string): Promise<void> {
  try {
    const result = await on.run(prompt);
    console.log("Text:", result.finalResponse);
  } catch (error) {
    if (error instanceof TurnFailedError) {
      console.log("Turn failed:", error.turn.error?.message);
    } else if (error instanceof ServerBusyError) {
      console.log("Server overloaded after retries:", error.rpcMessage);
    } else if (error instanceof JsonRpcError) {
      console.log(`JSON-RPC error ${error.code}: ${error.rpcMessage}`);
    } else {
      throw error;
    }
  }
}

async function show(what: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
    console.log(`${what}: no error`);
  } catch (error) {
    if (!(error instanceof AppServerError)) throw error;
    const code = error instanceof JsonRpcError ? ` (JSON-RPC ${error.code})` : "";
    const kind =
      error instanceof InvalidInputError
        ? "refused by the client"
        : error instanceof RequestAbortedError
          ? "not sent"
          : "refused by the server";
    console.log(`${what}: ${error.name}${code}, ${kind}`);
  }
}
