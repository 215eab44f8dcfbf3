import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { RecordedRequest } from "./recorded-request.js";
import { responseEvents } from "./response-events.js";
import { textReply, type ScriptedReply, type StreamReply } from "./scripted-reply.js";

/**
 * A reply computed from the request it answers (its parsed body is `request.body`).
 *
 * @example
 * ```ts
 * const echo: ReplyFunction = (request) => textReply(`You said: ${inputTexts(request).at(-1)}`);
 * provider.setFallback(echo);
 * ```
 */
export type ReplyFunction = (request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>;

/**
 * What can be queued: a fixed reply or a function of the request.
 *
 * @example
 * ```ts
 * const answers: ScriptedAnswer[] = [
 *   execCommandReply("cat notes.txt"),
 *   (request) => textReply(`The file says: ${functionCallOutputs(request)[0]?.output}`),
 * ];
 * provider.enqueue(...answers);
 * ```
 */
export type ScriptedAnswer = ScriptedReply | ReplyFunction;

/**
 * Options of {@link createScriptedProvider}.
 *
 * @example
 * ```ts
 * await using provider = await createScriptedProvider({ replies: [textReply("first")], fallback: httpErrorReply(503) });
 * ```
 */
export interface ScriptedProviderOptions {
  /** Replies for the first `POST /v1/responses` requests, in order. More can be added with `enqueue`. */
  replies?: readonly ScriptedAnswer[];
  /** The answer once the queue is empty. Default: `textReply("ok")`. */
  fallback?: ScriptedAnswer;
  /** The port on 127.0.0.1. Default 0: a free one. */
  port?: number;
  /**
   * How many requests to keep for `requests`, `responsesRequests` and `waitForRequest`: the most recent ones.
   * Codex sends its whole instructions, tools and history with every model call (hundreds of KiB once a
   * thread has a history), so a provider kept for thousands of turns must forget the old ones. Older
   * requests still count (`receivedCount`, the numbering of `waitForRequest`). Default
   * {@link DEFAULT_MAX_RECORDED_REQUESTS} (100); `Infinity` keeps every request; `0` keeps none.
   */
  maxRecordedRequests?: number;
}

/**
 * How many requests a {@link ScriptedProvider} keeps unless told otherwise (`maxRecordedRequests`).
 *
 * @example
 * ```ts
 * await using provider = await createScriptedProvider({ maxRecordedRequests: DEFAULT_MAX_RECORDED_REQUESTS * 10 });
 * ```
 */
export const DEFAULT_MAX_RECORDED_REQUESTS = 100;

/**
 * Options of {@link ScriptedProvider.waitForRequest}.
 *
 * @example
 * ```ts
 * const first = await provider.waitForRequest(1, { path: null, timeoutMs: 5_000 }); // any path
 * ```
 */
export interface WaitForRequestOptions {
  /** Count only requests to this path. Default `/v1/responses`; `null` counts every request. */
  path?: string | null;
  /** Give up after this many milliseconds. Default 10 000. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const RESPONSES_PATH = "/v1/responses";

/** A kept request, with its 1-based position among the requests to its path. */
interface Recorded {
  readonly request: RecordedRequest;
  readonly pathOrdinal: number;
}

/**
 * A scripted OpenAI Responses-API server on 127.0.0.1 for running codex offline: each `POST /v1/responses`
 * gets the next queued reply (or the fallback), streamed as Server-Sent Events; every request, to any path,
 * is recorded. Other paths get a 404 JSON error. Create it with {@link createScriptedProvider}.
 *
 * @example
 * ```ts
 * await using provider = await createScriptedProvider({ replies: [textReply("Hi!", { deltas: 2 })] });
 * // point codex's provider base_url at provider.url, run a turn, then:
 * const request = await provider.waitForRequest(1);
 * assert.equal(inputTexts(request).at(-1), "Say hi");
 * ```
 */
export class ScriptedProvider implements AsyncDisposable {
  readonly #server: Server;
  readonly #queue: ScriptedAnswer[];
  readonly #recorded: Recorded[] = [];
  readonly #maxRecorded: number;
  /** How many requests arrived, in all and by path (since the last `reset`). */
  #received = 0;
  readonly #receivedByPath = new Map<string, number>();
  readonly #waiters = new Set<() => void>();
  readonly #streams = new Set<ServerResponse>();
  #fallback: ScriptedAnswer;
  #closed: Promise<void> | undefined;

  /** Use {@link createScriptedProvider}. */
  constructor(server: Server, options: ScriptedProviderOptions) {
    this.#server = server;
    this.#queue = [...(options.replies ?? [])];
    this.#fallback = options.fallback ?? textReply("ok");
    const max = options.maxRecordedRequests ?? DEFAULT_MAX_RECORDED_REQUESTS;
    if (!(max >= 0)) throw new RangeError(`\`maxRecordedRequests\` must be 0 or more (or Infinity), not ${max}`);
    this.#maxRecorded = max;
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      this.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { message: String(error), type: "scripted_provider_error" } }));
        } else res.destroy();
      });
    });
  }

  /**
   * The base URL to give codex (`base_url` of the provider), e.g. `http://127.0.0.1:40123/v1`.
   *
   * @example
   * ```ts
   * await using home = await createCodexHome({ providerUrl: provider.url });
   * ```
   */
  get url(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /**
   * The port the server listens on.
   *
   * @example
   * ```ts
   * console.log(`scripted provider on 127.0.0.1:${provider.port}`);
   * ```
   */
  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /**
   * The requests received so far, to any path, in arrival order: the last `maxRecordedRequests` of them
   * (default 100); `request.index` keeps counting from the first.
   *
   * @example
   * ```ts
   * console.log(provider.requests.map((request) => `${request.method} ${request.path}`));
   * ```
   */
  get requests(): readonly RecordedRequest[] {
    return this.#recorded.map((entry) => entry.request);
  }

  /**
   * How many requests arrived since the provider started (or since `reset()`), kept or not.
   *
   * @example
   * ```ts
   * assert.equal(provider.receivedCount - provider.requests.length, 0, "no request was forgotten");
   * ```
   */
  get receivedCount(): number {
    return this.#received;
  }

  /**
   * The `POST /v1/responses` requests received so far (one per model call codex made).
   *
   * @example
   * ```ts
   * provider.enqueue(execCommandReply("ls"), textReply("Listed."));
   * await thread.run("List the files.");
   * assert.equal(provider.responsesRequests.length, 2); // the call, then the answer to its output
   * ```
   */
  get responsesRequests(): readonly RecordedRequest[] {
    return this.requests.filter((r) => r.method === "POST" && r.path === RESPONSES_PATH);
  }

  /**
   * How many queued replies have not been used yet.
   *
   * @example
   * ```ts
   * assert.equal(provider.pending, 0, "codex made every model call the test scripted");
   * ```
   */
  get pending(): number {
    return this.#queue.length;
  }

  /**
   * How many reply streams are still open (a `hang` reply, a slow stream).
   *
   * @example
   * ```ts
   * provider.enqueue(textReply("Thinking…", { end: { type: "hang" } }));
   * const handle = await thread.turn("Take your time.");
   * await provider.waitForRequest(1);
   * console.log(provider.openStreams); // 1, until codex hangs up (e.g. after handle.interrupt())
   * ```
   */
  get openStreams(): number {
    return this.#streams.size;
  }

  /**
   * Adds replies for the next `POST /v1/responses` requests.
   *
   * @example
   * ```ts
   * provider.enqueue(execCommandReply("ls"), textReply("listed"));
   * ```
   */
  enqueue(...replies: ScriptedAnswer[]): void {
    this.#queue.push(...replies);
  }

  /**
   * Forgets the queued replies and the recorded requests, and counts requests from 0 again, to reuse one
   * provider across tests (open streams are left alone; the fallback is kept).
   *
   * @example
   * ```ts
   * afterEach(() => provider.reset());
   * ```
   */
  reset(): void {
    this.#queue.length = 0;
    this.#recorded.length = 0;
    this.#received = 0;
    this.#receivedByPath.clear();
  }

  /**
   * Replaces the answer used when the queue is empty.
   *
   * @example
   * ```ts
   * provider.setFallback((request) => textReply(`you sent ${inputTexts(request).at(-1)}`));
   * ```
   */
  setFallback(answer: ScriptedAnswer): void {
    this.#fallback = answer;
  }

  /**
   * Waits until the `count`-th request (1-based) to `/v1/responses` (or to `options.path`) has arrived, and
   * returns it. Rejects on timeout or abort, and at once when that request has already been forgotten
   * (more than `maxRecordedRequests` requests came after it).
   *
   * @example
   * ```ts
   * const second = await provider.waitForRequest(2, { timeoutMs: 5000 });
   * ```
   */
  async waitForRequest(count: number, options: WaitForRequestOptions = {}): Promise<RecordedRequest> {
    const path = options.path === undefined ? RESPONSES_PATH : options.path;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const find = (): RecordedRequest | undefined => {
      const arrived = path === null ? this.#received : (this.#receivedByPath.get(path) ?? 0);
      if (arrived < count) return undefined;
      const entry = this.#recorded.find((e) =>
        path === null ? e.request.index === count - 1 : e.request.path === path && e.pathOrdinal === count,
      );
      if (entry !== undefined) return entry.request;
      throw new RangeError(
        `request #${count} to ${path ?? "any path"} was forgotten: the provider keeps the last ${this.#maxRecorded} requests (raise \`maxRecordedRequests\` to keep more)`,
      );
    };
    const found = find();
    if (found !== undefined) return found;
    options.signal?.throwIfAborted();
    return new Promise<RecordedRequest>((resolve, reject) => {
      const check = (): void => {
        let request: RecordedRequest | undefined;
        try {
          request = find();
        } catch (error) {
          cleanup();
          reject(error);
          return;
        }
        if (request !== undefined) {
          cleanup();
          resolve(request);
        }
      };
      const onAbort = (): void => {
        cleanup();
        reject(options.signal?.reason);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`request #${count} to ${path ?? "any path"} did not arrive within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        options.signal?.removeEventListener("abort", onAbort);
      };
      this.#waiters.add(check);
      options.signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /**
   * Stops the server: open streams are cut, keep-alive connections closed, the port released. Idempotent.
   *
   * @example
   * ```ts
   * const provider = await createScriptedProvider();
   * try {
   *   // … run codex against provider.url …
   * } finally {
   *   await provider.close();
   * }
   * ```
   */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      for (const res of this.#streams) res.destroy();
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    return this.#closed;
  }

  /** Same as {@link ScriptedProvider.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const isResponses = req.method === "POST" && url.pathname === RESPONSES_PATH;
    let answer: ScriptedAnswer | undefined;
    let kind: RecordedRequest["answer"] = "notFound";
    if (isResponses) {
      answer = this.#queue.shift();
      kind = answer === undefined ? "fallback" : "scripted";
      answer ??= this.#fallback;
    }
    const request: RecordedRequest = {
      index: this.#received,
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.search.slice(1),
      headers: req.headers,
      text,
      body: parseJson(text),
      receivedAt: Date.now(),
      answer: kind,
    };
    this.#record(request);
    for (const waiter of [...this.#waiters]) waiter();

    if (answer === undefined) {
      sendJson(res, 404, {
        error: { message: `the scripted provider does not serve ${request.method} ${request.path}`, type: "not_found" },
      });
      return;
    }
    const reply = typeof answer === "function" ? await answer(request) : answer;
    if (reply.kind === "httpError") {
      sendJson(
        res,
        reply.status,
        reply.body ?? { error: { message: `scripted HTTP ${reply.status}`, type: "server_error" } },
        reply.headers,
      );
      return;
    }
    const model = (request.body as { model?: unknown } | undefined)?.model;
    await this.#stream(res, reply, typeof model === "string" ? model : undefined);
  }

  #record(request: RecordedRequest): void {
    this.#received += 1;
    const pathOrdinal = (this.#receivedByPath.get(request.path) ?? 0) + 1;
    this.#receivedByPath.set(request.path, pathOrdinal);
    if (this.#maxRecorded === 0) return;
    this.#recorded.push({ request, pathOrdinal });
    if (this.#recorded.length > this.#maxRecorded) this.#recorded.shift();
  }

  async #stream(res: ServerResponse, reply: StreamReply, model: string | undefined): Promise<void> {
    this.#streams.add(res);
    const gone = new AbortController();
    res.on("close", () => {
      this.#streams.delete(res);
      gone.abort();
    });
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.flushHeaders();
    try {
      for (const event of responseEvents(reply, model === undefined ? {} : { model })) {
        if (event.delayMs > 0) await sleep(event.delayMs, undefined, { signal: gone.signal });
        if (gone.signal.aborted) return;
        if (!res.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`)) {
          await once(res, "drain", { signal: gone.signal });
        }
      }
    } catch (error) {
      if (gone.signal.aborted) return;
      throw error;
    }
    const end = reply.end?.type ?? "completed";
    if (end === "disconnect") res.destroy();
    else if (end !== "hang") res.end();
  }
}

/**
 * Starts a {@link ScriptedProvider} on 127.0.0.1 (a free port unless `port` is given).
 *
 * @example
 * ```ts
 * await using provider = await createScriptedProvider({
 *   replies: [textReply("first"), httpErrorReply(500)],
 *   fallback: (request) => textReply(`echo: ${inputTexts(request).at(-1)}`),
 * });
 * console.log(provider.url); // http://127.0.0.1:PORT/v1
 * ```
 */
export async function createScriptedProvider(options: ScriptedProviderOptions = {}): Promise<ScriptedProvider> {
  const server = createServer({ keepAliveTimeout: 5_000 });
  const provider = new ScriptedProvider(server, options);
  server.listen(options.port ?? 0, "127.0.0.1");
  await once(server, "listening");
  return provider;
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
