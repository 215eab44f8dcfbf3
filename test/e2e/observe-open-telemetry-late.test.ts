import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AsyncCodex } from "../../src/index.js";
import type { TraceEvent } from "../../src/rpc/trace.js";
import { createOfflineEnvironment, textReply, type OfflineEnvironment } from "../../src/testing/index.js";
import { offlineClientConfig } from "../support/offline-client.js";

/**
 * A tracer provider registered after the client started: the client loads `@opentelemetry/api` only once a
 * provider is registered, so it must notice one that comes late (in a process of its own, so that nothing
 * registered or loaded by another test is already there).
 */

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let offline: OfflineEnvironment;

const methodOf = (event: TraceEvent) => (event.message as { method?: string }).method;
const traceOf = (event: TraceEvent) => (event.message as { trace?: { traceparent?: string } }).trace;

describe("OpenTelemetry registered after the client started", { timeout: 60_000 }, () => {
  before(async () => {
    offline = await createOfflineEnvironment();
  });

  after(async () => {
    await offline?.close();
    trace.disable();
  });

  it("the next turn after the registration has its turn span, its requests as children, and sends the trace context", async () => {
    const sent: TraceEvent[] = [];
    await using codex = new AsyncCodex(offlineClientConfig(offline, { trace: (event) => void sent.push(event) }));
    offline.provider.enqueue(textReply("Unseen."));
    offline.provider.enqueue(textReply("Spanned.", { usage: { inputTokens: 30, outputTokens: 7 } }));
    await codex.start();
    const thread = await codex.threadStart();
    await thread.run("before any provider");
    const outgoing = sent.filter((event) => event.direction === "outgoing" && methodOf(event) !== undefined);
    assert.ok(
      outgoing.some((event) => methodOf(event) === "turn/start"),
      "the first turn ran",
    );
    assert.ok(
      outgoing.every((event) => traceOf(event) === undefined),
      "no trace context before a provider is registered",
    );

    trace.setGlobalTracerProvider(provider);
    sent.length = 0;
    const handle = await thread.turn("after the provider");
    await handle.run();

    const spans = exporter.getFinishedSpans();
    const turns = spans.filter((span) => span.name === "codex.turn");
    assert.equal(turns.length, 1, "the turn after the registration has a turn span");
    const turn = turns[0]!;
    assert.equal(turn.attributes["codex.thread.id"], thread.id);
    assert.equal(turn.attributes["codex.turn.id"], handle.id);
    assert.equal(turn.attributes["codex.turn.status"], "completed");
    assert.equal(turn.attributes["gen_ai.usage.output_tokens"], 7);
    const turnStart = spans.find((span) => span.name === "turn/start");
    assert.ok(turnStart !== undefined, "turn/start has its request span");
    assert.equal(
      turnStart.parentSpanContext?.spanId,
      turn.spanContext().spanId,
      "turn/start is a child of the turn span",
    );

    const request = sent.find((event) => event.direction === "outgoing" && methodOf(event) === "turn/start");
    assert.equal(
      traceOf(request!)?.traceparent,
      `00-${turnStart.spanContext().traceId}-${turnStart.spanContext().spanId}-01`,
      "turn/start carries the W3C trace context of its span",
    );
  });
});
