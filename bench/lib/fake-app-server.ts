import { PassThrough } from "node:stream";
import { setImmediate as nextMacrotask } from "node:timers/promises";
import { JsonRpcPeer } from "../../src/rpc/peer.js";
import { createMemoryTransportPair, type MemoryTransport } from "../../src/transport/memory-transport.js";
import { StreamTransport } from "../../src/transport/stream-transport.js";
import type { Transport } from "../../src/transport/transport.js";
import { threadIdOf, TurnLines, turnIds, turnNotifications } from "./turn-fixture.js";

/**
 * How the fake app-server reaches the client:
 * - `memory`: a {@link MemoryTransport} pair (the server's `send` runs `JSON.stringify`, the client's end
 *   `JSON.parse`; no line framing);
 * - `stream`: a {@link StreamTransport} over in-memory byte streams: the server writes pre-encoded JSONL in
 *   pipe-sized chunks cut at arbitrary byte offsets, and the client frames, parses and routes them exactly as
 *   it does a child's stdout.
 */
export type Wire = "memory" | "stream";

/** Options of {@link FakeAppServer}. */
export interface FakeAppServerOptions {
  readonly wire: Wire;
  /** Bytes delivered per macrotask, as one read of a pipe would (64 KiB by default). */
  readonly chunkBytes?: number;
  /** Called when the client starts a turn; the default emits the turn's notifications at once. */
  readonly onTurnStart?: (turn: StartedTurn) => void;
}

/** A turn the client started on the fake server. */
export interface StartedTurn {
  readonly threadId: string;
  readonly index: number;
  readonly turnId: string;
}

const USER_AGENT = "codex_bench_fake/0.169.0 (bench; in-process)";

/**
 * An in-process stand-in for `codex app-server`: answers `initialize`, `thread/start` and `turn/start`, and
 * plays each started turn's notifications (see `turnNotifications`), interleaving several turns
 * round-robin when asked. It counts what it sent, so a benchmark can divide by it.
 *
 * @example
 * ```ts
 * const server = new FakeAppServer({ wire: "stream" });
 * await using codex = new AsyncCodex({ transport: () => server.transport });
 * const thread = await codex.threadStart();
 * for await (const n of (await thread.turn("hi")).stream()) count++;
 * ```
 */
export class FakeAppServer {
  readonly wire: Wire;
  /** The client's end: pass `() => server.transport` as `AppServerConfig.transport`. */
  readonly transport: Transport;
  /** Notifications sent so far. */
  notificationsSent = 0;
  /** Bytes of JSONL sent so far (one line per notification, newline included). */
  bytesSent = 0;
  onTurnStart: (turn: StartedTurn) => void;
  readonly #chunkBytes: number;
  readonly #peer: JsonRpcPeer;
  readonly #toClient: PassThrough | null = null;
  readonly #serverEnd: MemoryTransport | null = null;
  readonly #lines = new Map<string, TurnLines>();
  #threads = 0;
  #turns = 0;

  constructor(options: FakeAppServerOptions) {
    this.wire = options.wire;
    this.#chunkBytes = options.chunkBytes ?? 64 * 1024;
    this.onTurnStart = options.onTurnStart ?? ((turn) => void this.emit([turn]));
    if (options.wire === "memory") {
      const [clientEnd, serverEnd] = createMemoryTransportPair();
      this.transport = clientEnd;
      this.#serverEnd = serverEnd;
      this.#peer = new JsonRpcPeer(serverEnd, { requestTimeoutMs: Infinity });
    } else {
      const toClient = new PassThrough({ highWaterMark: this.#chunkBytes });
      const fromClient = new PassThrough();
      this.transport = new StreamTransport({ input: toClient, output: fromClient });
      this.#toClient = toClient;
      this.#peer = new JsonRpcPeer(new StreamTransport({ input: fromClient, output: toClient }), {
        requestTimeoutMs: Infinity,
      });
    }
    this.#peer.onRequest("initialize", () => ({
      userAgent: USER_AGENT,
      codexHome: "/var/tmp/codex-bench-home",
      platformFamily: "unix",
      platformOs: "linux",
    }));
    this.#peer.onRequest("thread/start", () => {
      const threadId = threadIdOf(this.#threads++);
      return {
        thread: { id: threadId, preview: "", ephemeral: false, modelProvider: "fake", createdAt: 0, updatedAt: 0 },
      };
    });
    this.#peer.onRequest("turn/start", (params) => {
      const threadId = (params as { threadId: string }).threadId;
      const index = this.#turns++;
      const turnId = turnIds(threadId, index).turnId;
      setImmediate(() => this.onTurnStart({ threadId, index, turnId }));
      return {
        turn: {
          id: turnId,
          rootTurnId: turnId,
          items: [],
          itemsView: "notLoaded",
          status: "inProgress",
          error: null,
          startedAt: null,
          completedAt: null,
          durationMs: null,
        },
      };
    });
  }

  /** How many notifications one turn has, and their bytes. */
  get turnShape(): { notifications: number; bytes: number } {
    const lines = this.#linesOf(threadIdOf(0));
    return { notifications: lines.count, bytes: lines.bytes };
  }

  /**
   * Sends the notifications of these turns, one notification of each turn in turn (round-robin), in
   * `chunkBytes` pieces, one piece per macrotask. `midway` is called once, halfway through (between two
   * pieces), with nothing of the server's own left on the heap but what is still to send.
   *
   * @example
   * ```ts
   * server.onTurnStart = (turn) => void server.emit([turn], { midway: () => console.log(liveHeap()) });
   * ```
   */
  async emit(turns: readonly StartedTurn[], options: { midway?: () => void } = {}): Promise<void> {
    const perTurn = turns.map((turn) => this.#linesOf(turn.threadId).lines(turn.index));
    const order: { turn: number; line: number }[] = [];
    const longest = Math.max(...perTurn.map((lines) => lines.length));
    for (let line = 0; line < longest; line++) {
      for (let turn = 0; turn < perTurn.length; turn++) if (line < perTurn[turn]!.length) order.push({ turn, line });
    }
    if (this.#toClient !== null) {
      const bytes = Buffer.from(`${order.map(({ turn, line }) => perTurn[turn]![line]!).join("\n")}\n`);
      this.notificationsSent += order.length;
      perTurn.length = 0;
      order.length = 0;
      await this.#emitBytes(bytes, options.midway);
    } else {
      await this.#emitObjects(turns, perTurn, order, options.midway);
    }
  }

  /** Ends the server's side (after the client has closed). */
  async close(): Promise<void> {
    await this.#peer.close();
  }

  async #emitBytes(bytes: Buffer, midway: (() => void) | undefined): Promise<void> {
    this.bytesSent += bytes.length;
    const half = bytes.length >> 1;
    const cuts: number[] = [];
    for (let at = 0; at < bytes.length; at += this.#chunkBytes) cuts.push(at);
    if (midway !== undefined && !cuts.includes(half)) cuts.push(half);
    cuts.sort((a, b) => a - b);
    for (let index = 0; index < cuts.length; index++) {
      if (index > 0) await nextMacrotask();
      if (midway !== undefined && cuts[index] === half) midway();
      this.#toClient!.write(bytes.subarray(cuts[index], cuts[index + 1] ?? bytes.length));
    }
  }

  async #emitObjects(
    turns: readonly StartedTurn[],
    perTurn: string[][],
    order: { turn: number; line: number }[],
    midway: (() => void) | undefined,
  ): Promise<void> {
    const objects = turns.map((turn) => turnNotifications(turnIds(turn.threadId, turn.index)));
    let pending = 0;
    let sent = 0;
    for (const { turn, line } of order) {
      const size = perTurn[turn]![line]!.length + 1;
      if (pending > 0 && pending + size > this.#chunkBytes) {
        pending = 0;
        await nextMacrotask();
        if (midway !== undefined && sent >= order.length / 2) {
          midway();
          midway = undefined;
        }
      }
      sent++;
      pending += size;
      this.bytesSent += size;
      this.notificationsSent++;
      this.#serverEnd!.send(objects[turn]![line]!);
    }
  }

  #linesOf(threadId: string): TurnLines {
    let lines = this.#lines.get(threadId);
    if (lines === undefined) {
      lines = new TurnLines(threadId);
      this.#lines.set(threadId, lines);
    }
    return lines;
  }
}
