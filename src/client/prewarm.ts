import type { ProtocolDiagnostic } from "../rpc/diagnostic.js";
import type { JsonRpcPeer } from "../rpc/peer.js";
import type { TraceEvent, TraceHook } from "../rpc/trace.js";
import type { Notification } from "../schema/index.js";
import type { AppServerConfig } from "./config.js";
import { openConnection, type Connection, type ConnectionListeners } from "./connection.js";

/**
 * An app-server started and initialised ahead of time, waiting for a client. What it sends before a client
 * takes it (`configWarning`, `remoteControl/status/changed`) is kept and handed to that client.
 */
class Spare {
  readonly #controller = new AbortController();
  readonly #notifications: Notification[] = [];
  readonly #diagnostics: ProtocolDiagnostic[] = [];
  readonly #traced: TraceEvent[] = [];
  #listeners: ConnectionListeners | null = null;
  #trace: TraceHook | null = null;
  #peer: JsonRpcPeer | null = null;
  #exited = false;
  readonly opened: Promise<Connection>;

  constructor(config: AppServerConfig) {
    // Its messages (the handshake) are traced to the client that takes it, from then on as they come.
    const trace: TraceHook = (event) => (this.#trace === null ? this.#traced.push(event) : this.#trace(event));
    this.opened = openConnection(
      { ...config, trace },
      {
        signal: this.#controller.signal,
        notification: (notification) =>
          this.#listeners === null
            ? this.#notifications.push(notification)
            : this.#listeners.notification(notification),
        diagnostic: (diagnostic) =>
          this.#listeners === null ? this.#diagnostics.push(diagnostic) : this.#listeners.diagnostic(diagnostic),
        serverRequests: { attach: (peer) => (this.#peer = peer) },
      },
    );
    // A spare that fails to start, or exits while it waits, is noticed by the client that would take it.
    this.opened.then((connection) => connection.peer.closed.then(() => (this.#exited = true))).catch(() => {});
  }

  /** Hands the connection to a client: its listeners get what arrived so far, then everything after. */
  async take(listeners: ConnectionListeners, trace: TraceHook): Promise<Connection> {
    const connection = await this.opened;
    if (this.#exited) throw new Error("the spare app-server has exited");
    for (const event of this.#traced.splice(0)) trace(event);
    this.#trace = trace;
    this.#listeners = listeners;
    listeners.serverRequests.attach(this.#peer ?? connection.peer);
    for (const notification of this.#notifications.splice(0)) listeners.notification(notification);
    for (const diagnostic of this.#diagnostics.splice(0)) listeners.diagnostic(diagnostic);
    return connection;
  }

  /** Ends the spare (or its start). */
  async close(): Promise<void> {
    this.#controller.abort(new Error("the spare app-server is no longer needed"));
    const connection = await this.opened.catch(() => undefined);
    await connection?.peer.close();
  }
}

/** Clients with `prewarm: true` of one launch config, and the spare kept ready for them. */
interface Pool {
  clients: number;
  spare: Spare | null;
}

const pools = new Map<string, Pool>();

/** The launch config as a key: clients that would start the same app-server share a spare. */
function launchKey(config: AppServerConfig): string {
  return JSON.stringify([
    config.codexBin,
    config.launchArgsOverride,
    config.configOverrides,
    config.env === undefined ? undefined : Object.entries(config.env).sort(([a], [b]) => (a < b ? -1 : 1)),
    config.cwd,
    config.clientName,
    config.clientTitle,
    config.clientVersion,
    config.experimentalApi,
    config.optOutNotificationMethods,
  ]);
}

/**
 * The spare app-servers of `prewarm: true` clients: one per launch config, for the whole process. A client
 * joins when it first starts and leaves when it closes; its starts (the first one and any restart) take the
 * spare when one is ready, else start an app-server as usual, and then start the next spare in the background.
 * The spare is ended when the last client of its config leaves, so nothing outlives the clients.
 */
export class PrewarmedStarts {
  readonly #config: AppServerConfig;
  readonly #key: string;
  #joined = false;

  constructor(config: AppServerConfig) {
    this.#config = config;
    this.#key = launchKey(config);
  }

  /** An initialised connection: the spare when one is ready or starting, else a fresh one; then a new spare starts. */
  async open(listeners: ConnectionListeners, trace: TraceHook): Promise<Connection> {
    let pool = pools.get(this.#key);
    if (!this.#joined) {
      if (pool === undefined) pools.set(this.#key, (pool = { clients: 0, spare: null }));
      pool.clients++;
      this.#joined = true;
    }
    const spare = pool!.spare;
    pool!.spare = null;
    let connection: Connection | undefined;
    if (spare !== null) connection = await spare.take(listeners, trace).catch(() => undefined);
    if (connection === undefined) {
      void spare?.close();
      connection = await openConnection({ ...this.#config, trace }, listeners);
    }
    // Read again: while this start waited, the last client may have left (no spare then) or another start of
    // the same config may have started the next spare already.
    const current = pools.get(this.#key);
    if (current !== undefined && current.clients > 0 && current.spare === null) current.spare = new Spare(this.#config);
    return connection;
  }

  /** This client closed: when it was the last one of its config, the spare ends. */
  async leave(): Promise<void> {
    if (!this.#joined) return;
    this.#joined = false;
    const pool = pools.get(this.#key);
    if (pool === undefined || --pool.clients > 0) return;
    pools.delete(this.#key);
    await pool.spare?.close();
  }
}
