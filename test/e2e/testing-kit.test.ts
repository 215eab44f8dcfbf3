import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { describe, it } from "node:test";
import {
  createCodexHome,
  createScriptedProvider,
  DEAD_PROXY_URL,
  execCommandReply,
  failedReply,
  httpErrorReply,
  inputTexts,
  splitText,
  textReply,
} from "../../src/testing/index.js";

/** The kit on its own, without codex: what a user relies on when scripting a provider. */

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "";
      const data = JSON.parse(lines.find((l) => l.startsWith("data: "))?.slice(6) ?? "null") as Record<string, unknown>;
      return { event, data };
    });
}

async function post(url: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(`${url}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: signal ?? AbortSignal.timeout(5_000),
  });
}

describe("the offline test kit", { timeout: 20_000 }, () => {
  it("streams a scripted text reply as the Responses API does and records the request", async () => {
    await using provider = await createScriptedProvider({
      replies: [
        textReply("one two three", { deltas: 3, phase: "final_answer", usage: { inputTokens: 9, outputTokens: 4 } }),
      ],
    });
    const body = {
      model: "m",
      input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }],
    };
    const response = await post(provider.url, body);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    const events = parseSse(await response.text());
    assert.deepEqual(
      events.map((e) => e.event),
      [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
        "response.output_text.delta",
        "response.output_text.delta",
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.completed",
      ],
    );
    assert.ok(events.every((e) => e.data.type === e.event));
    const done = events.find((e) => e.event === "response.output_item.done")?.data.item as Record<string, unknown>;
    assert.equal(done.phase, "final_answer");
    assert.deepEqual(done.content, [{ type: "output_text", text: "one two three", annotations: [] }]);
    const completed = events.at(-1)?.data.response as Record<string, unknown>;
    assert.deepEqual(completed.usage, {
      input_tokens: 9,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 4,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 13,
    });
    assert.equal(completed.model, "m");
    const request = await provider.waitForRequest(1, { timeoutMs: 100 });
    assert.deepEqual(inputTexts(request), ["hi"]);
    assert.equal(request.answer, "scripted");
  });

  it("sends exec_command calls, response.failed, HTTP errors, the fallback and 404s for other paths", async () => {
    await using provider = await createScriptedProvider({
      replies: [
        execCommandReply("ls -la", { callId: "call_7" }),
        failedReply("nope", { code: "server_error" }),
        httpErrorReply(503),
      ],
      fallback: (request) => textReply(`echo ${inputTexts(request).join("")}`),
    });
    const call = parseSse(await (await post(provider.url, {})).text()).find(
      (e) => e.event === "response.output_item.done",
    );
    assert.deepEqual(call?.data.item, {
      id: (call?.data.item as { id: string }).id,
      type: "function_call",
      status: "completed",
      call_id: "call_7",
      name: "exec_command",
      arguments: JSON.stringify({ cmd: "ls -la" }),
    });
    const failed = parseSse(await (await post(provider.url, {})).text()).at(-1);
    assert.equal(failed?.event, "response.failed");
    assert.deepEqual((failed?.data.response as { error: unknown }).error, { code: "server_error", message: "nope" });
    assert.equal((await post(provider.url, {})).status, 503);
    const fallback = await (
      await post(provider.url, { input: [{ type: "message", role: "user", content: "x" }] })
    ).text();
    assert.match(fallback, /"text":"echo x"/);
    const missing = await fetch(`${provider.url}/models`, { signal: AbortSignal.timeout(5_000) });
    assert.equal(missing.status, 404);
    assert.deepEqual(
      provider.requests.map((r) => `${r.method} ${r.path} ${r.answer}`),
      [
        "POST /v1/responses scripted",
        "POST /v1/responses scripted",
        "POST /v1/responses scripted",
        "POST /v1/responses fallback",
        "GET /v1/models notFound",
      ],
    );
    assert.equal((await provider.waitForRequest(1, { path: "/v1/models" })).method, "GET");
  });

  it("waitForRequest rejects when the request does not come in time", async () => {
    await using provider = await createScriptedProvider();
    await assert.rejects(provider.waitForRequest(1, { timeoutMs: 50 }), /did not arrive within 50 ms/);
  });

  it("close() ends a hanging stream and releases the port", async () => {
    const provider = await createScriptedProvider({ replies: [textReply("a b", { end: { type: "hang" } })] });
    const port = provider.port;
    const response = await post(provider.url, {});
    const reader = response.body!.getReader();
    await reader.read();
    assert.equal(provider.openStreams, 1);
    await provider.close();
    await assert.rejects(async () => {
      for (;;) if ((await reader.read()).done) throw new Error("ended without an error");
    });
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("a slow stream waits deltaDelayMs before each delta", async () => {
    await using provider = await createScriptedProvider({ replies: [textReply("a b c d", { deltaDelayMs: 40 })] });
    const started = performance.now();
    await (await post(provider.url, {})).text();
    assert.ok(performance.now() - started >= 4 * 40 - 5);
  });

  it("splitText cuts into words by default, N parts, or given chunks that must join to the text", () => {
    assert.deepEqual(splitText("one two  three"), ["one ", "two  ", "three"]);
    assert.deepEqual(splitText("abcdef", 4), ["a", "bc", "d", "ef"]);
    assert.deepEqual(splitText("héé😀", 4), ["h", "é", "é", "😀"]);
    assert.deepEqual(splitText("ab", ["a", "b"]), ["a", "b"]);
    assert.throws(() => splitText("ab", ["a"]), RangeError);
  });

  it("createCodexHome writes the offline config and an environment that stays on loopback, and removes it", async () => {
    const home = await createCodexHome({
      providerUrl: "http://127.0.0.1:1/v1",
      approvalPolicy: "on-request",
      config: { features: { shell_snapshot: true }, model_reasoning_effort: "low" },
      baseEnv: { PATH: "/usr/bin", OPENAI_API_KEY: "real-key", CODEX_HOME: "/root/.codex", HOME: "/root" },
    });
    const toml = readFileSync(home.configPath, "utf8");
    assert.match(toml, /^model = "fake-model"$/m);
    assert.match(toml, /^approval_policy = "on-request"$/m);
    assert.match(toml, /^\[model_providers\.fake\]\n(.+\n)*base_url = "http:\/\/127\.0\.0\.1:1\/v1"$/m);
    assert.match(toml, /^wire_api = "responses"$/m);
    assert.match(toml, /^\[features\]\nplugins = false\nunbounded_connection_retries = false\nshell_snapshot = true$/m);
    assert.match(toml, /^model_reasoning_effort = "low"$/m);
    assert.equal(home.env.CODEX_HOME, home.path);
    assert.ok(home.env.HOME?.startsWith(home.path));
    assert.equal(home.env.OPENAI_API_KEY, undefined);
    assert.equal(home.env.PATH, "/usr/bin");
    for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"]) {
      assert.equal(home.env[name], DEAD_PROXY_URL);
    }
    assert.match(home.env.NO_PROXY ?? "", /127\.0\.0\.1/);
    assert.equal(home.env.FAKE_PROVIDER_API_KEY, "offline-test-key");
    assert.ok(home.path.startsWith("/var/tmp/"));
    await home[Symbol.asyncDispose]();
    assert.equal(existsSync(home.path), false);
  });
});
