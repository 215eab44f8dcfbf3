import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";

/** A message the app-server sent, classified; a response carries the method of the request it answers. */
export type ReceivedMessage =
  | { kind: "notification"; method: string; params: unknown; raw: Record<string, unknown> }
  | { kind: "request"; id: number | string; method: string; params: unknown; raw: Record<string, unknown> }
  | {
      kind: "response";
      id: number | string;
      method: string;
      result?: unknown;
      error?: { code: number; message: string; data?: unknown };
      raw: Record<string, unknown>;
    };

/** A JSON-RPC error answer to one of our requests. */
export class RawRpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(`${method} failed (${code}): ${message}`);
  }
}

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Options of {@link RawPeer.start}. */
export interface RawPeerOptions {
  command: string;
  args: readonly string[];
  env: Record<string, string>;
  cwd: string;
  /** Answers server→client requests; return `undefined` to leave one unanswered. Default: no answer. */
  onServerRequest?: (message: Extract<ReceivedMessage, { kind: "request" }>) => unknown;
}

/**
 * A few lines of raw JSONL over the app-server's stdio, for end-to-end tests until the JSON-RPC layer exists:
 * requests with a timeout, every received message kept in order, waiting for a message, killing by pid.
 */
export class RawPeer {
  readonly child: ChildProcessWithoutNullStreams;
  readonly received: ReceivedMessage[] = [];
  /** Lines that were not JSON objects (should stay empty). */
  readonly garbage: string[] = [];
  stderr = "";
  readonly #pending = new Map<number, Pending>();
  readonly #waiters = new Set<() => void>();
  #nextId = 1;
  #onServerRequest: RawPeerOptions["onServerRequest"];
  readonly exited: Promise<void>;

  private constructor(child: ChildProcessWithoutNullStreams, options: RawPeerOptions) {
    this.child = child;
    this.#onServerRequest = options.onServerRequest;
    this.exited = once(child, "exit").then(() => {
      for (const [, pending] of this.#pending) {
        clearTimeout(pending.timer);
        pending.reject(new Error(`app-server exited while ${pending.method} was pending; stderr:\n${this.stderr}`));
      }
      this.#pending.clear();
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-20_000);
    });
    createInterface({ input: child.stdout }).on("line", (line) => this.#onLine(line));
  }

  /** Spawns the app-server. */
  static start(options: RawPeerOptions): RawPeer {
    const child = spawn(options.command, options.args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ["pipe", "pipe", "pipe"],
    });
    return new RawPeer(child, options);
  }

  get pid(): number {
    const pid = this.child.pid;
    if (pid === undefined) throw new Error("app-server did not start");
    return pid;
  }

  set onServerRequest(handler: RawPeerOptions["onServerRequest"]) {
    this.#onServerRequest = handler;
  }

  /** Sends a request and waits for its answer; an error answer rejects with {@link RawRpcError}. */
  request<T = Record<string, unknown>>(method: string, params?: unknown, timeoutMs = 10_000): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${method} (id ${id}) got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject, timer });
      this.send(params === undefined ? { id, method } : { id, method, params });
    });
  }

  notify(method: string, params?: unknown): void {
    this.send(params === undefined ? { method } : { method, params });
  }

  send(message: Record<string, unknown>): void {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  /** Waits for a received message (from index `from` on) that matches. */
  waitFor(
    predicate: (message: ReceivedMessage) => boolean,
    options: { timeoutMs?: number; from?: number; what?: string } = {},
  ): Promise<ReceivedMessage> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    let scanned = options.from ?? 0;
    return new Promise((resolve, reject) => {
      const check = (): void => {
        for (; scanned < this.received.length; scanned++) {
          const message = this.received[scanned]!;
          if (predicate(message)) {
            cleanup();
            resolve(message);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${options.what ?? "matching message"} within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Waits for a notification of this method whose params match. */
  waitForNotification(
    method: string,
    match: (params: Record<string, unknown>) => boolean = () => true,
    options: { timeoutMs?: number; from?: number } = {},
  ): Promise<Record<string, unknown>> {
    return this.waitFor(
      (m) => m.kind === "notification" && m.method === method && match(m.params as Record<string, unknown>),
      { ...options, what: method },
    ).then((m) => (m as { params: Record<string, unknown> }).params);
  }

  /** Ends the process by pid (SIGTERM, then SIGKILL after `graceMs`) and waits until it has exited. */
  async kill(graceMs = 2_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.stdin.end();
    process.kill(this.pid, "SIGTERM");
    const timer = setTimeout(() => {
      try {
        process.kill(this.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** The pids of this process and all its descendants (Linux `/proc`; elsewhere just the process). */
  descendants(): number[] {
    const children = new Map<number, number[]>();
    let entries: string[];
    try {
      entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
    } catch {
      return [this.pid];
    }
    for (const name of entries) {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
      } catch {
        // the process ended meanwhile
      }
    }
    const tree = [this.pid];
    for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
    return tree;
  }

  /** Whether a process with this pid still exists (a zombie counts as gone). */
  static isAlive(pid: number): boolean {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
    } catch {
      return true;
    }
  }

  #onLine(line: string): void {
    if (line.trim() === "") return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      this.garbage.push(line);
      return;
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      this.garbage.push(line);
      return;
    }
    const message = raw as Record<string, unknown>;
    const id = message.id as number | string | undefined;
    const method = message.method;
    if (typeof method === "string" && id !== undefined) {
      const request = { kind: "request" as const, id, method, params: message.params, raw: message };
      this.received.push(request);
      const answer = this.#onServerRequest?.(request);
      if (answer !== undefined) this.send({ id, result: answer });
    } else if (typeof method === "string") {
      this.received.push({ kind: "notification", method, params: message.params, raw: message });
    } else if (typeof id === "number" && this.#pending.has(id)) {
      const pending = this.#pending.get(id)!;
      this.#pending.delete(id);
      clearTimeout(pending.timer);
      const error = message.error as { code: number; message: string } | undefined;
      const response: ReceivedMessage = { kind: "response", id, method: pending.method, raw: message };
      if (error !== undefined) response.error = error;
      else response.result = message.result;
      this.received.push(response);
      if (error !== undefined) pending.reject(new RawRpcError(pending.method, error.code, error.message));
      else pending.resolve(message.result);
    } else {
      this.garbage.push(line);
    }
    for (const waiter of [...this.#waiters]) waiter();
  }
}
