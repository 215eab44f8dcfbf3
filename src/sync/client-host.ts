import { AsyncCodex } from "../client/async-codex.js";
import type { AsyncThread } from "../client/async-thread.js";
import type { AsyncTurnHandle } from "../client/async-turn-handle.js";
import type { AsyncGoalHandle } from "../client/goal.js";
import type { AsyncChatgptLoginHandle, AsyncDeviceCodeLoginHandle } from "../client/login.js";
import { AppServerError } from "../errors/app-server-error.js";
import { connectTransport } from "../transport/connect.js";
import { traceFileOf } from "../observe/trace-file.js";
import { StdioTransport } from "../transport/stdio-transport.js";
import type { Transport } from "../transport/transport.js";
import type { ClientNews, WireDiagnostic, WireRestartEvent } from "./messages.js";
import { ServerRequestRelay } from "./server-request-relay.js";
import { StreamBatches } from "./stream-batches.js";
import { workerSideEnv, type WireConfig } from "./wire-config.js";
import { toWire } from "./wire-error.js";

const MAX_HELD_DIAGNOSTICS = 1_000;

interface HostedTurn {
  readonly handle: AsyncTurnHandle;
  stream: StreamBatches | null;
}

interface HostedGoal {
  readonly handle: AsyncGoalHandle;
  stream: StreamBatches | null;
}

/**
 * Worker side: one sync client's `AsyncCodex`, with the threads and turn handles the caller addresses by id,
 * the relay of its server requests, and the news (diagnostics, exited processes) for the caller's next call.
 */
export class ClientHost {
  readonly id: number;
  readonly codex: AsyncCodex;
  readonly relay: ServerRequestRelay;
  readonly #threads = new Map<string, AsyncThread>();
  readonly #logins = new Map<string, AsyncChatgptLoginHandle | AsyncDeviceCodeLoginHandle>();
  readonly #turns = new Map<string, HostedTurn>();
  /** Goal handles by key (`goal:<n>`: a thread may run several goals one after the other). */
  readonly #goals = new Map<string, HostedGoal>();
  #goalCount = 0;
  #diagnostics: WireDiagnostic[] = [];
  #exitedPids: number[] = [];
  #startedPids: number[] = [];
  #restartEvents: WireRestartEvent[] = [];
  #pid: number | null = null;

  constructor(id: number, wire: WireConfig) {
    this.id = id;
    this.relay = new ServerRequestRelay(wire.forwardServerRequests);
    const { connect, ...options } = wire.options;
    const launch = { ...options, env: workerSideEnv(wire) };
    this.codex = new AsyncCodex({
      ...options,
      // The caller's environment, not the worker's older copy, decides whether CODEX_APP_SERVER_TRACE is set.
      traceFile: options.traceFile ?? traceFileOf(undefined, wire.callerEnv) ?? false,
      approvalHandler: this.relay.handler,
      transport:
        connect === undefined
          ? async () => this.#observe(await StdioTransport.start(launch))
          : ({ signal }) => connectTransport(connect, { signal, env: launch.env }),
    });
    this.codex.on("diagnostic", ({ data }) => {
      const { error, ...rest } = data as { error?: unknown };
      this.#diagnostics.push({ ...rest, ...(error === undefined ? {} : { error: toWire(error) }) } as WireDiagnostic);
      if (this.#diagnostics.length > MAX_HELD_DIAGNOSTICS) this.#diagnostics.shift();
    });
    for (const name of ["restarting", "restarted", "threadResumed", "turnLost"] as const) {
      this.codex.on(name, ({ data }) => {
        const cloneable = name === "restarting" ? restartingOnWire(data as RestartingData) : data;
        this.#restartEvents.push({ name, data: toWire(cloneable) });
        if (this.#restartEvents.length > MAX_HELD_DIAGNOSTICS) this.#restartEvents.shift();
      });
    }
  }

  /** The app-server's process id, once started. */
  get pid(): number | null {
    return this.#pid;
  }

  /** Keeps a thread the caller will address by id; returns that id. */
  holdThread(thread: AsyncThread): string {
    this.#threads.set(thread.id, thread);
    return thread.id;
  }

  /** The thread with that id (one the caller got from this client). */
  thread(threadId: string): AsyncThread {
    const thread = this.#threads.get(threadId);
    if (thread === undefined) throw new AppServerError(`thread ${threadId} is not known to this sync client.`);
    return thread;
  }

  /** Keeps a login handle the caller will address by login id. */
  holdLogin<L extends AsyncChatgptLoginHandle | AsyncDeviceCodeLoginHandle>(login: L): L {
    this.#logins.set(login.loginId, login);
    return login;
  }

  /** The login handle with that id. */
  login(loginId: string): AsyncChatgptLoginHandle | AsyncDeviceCodeLoginHandle {
    const login = this.#logins.get(loginId);
    if (login === undefined) throw new AppServerError(`login ${loginId} is not known to this sync client.`);
    return login;
  }

  /** Keeps a turn handle the caller will address by turn id; returns that id. */
  holdTurn(handle: AsyncTurnHandle): string {
    if (!this.#turns.has(handle.id)) this.#turns.set(handle.id, { handle, stream: null });
    return handle.id;
  }

  /** The turn handle with that id. */
  turn(turnId: string): HostedTurn {
    const turn = this.#turns.get(turnId);
    if (turn === undefined)
      throw new AppServerError(`turn ${turnId} is not known to this sync client (its handle was released).`);
    return turn;
  }

  /** Keeps a goal handle the caller will address by the key returned. */
  holdGoal(handle: AsyncGoalHandle): string {
    const key = `goal:${++this.#goalCount}`;
    this.#goals.set(key, { handle, stream: null });
    return key;
  }

  /** The goal handle with that key. */
  goal(key: string): HostedGoal {
    const goal = this.#goals.get(key);
    if (goal === undefined)
      throw new AppServerError(`goal ${key} is not known to this sync client (its handle was released).`);
    return goal;
  }

  /** The caller dropped these turns' (or goals') handles: stop reading their streams and forget them. */
  releaseTurns(turnIds: readonly string[]): void {
    for (const turnId of turnIds) {
      this.#turns.get(turnId)?.stream?.close();
      this.#turns.delete(turnId);
      this.#goals.get(turnId)?.stream?.close();
      this.#goals.delete(turnId);
    }
  }

  /** What the caller should learn with its next answer (and no longer holds here). */
  takeNews(): ClientNews | undefined {
    if (
      this.#diagnostics.length + this.#exitedPids.length + this.#startedPids.length + this.#restartEvents.length ===
      0
    )
      return undefined;
    const news: ClientNews = {
      ...(this.#diagnostics.length === 0 ? {} : { diagnostics: this.#diagnostics }),
      ...(this.#exitedPids.length === 0 ? {} : { exitedPids: this.#exitedPids }),
      ...(this.#startedPids.length === 0 ? {} : { startedPids: this.#startedPids }),
      ...(this.#restartEvents.length === 0 ? {} : { restartEvents: this.#restartEvents }),
    };
    this.#diagnostics = [];
    this.#exitedPids = [];
    this.#startedPids = [];
    this.#restartEvents = [];
    return news;
  }

  /** Ends the app-server and forgets everything. */
  async close(): Promise<void> {
    try {
      await this.codex.close();
    } finally {
      this.relay.clear();
      this.releaseTurns([...this.#turns.keys(), ...this.#goals.keys()]);
      this.#threads.clear();
      this.#logins.clear();
    }
  }

  /** Learns the process id, and when the process is gone (its connection closed), tells the caller. */
  #observe(transport: StdioTransport): Transport {
    this.#pid = transport.pid;
    const pid = transport.pid;
    this.#startedPids.push(pid);
    return {
      listen: (listener) =>
        transport.listen({
          message: (message) => listener.message(message),
          diagnostic: (diagnostic) => listener.diagnostic(diagnostic),
          close: (info) => {
            this.#exitedPids.push(pid);
            listener.close(info);
          },
        }),
      send: (message) => transport.send(message),
      close: () => transport.close(),
      get closeInfo() {
        return transport.closeInfo;
      },
      [Symbol.asyncDispose]: () => transport[Symbol.asyncDispose](),
    };
  }
}

interface RestartingData {
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
}

/** A `restarting` event's data with its error made cloneable for the worker boundary. */
function restartingOnWire({ attempt, delayMs, error }: RestartingData): object {
  return { attempt, delayMs, error: toWire(error) };
}
