import type { IncomingHttpHeaders } from "node:http";

/**
 * One HTTP request the scripted provider received, kept for assertions.
 *
 * @example
 * ```ts
 * const request: RecordedRequest = await provider.waitForRequest(1);
 * assert.equal(request.answer, "scripted");
 * assert.equal(request.headers.authorization, "Bearer offline-test-key");
 * ```
 */
export interface RecordedRequest {
  /** 0-based position among all requests the provider received. */
  index: number;
  /** `GET`, `POST`, … */
  method: string;
  /** The path without the query, e.g. `/v1/responses`. */
  path: string;
  /** The query string without `?`, or `""`. */
  query: string;
  /** The request headers (lower-case names). */
  headers: IncomingHttpHeaders;
  /** The body as text (`""` when there is none). */
  text: string;
  /** The body parsed as JSON, or `undefined` when it is empty or not JSON. */
  body: unknown;
  /** `Date.now()` when the body had been read. */
  receivedAt: number;
  /**
   * How the provider answered: `"scripted"` (a reply from the queue), `"fallback"` (the queue was empty),
   * or `"notFound"` (a path the provider does not serve).
   */
  answer: "scripted" | "fallback" | "notFound";
}

/**
 * An item of the `input` array codex sends to `/v1/responses` (only the fields tests read most are typed).
 *
 * @example
 * ```ts
 * const calls = inputItems(await provider.waitForRequest(2)).filter((item: ResponsesInputItem) => item.type === "function_call");
 * assert.equal(calls[0]?.name, "exec_command");
 * ```
 */
export interface ResponsesInputItem {
  type?: string;
  role?: string;
  content?: unknown;
  call_id?: string;
  output?: unknown;
  name?: string;
  arguments?: string;
  [key: string]: unknown;
}

/**
 * The `input` items of a recorded `/v1/responses` request (the whole conversation codex sends each time).
 *
 * @example
 * ```ts
 * const request = await provider.waitForRequest(1);
 * const kinds = inputItems(request).map((item) => item.type); // ["message", "message", …]
 * ```
 */
export function inputItems(request: RecordedRequest): ResponsesInputItem[] {
  const body = request.body as { input?: unknown } | undefined;
  return Array.isArray(body?.input) ? (body.input as ResponsesInputItem[]) : [];
}

/**
 * The texts of the input messages of a role (`"user"` by default), in order. Codex adds messages of its own
 * (environment context, instructions) as user/developer messages: check with `includes` or `at(-1)`.
 *
 * @example
 * ```ts
 * const request = await provider.waitForRequest(1);
 * assert.equal(inputTexts(request).at(-1), "What is 2 + 2?");
 * ```
 */
export function inputTexts(request: RecordedRequest, role = "user"): string[] {
  const texts: string[] = [];
  for (const item of inputItems(request)) {
    if (item.type !== "message" || item.role !== role) continue;
    const content = item.content;
    if (typeof content === "string") texts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content as { type?: string; text?: unknown }[]) {
        if (typeof part.text === "string") texts.push(part.text);
      }
    }
  }
  return texts;
}

/**
 * The `function_call_output` items of a recorded request: what codex's tools returned, by call id.
 *
 * @example
 * ```ts
 * provider.enqueue(execCommandReply("echo hi", { callId: "call_1" }), textReply("done"));
 * // … run the turn …
 * const [output] = functionCallOutputs(provider.requests[1]!);
 * assert.equal(output?.callId, "call_1");
 * assert.match(output?.output ?? "", /hi/);
 * ```
 */
export function functionCallOutputs(request: RecordedRequest): { callId: string; output: string }[] {
  return inputItems(request)
    .filter((item) => item.type === "function_call_output" && typeof item.call_id === "string")
    .map((item) => ({
      callId: item.call_id as string,
      output: typeof item.output === "string" ? item.output : JSON.stringify(item.output),
    }));
}

/**
 * The parsed `x-codex-turn-metadata` header codex sends with each model request (ids of the thread and turn,
 * `request_kind`, sandbox, model…), or `undefined` when absent or not JSON.
 *
 * @example
 * ```ts
 * const metadata = turnMetadata(await provider.waitForRequest(1));
 * assert.equal(metadata?.turn_id, turnId);
 * ```
 */
export function turnMetadata(request: RecordedRequest): Record<string, unknown> | undefined {
  const header = request.headers["x-codex-turn-metadata"];
  if (typeof header !== "string") return undefined;
  try {
    const value: unknown = JSON.parse(header);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why codex made a model request, from its turn metadata: `"turn"` for a turn's model calls (the first and
 * each one after a tool ran), `"compaction"` for `thread/compact/start` (with a custom provider codex compacts
 * through `/v1/responses` itself, asking for a summary), or `undefined` when not told.
 *
 * @example
 * ```ts
 * provider.setFallback((request) =>
 *   requestKind(request) === "compaction" ? textReply("Summary: the user said hi.") : textReply("ok"),
 * );
 * ```
 */
export function requestKind(request: RecordedRequest): string | undefined {
  const kind = turnMetadata(request)?.request_kind;
  return typeof kind === "string" ? kind : undefined;
}
