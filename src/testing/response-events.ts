import { randomBytes } from "node:crypto";
import type { ScriptedOutputItem, ScriptedUsage, StreamReply } from "./scripted-reply.js";

/**
 * One Server-Sent Event of a Responses-API stream, with the pause to take before sending it.
 *
 * @example
 * ```ts
 * const events: ResponseEvent[] = responseEvents(textReply("hi there", { deltas: 2 }));
 * console.log(events.filter((event) => event.type === "response.output_text.delta").length); // 2
 * ```
 */
export interface ResponseEvent {
  /** The event's `type`, also sent as the SSE `event:` field. */
  type: string;
  /** The JSON `data:` payload (it carries `type` and `sequence_number` too). */
  data: Record<string, unknown>;
  /** Milliseconds to wait before sending this event. */
  delayMs: number;
}

/**
 * The Responses-API events a {@link StreamReply} streams, in order, shaped as the OpenAI Responses API sends
 * them (`response.created`, per item `output_item.added` … deltas … `output_item.done`, then
 * `response.completed` or `response.failed`). The ending `disconnect`/`hang` adds no terminal event.
 *
 * @example
 * ```ts
 * for (const event of responseEvents(textReply("hi there"), { model: "fake-model" })) {
 *   console.log(event.type); // response.created, response.output_item.added, … response.completed
 * }
 * ```
 */
export function responseEvents(reply: StreamReply, options: { model?: string } = {}): ResponseEvent[] {
  const id = reply.id ?? freshId("resp");
  const model = options.model ?? "fake-model";
  const createdAt = Math.floor(Date.now() / 1000);
  const deltaDelayMs = reply.deltaDelayMs ?? 0;
  const events: ResponseEvent[] = [];
  const push = (type: string, data: Record<string, unknown>, delayMs = 0): void => {
    events.push({ type, data: { type, sequence_number: events.length, ...data }, delayMs });
  };
  const response = (status: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    id,
    object: "response",
    created_at: createdAt,
    status,
    model,
    output: [],
    ...extra,
  });

  push("response.created", { response: response("in_progress") });
  push("response.in_progress", { response: response("in_progress") });
  const done: Record<string, unknown>[] = [];
  reply.output.forEach((item, outputIndex) => {
    done.push(streamItem(item, outputIndex, deltaDelayMs, push));
  });

  const end = reply.end ?? { type: "completed" };
  if (end.type === "completed") {
    push("response.completed", {
      response: response("completed", { output: done, usage: wireUsage(reply.usage) }),
    });
  } else if (end.type === "failed") {
    push("response.failed", {
      response: response("failed", {
        output: done,
        error: { code: end.code ?? "server_error", message: end.message },
        usage: null,
      }),
    });
  }
  return events;
}

type Push = (type: string, data: Record<string, unknown>, delayMs?: number) => void;

function streamItem(
  item: ScriptedOutputItem,
  outputIndex: number,
  delayMs: number,
  push: Push,
): Record<string, unknown> {
  switch (item.type) {
    case "message": {
      const id = freshId("msg");
      const phase = item.phase === undefined ? {} : { phase: item.phase };
      push("response.output_item.added", {
        output_index: outputIndex,
        item: { id, type: "message", role: "assistant", status: "in_progress", content: [], ...phase },
      });
      const part = { type: "output_text", text: "", annotations: [] };
      push("response.content_part.added", { item_id: id, output_index: outputIndex, content_index: 0, part });
      for (const delta of splitText(item.text, item.deltas)) {
        push(
          "response.output_text.delta",
          { item_id: id, output_index: outputIndex, content_index: 0, delta, logprobs: [] },
          delayMs,
        );
      }
      push("response.output_text.done", {
        item_id: id,
        output_index: outputIndex,
        content_index: 0,
        text: item.text,
        logprobs: [],
      });
      const full = { type: "output_text", text: item.text, annotations: [] };
      push("response.content_part.done", { item_id: id, output_index: outputIndex, content_index: 0, part: full });
      const doneItem = { id, type: "message", role: "assistant", status: "completed", content: [full], ...phase };
      push("response.output_item.done", { output_index: outputIndex, item: doneItem });
      return doneItem;
    }
    case "function_call": {
      const id = freshId("fc");
      const callId = item.callId ?? freshId("call");
      const args = typeof item.arguments === "string" ? item.arguments : JSON.stringify(item.arguments);
      push("response.output_item.added", {
        output_index: outputIndex,
        item: { id, type: "function_call", status: "in_progress", call_id: callId, name: item.name, arguments: "" },
      });
      push("response.function_call_arguments.delta", { item_id: id, output_index: outputIndex, delta: args }, delayMs);
      push("response.function_call_arguments.done", { item_id: id, output_index: outputIndex, arguments: args });
      const doneItem = {
        id,
        type: "function_call",
        status: "completed",
        call_id: callId,
        name: item.name,
        arguments: args,
      };
      push("response.output_item.done", { output_index: outputIndex, item: doneItem });
      return doneItem;
    }
    case "reasoning": {
      const id = freshId("rs");
      push("response.output_item.added", {
        output_index: outputIndex,
        item: { id, type: "reasoning", summary: [] },
      });
      const part = { type: "summary_text", text: "" };
      push("response.reasoning_summary_part.added", { item_id: id, output_index: outputIndex, summary_index: 0, part });
      for (const delta of splitText(item.summary, item.deltas)) {
        push(
          "response.reasoning_summary_text.delta",
          { item_id: id, output_index: outputIndex, summary_index: 0, delta },
          delayMs,
        );
      }
      push("response.reasoning_summary_text.done", {
        item_id: id,
        output_index: outputIndex,
        summary_index: 0,
        text: item.summary,
      });
      const summary = [{ type: "summary_text", text: item.summary }];
      push("response.reasoning_summary_part.done", {
        item_id: id,
        output_index: outputIndex,
        summary_index: 0,
        part: summary[0],
      });
      const doneItem = { id, type: "reasoning", summary };
      push("response.output_item.done", { output_index: outputIndex, item: doneItem });
      return doneItem;
    }
  }
}

/**
 * Cuts a text into the deltas that stream it: `count` nearly equal parts (never splitting a character), the
 * given chunks, or by default one part per word (with its following whitespace). An empty text gives no delta.
 *
 * @example
 * ```ts
 * splitText("one two three");      // ["one ", "two ", "three"]
 * splitText("abcdef", 3);           // ["ab", "cd", "ef"]
 * ```
 */
export function splitText(text: string, deltas?: number | readonly string[]): string[] {
  if (Array.isArray(deltas)) {
    if (deltas.join("") !== text) throw new RangeError("`deltas` must join to the message text");
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return -- an actor error is unknown by nature; a checked array of strings
    return [...deltas];
  }
  if (text === "") return [];
  if (deltas === undefined) return text.match(/\s*\S+\s*/gu) ?? [text];
  const count = deltas as number;
  if (!Number.isInteger(count) || count < 1) throw new RangeError("`deltas` must be a positive integer");
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points are the unit wanted here
  const chars = [...text];
  const parts = Math.min(count, chars.length);
  const out: string[] = [];
  for (let i = 0; i < parts; i++) {
    out.push(
      chars.slice(Math.floor((i * chars.length) / parts), Math.floor(((i + 1) * chars.length) / parts)).join(""),
    );
  }
  return out;
}

function wireUsage(usage: ScriptedUsage = {}): Record<string, unknown> {
  const input = usage.inputTokens ?? 10;
  const output = usage.outputTokens ?? 5;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage.reasoningOutputTokens ?? 0 },
    total_tokens: usage.totalTokens ?? input + output,
  };
}

function freshId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("hex")}`;
}
