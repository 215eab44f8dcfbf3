import { context, trace, type Span } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-base";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AsyncCodex } from "../../src/index.js";
import type { TraceEvent } from "../../src/rpc/trace.js";
import { createOfflineEnvironment, textReply, type OfflineEnvironment } from "../../src/testing/index.js";
import { offlineClientConfig } from "../support/offline-client.js";

/**
 * OpenTelemetry spans of a real turn, recorded by the OpenTelemetry SDK's in-memory exporter: the optional peer
 * `@opentelemetry/api` is installed here (a dev dependency), so the client makes spans on the global provider.
 */

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let offline: OfflineEnvironment;

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe("OpenTelemetry spans of a real turn", { timeout: 60_000 }, () => {
  before(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
    offline = await createOfflineEnvironment();
  });

  after(async () => {
    await offline?.close();
    trace.disable();
    context.disable();
  });

  it("one turn span (thread, turn, model, status, usage) with its requests as children, and the trace context sent along", async () => {
    const sent: TraceEvent[] = [];
    const codex = new AsyncCodex(offlineClientConfig(offline, { trace: (event) => void sent.push(event) }));
    offline.provider.enqueue(textReply("Spanned.", { usage: { inputTokens: 40, outputTokens: 9 } }));
    const tracer = trace.getTracer("observe-test");
    let threadId = "";
    let turnId = "";
    await tracer.startActiveSpan("job", async (job: Span) => {
      try {
        const thread = await codex.threadStart();
        threadId = thread.id;
        const handle = await thread.turn("span me");
        turnId = handle.id;
        await handle.run();
      } finally {
        job.end();
        await codex.close();
      }
    });
    const spans = exporter.getFinishedSpans();
    const job = spans.find((span) => span.name === "job")!;
    const turns = spans.filter((span) => span.name === "codex.turn");
    assert.equal(turns.length, 1, "one turn, one turn span");
    const turn = turns[0]!;
    assert.equal(parentOf(turn), job.spanContext().spanId, "the turn span is a child of the active span");
    assert.equal(turn.attributes["codex.thread.id"], threadId);
    assert.equal(turn.attributes["codex.turn.id"], turnId);
    assert.equal(turn.attributes["codex.turn.status"], "completed");
    assert.equal(turn.attributes["codex.model"], "fake-model");
    assert.equal(turn.attributes["gen_ai.usage.input_tokens"], 40);
    assert.equal(turn.attributes["gen_ai.usage.output_tokens"], 9);

    const turnStart = spans.find((span) => span.name === "turn/start")!;
    assert.equal(parentOf(turnStart), turn.spanContext().spanId, "turn/start is a child of the turn span");
    assert.equal(turnStart.attributes["rpc.method"], "turn/start");
    const threadStart = spans.find((span) => span.name === "thread/start")!;
    assert.equal(parentOf(threadStart), job.spanContext().spanId, "other requests are children of the active span");
    assert.equal(new Set(spans.map((span) => span.spanContext().traceId)).size, 1, "all in one trace");

    const request = sent.find(
      (event) => event.direction === "outgoing" && (event.message as { method?: string }).method === "turn/start",
    );
    const traceparent = (request?.message as { trace?: { traceparent?: string } }).trace?.traceparent;
    assert.equal(
      traceparent,
      `00-${turnStart.spanContext().traceId}-${turnStart.spanContext().spanId}-01`,
      "W3C trace context of the request span",
    );
  });

  it("openTelemetry: false makes no span and sends no trace context", async () => {
    exporter.reset();
    const sent: TraceEvent[] = [];
    await using codex = new AsyncCodex(
      offlineClientConfig(offline, { openTelemetry: false, trace: (event) => void sent.push(event) }),
    );
    offline.provider.enqueue(textReply("No spans."));
    await trace.getTracer("observe-test").startActiveSpan("job", async (job: Span) => {
      await (await codex.threadStart()).run("no spans");
      job.end();
    });
    assert.deepEqual(
      exporter.getFinishedSpans().map((span) => span.name),
      ["job"],
    );
    assert.ok(sent.every((event) => (event.message as { trace?: unknown }).trace === undefined));
  });
});
