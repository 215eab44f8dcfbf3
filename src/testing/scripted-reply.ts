/**
 * What the scripted provider answers to one `POST /v1/responses`: a stream of Responses-API events
 * ({@link StreamReply}) or a bare HTTP error ({@link HttpErrorReply}). Build them with {@link textReply},
 * {@link messagesReply}, {@link execCommandReply}, {@link failedReply}, {@link httpErrorReply}, or write the
 * objects by hand.
 *
 * @example
 * ```ts
 * const replies: ScriptedReply[] = [textReply("Hello"), httpErrorReply(500)];
 * for (const reply of replies) console.log(reply.kind === "stream" ? `${reply.output.length} items` : `HTTP ${reply.status}`);
 * provider.enqueue(...replies);
 * ```
 */
export type ScriptedReply = StreamReply | HttpErrorReply;

/**
 * The phase of an assistant message, as codex reports it on `agentMessage` items.
 *
 * @example
 * ```ts
 * const phase: MessagePhase = "final_answer";
 * provider.enqueue(textReply("Done.", { phase }));
 * ```
 */
export type MessagePhase = "commentary" | "final_answer";

/**
 * An assistant message in a streamed reply.
 *
 * @example
 * ```ts
 * const message: ScriptedMessage = { type: "message", text: "Hello there", deltas: ["Hel", "lo ", "there"] };
 * provider.enqueue(messagesReply([message]));
 * ```
 */
export interface ScriptedMessage {
  type: "message";
  /** The whole text of the message. */
  text: string;
  /**
   * How the text is streamed: a number of `response.output_text.delta` events (the text cut in that many
   * nearly equal parts), or the exact chunks (they must join to `text`). Default: one delta per word.
   */
  deltas?: number | readonly string[];
  /** The message's `phase`; absent by default, as from most models. */
  phase?: MessagePhase;
}

/**
 * A function tool call in a streamed reply; codex runs the tool and sends a new request with its output.
 *
 * @example
 * ```ts
 * const call: ScriptedFunctionCall = { type: "function_call", name: "exec_command", arguments: { cmd: "pwd" }, callId: "call_pwd" };
 * provider.enqueue(messagesReply([call]), textReply("That is the working folder."));
 * ```
 */
export interface ScriptedFunctionCall {
  type: "function_call";
  /** The tool's name, e.g. `"exec_command"`. */
  name: string;
  /** The call's arguments: an object (serialised to JSON) or the raw JSON string. */
  arguments: string | Record<string, unknown>;
  /** The call id codex echoes in the `function_call_output` of its next request. Default: a fresh `call_…` id. */
  callId?: string;
}

/**
 * A reasoning item with a summary, streamed as `response.reasoning_summary_text.delta` events.
 *
 * @example
 * ```ts
 * const reasoning: ScriptedReasoning = { type: "reasoning", summary: "List the files, then answer.", deltas: 2 };
 * provider.enqueue(messagesReply([reasoning, "There are three files."]));
 * ```
 */
export interface ScriptedReasoning {
  type: "reasoning";
  /** The summary text. */
  summary: string;
  /** As for {@link ScriptedMessage.deltas}. */
  deltas?: number | readonly string[];
}

/**
 * One output item of a streamed reply.
 *
 * @example
 * ```ts
 * const output: ScriptedOutputItem[] = [
 *   { type: "reasoning", summary: "Check first." },
 *   { type: "message", text: "Let me look.", phase: "commentary" },
 *   { type: "function_call", name: "exec_command", arguments: { cmd: "ls" } },
 * ];
 * provider.enqueue(messagesReply(output), textReply("Listed."));
 * ```
 */
export type ScriptedOutputItem = ScriptedMessage | ScriptedFunctionCall | ScriptedReasoning;

/**
 * Token counts reported in `response.completed`, named as codex reports them in `thread/tokenUsage/updated`.
 *
 * @example
 * ```ts
 * const usage: ScriptedUsage = { inputTokens: 1_200, cachedInputTokens: 1_000, outputTokens: 30 };
 * provider.enqueue(textReply("ok", { usage }));
 * const result = await thread.run("hi");
 * console.log(result.usage?.last.inputTokens); // 1200
 * ```
 */
export interface ScriptedUsage {
  inputTokens?: number;
  cachedInputTokens?: number;
  outputTokens?: number;
  reasoningOutputTokens?: number;
  /** Default: `inputTokens + outputTokens`. */
  totalTokens?: number;
}

/**
 * How a streamed reply ends:
 * - `completed` — `response.completed` with the usage (the normal end);
 * - `failed` — `response.failed` with an error `code` and `message` (codex fails the turn; the codes
 *   `context_length_exceeded`, `insufficient_quota` and `usage_not_included` are special to codex);
 * - `disconnect` — the connection is cut without a terminal event;
 * - `hang` — the stream stays open, sending nothing more, until codex hangs up or the provider closes.
 *
 * @example
 * ```ts
 * provider.enqueue(textReply("Half an ans", { end: { type: "disconnect" } }));
 * provider.enqueue(failedReply("too long", { code: "context_length_exceeded" })); // end: { type: "failed", … }
 * ```
 */
export type StreamEnding =
  | { type: "completed" }
  | { type: "failed"; code?: string; message: string }
  | { type: "disconnect" }
  | { type: "hang" };

/**
 * A `200 text/event-stream` reply.
 *
 * @example
 * ```ts
 * const reply: StreamReply = { kind: "stream", output: [{ type: "message", text: "Hi" }], deltaDelayMs: 50, id: "resp_1" };
 * provider.enqueue(reply);
 * ```
 */
export interface StreamReply {
  kind: "stream";
  /** The output items, streamed in order. */
  output: readonly ScriptedOutputItem[];
  /** Usage numbers for `response.completed`. Default: 10 input, 5 output, 15 total tokens. */
  usage?: ScriptedUsage;
  /** Milliseconds to wait before each text delta: a slow stream. Default 0. */
  deltaDelayMs?: number;
  /** Default `{ type: "completed" }`. */
  end?: StreamEnding;
  /** The response id. Default: a fresh `resp_…` id. */
  id?: string;
}

/**
 * A non-streamed HTTP error, e.g. a 500 (codex fails the turn when its retries are 0, as in the offline config).
 *
 * @example
 * ```ts
 * const unavailable: HttpErrorReply = { kind: "httpError", status: 503, headers: { "retry-after": "1" } };
 * provider.enqueue(unavailable);
 * ```
 */
export interface HttpErrorReply {
  kind: "httpError";
  status: number;
  /** The JSON body. Default: `{ error: { message, type: "server_error" } }`. */
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
}

/**
 * Options shared by the stream reply builders.
 *
 * @example
 * ```ts
 * provider.enqueue(messagesReply(["One.", "Two."], { deltaDelayMs: 20, id: "resp_fixed", usage: { outputTokens: 2 } }));
 * ```
 */
export interface StreamReplyOptions {
  usage?: ScriptedUsage;
  deltaDelayMs?: number;
  end?: StreamEnding;
  id?: string;
}

/**
 * Options of {@link textReply}.
 *
 * @example
 * ```ts
 * provider.enqueue(textReply("Hello there, friend", { deltas: 3, phase: "final_answer", deltaDelayMs: 10 }));
 * ```
 */
export interface TextReplyOptions extends StreamReplyOptions {
  /** See {@link ScriptedMessage.deltas}. */
  deltas?: number | readonly string[];
  phase?: MessagePhase;
}

/**
 * A reply with one assistant message.
 *
 * @example
 * ```ts
 * provider.enqueue(textReply("Hello there", { deltas: 3, usage: { inputTokens: 42, outputTokens: 7 } }));
 * provider.enqueue(textReply("slow…", { deltaDelayMs: 200 }));
 * ```
 */
export function textReply(text: string, options: TextReplyOptions = {}): StreamReply {
  const { deltas, phase, ...rest } = options;
  const message: ScriptedMessage = { type: "message", text };
  if (deltas !== undefined) message.deltas = deltas;
  if (phase !== undefined) message.phase = phase;
  return streamReply([message], rest);
}

/**
 * A reply with several output items in order: messages (plain strings are messages), reasoning, tool calls.
 *
 * @example
 * ```ts
 * provider.enqueue(
 *   messagesReply([
 *     { type: "message", text: "Let me look.", phase: "commentary" },
 *     { type: "message", text: "All done.", phase: "final_answer", deltas: 2 },
 *   ]),
 * );
 * ```
 */
export function messagesReply(
  output: readonly (string | ScriptedOutputItem)[],
  options: StreamReplyOptions = {},
): StreamReply {
  return streamReply(
    output.map((item) => (typeof item === "string" ? { type: "message", text: item } : item)),
    options,
  );
}

/**
 * Options of {@link execCommandReply}.
 *
 * @example
 * ```ts
 * provider.enqueue(
 *   execCommandReply("npm test", { callId: "call_tests", preamble: "Running the tests.", arguments: { timeout_ms: 60_000 } }),
 *   textReply("They pass."),
 * );
 * ```
 */
export interface ExecCommandReplyOptions extends StreamReplyOptions {
  callId?: string;
  /** Other `exec_command` arguments, e.g. `{ workdir, timeout_ms }`. */
  arguments?: Record<string, unknown>;
  /** Text of an assistant message streamed before the call. */
  preamble?: string;
}

/**
 * A reply asking codex to run a shell command through its `exec_command` tool. Codex runs it (asking for
 * approval when its policy says so) and sends a new request carrying a `function_call_output` with the same
 * `call_id`: script the reply to that request too.
 *
 * @example
 * ```ts
 * provider.enqueue(execCommandReply("echo hi", { callId: "call_1" }), textReply("It printed hi."));
 * ```
 */
export function execCommandReply(cmd: string, options: ExecCommandReplyOptions = {}): StreamReply {
  const { callId, arguments: extra, preamble, ...rest } = options;
  const call: ScriptedFunctionCall = { type: "function_call", name: "exec_command", arguments: { cmd, ...extra } };
  if (callId !== undefined) call.callId = callId;
  const output: ScriptedOutputItem[] = preamble === undefined ? [call] : [{ type: "message", text: preamble }, call];
  return streamReply(output, rest);
}

/**
 * A reply that streams its output (none by default) and then ends with `response.failed`.
 *
 * @example
 * ```ts
 * provider.enqueue(failedReply("the model is on fire", { code: "server_error" }));
 * provider.enqueue(failedReply("too long", { code: "context_length_exceeded" }));
 * ```
 */
export function failedReply(
  message: string,
  options: StreamReplyOptions & { code?: string; output?: readonly ScriptedOutputItem[] } = {},
): StreamReply {
  const { code, output = [], ...rest } = options;
  const end: StreamEnding = code === undefined ? { type: "failed", message } : { type: "failed", code, message };
  return streamReply(output, { ...rest, end });
}

/**
 * A bare HTTP error status, 500 by default.
 *
 * @example
 * ```ts
 * provider.enqueue(httpErrorReply());                                  // 500
 * provider.enqueue(httpErrorReply(429, { body: { error: { message: "slow down" } } }));
 * ```
 */
export function httpErrorReply(
  status = 500,
  options: { body?: unknown; headers?: Readonly<Record<string, string>> } = {},
): HttpErrorReply {
  const reply: HttpErrorReply = { kind: "httpError", status };
  if (options.body !== undefined) reply.body = options.body;
  if (options.headers !== undefined) reply.headers = options.headers;
  return reply;
}

function streamReply(output: readonly ScriptedOutputItem[], options: StreamReplyOptions): StreamReply {
  const reply: StreamReply = { kind: "stream", output };
  if (options.usage !== undefined) reply.usage = options.usage;
  if (options.deltaDelayMs !== undefined) reply.deltaDelayMs = options.deltaDelayMs;
  if (options.end !== undefined) reply.end = options.end;
  if (options.id !== undefined) reply.id = options.id;
  return reply;
}
