/**
 * The floor: the least a client of `codex app-server` can do. It spawns the binary, writes one JSON object per
 * line on stdin, splits stdout at newlines, matches answers to requests by id and hands every notification to
 * one callback. No validation, no state machines, no events, no timeouts, no retries: what any client of this
 * server must at least pay, so the side-by-side (bench/peers.ts) can say how far above it the others are.
 *
 * Only node: built-ins and erasable TypeScript, so plain `node` runs it without a loader.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

/** A server notification as read from the wire. */
export interface RawNotification {
  readonly method: string;
  readonly params?: { readonly [key: string]: unknown };
}

interface Pending {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
}

/**
 * One app-server over stdio, spoken to in raw JSON lines.
 *
 * @example
 * ```ts
 * const server = new RawAppServer("/path/to/codex", env, cwd);
 * await server.initialize();
 * const { thread } = (await server.request("thread/start", {})) as { thread: { id: string } };
 * ```
 */
export class RawAppServer {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #buffered = "";
  /** Receives every notification (messages with a method and no id). */
  onNotification: (notification: RawNotification) => void = () => {};

  constructor(codexBin: string, env: Record<string, string>, cwd: string) {
    this.#child = spawn(codexBin, ["app-server", "--listen", "stdio://"], {
      env,
      cwd,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.#child.stdout.setEncoding("utf8");
    this.#child.stdout.on("data", (chunk: string) => this.#read(chunk));
    this.#child.stderr.resume();
    this.#child.on("exit", () => {
      for (const pending of this.#pending.values()) pending.reject(new Error("the app-server exited"));
      this.#pending.clear();
    });
  }

  /** Sends `initialize` (the same clientInfo and capabilities as the library) and then `initialized`. */
  async initialize(): Promise<unknown> {
    const answer = await this.request("initialize", {
      clientInfo: { name: "raw_jsonl_client", title: "Raw JSONL client", version: "0.0.0" },
      capabilities: { experimentalApi: true },
    });
    this.#write({ method: "initialized" });
    return answer;
  }

  /** Sends a request and resolves with its result (rejects with the error's message). */
  request(method: string, params: unknown): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#write({ id, method, params });
    });
  }

  /** Ends stdin and waits for the process to exit (SIGKILL after 2 s). */
  async close(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once("exit", () => resolve()));
    this.#child.stdin.end();
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), 2_000);
    await exited;
    clearTimeout(timer);
  }

  #write(message: unknown): void {
    this.#child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  #read(chunk: string): void {
    let text = this.#buffered + chunk;
    let newline = text.indexOf("\n");
    while (newline !== -1) {
      const line = text.slice(0, newline);
      text = text.slice(newline + 1);
      if (line !== "")
        this.#dispatch(
          JSON.parse(line) as {
            id?: number;
            method?: string;
            params?: never;
            result?: unknown;
            error?: { message: string };
          },
        );
      newline = text.indexOf("\n");
    }
    this.#buffered = text;
  }

  #dispatch(message: {
    id?: number;
    method?: string;
    params?: never;
    result?: unknown;
    error?: { message: string };
  }): void {
    if (message.method !== undefined) {
      // A server request (it has an id) would need an answer; the benchmark's turns never ask for approval.
      if (message.id === undefined) this.onNotification(message as RawNotification);
      return;
    }
    const pending = message.id === undefined ? undefined : this.#pending.get(message.id);
    if (pending === undefined) return;
    this.#pending.delete(message.id!);
    if (message.error !== undefined) pending.reject(new Error(message.error.message));
    else pending.resolve(message.result);
  }
}
