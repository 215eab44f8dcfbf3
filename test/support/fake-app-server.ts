import type { AppServerConfig } from "../../src/index.js";
import { JsonRpcPeer } from "../../src/rpc/peer.js";
import type { Notification, ThreadStartResponse, TurnStartParams, TurnStartResponse } from "../../src/schema/index.js";
import { createMemoryTransportPair, type MemoryCloseDetails, type MemoryTransport } from "../../src/transport/index.js";
import { wireTurn } from "./wire-notifications.js";

/** Answers `turn/start`: send notifications with `server.notify`, then return the answer (or throw). */
export type TurnStartHandler = (
  params: TurnStartParams,
  turnId: string,
) => TurnStartResponse | Promise<TurnStartResponse>;

/**
 * An in-process app-server for unit tests of the client: it answers `initialize`, `thread/start` and
 * `turn/start` over a {@link MemoryTransport} pair, and lets the test send notifications and die. Hand
 * `server.transport` to `AsyncCodex` as the config's `transport` factory.
 *
 * @example
 * ```ts
 * const server = new FakeAppServer();
 * await using codex = new AsyncCodex({ transport: server.transport });
 * server.onTurnStart = (params, turnId) => {
 *   server.notify(turnCompleted(params.threadId, turnId));
 *   return { turn: wireTurn(turnId, "inProgress") };
 * };
 * ```
 */
export class FakeAppServer {
  /** How many times the client asked for a transport (a client that respawns would ask again). */
  connections = 0;
  /** The `turn/start` params received, in order. */
  readonly turnStarts: TurnStartParams[] = [];
  /** What `turn/start` does; the default answers at once with the turn `inProgress`. */
  onTurnStart: TurnStartHandler = (_params, turnId) => ({ turn: wireTurn(turnId, "inProgress") });
  /** The `initialize` answer. */
  initializeResult: unknown = {
    userAgent: "fake_app_server/9.8.7 (unit test)",
    codexHome: "/var/tmp/fake-codex-home",
    platformFamily: "unix",
    platformOs: "linux",
  };
  #peer: JsonRpcPeer | undefined;
  #end: MemoryTransport | undefined;
  #threads = 0;
  #turns = 0;

  /** The `transport` factory of {@link AppServerConfig}. */
  readonly transport: NonNullable<AppServerConfig["transport"]> = () => {
    this.connections++;
    const [client, server] = createMemoryTransportPair();
    const peer = new JsonRpcPeer(server, { requestTimeoutMs: 10_000 });
    peer.onRequest("initialize", () => this.initializeResult);
    peer.onRequest("thread/start", () => threadStartResponse(`thr_${++this.#threads}`));
    peer.onRequest<TurnStartParams, TurnStartResponse>("turn/start", (params) => {
      this.turnStarts.push(params);
      return this.onTurnStart(params, `turn_${++this.#turns}`);
    });
    peer.onRequest("turn/interrupt", () => ({}));
    peer.onRequest<{ expectedTurnId: string }>("turn/steer", (params) => ({ turnId: params.expectedTurnId }));
    this.#peer = peer;
    this.#end = server;
    return client;
  };

  /** Sends a notification to the client. */
  notify(notification: Notification | { method: string; params: unknown }): void {
    this.#connected().notify(notification.method, notification.params);
  }

  /** Sends a server request (an approval, say) to the client and resolves with its answer. */
  request<R = unknown>(method: string, params: unknown): Promise<R> {
    return this.#connected().request<R>(method, params);
  }

  /** The app-server dies: its end of the connection closes (with an exit code and stderr, as a crash would). */
  async die(
    details: MemoryCloseDetails = { exitCode: 101, stderrTail: "thread 'main' panicked: fake crash\n" },
  ): Promise<void> {
    if (this.#end === undefined) throw new Error("the fake app-server is not connected");
    await this.#end.close(details);
  }

  #connected(): JsonRpcPeer {
    if (this.#peer === undefined) throw new Error("the fake app-server is not connected: start the client first");
    return this.#peer;
  }
}

/** A `thread/start` answer for thread `id`, valid for the pinned schema. */
export function threadStartResponse(id: string): ThreadStartResponse {
  return {
    thread: {
      id,
      sessionId: id,
      preview: "",
      ephemeral: false,
      projectId: null,
      modelProvider: "fake",
      model: "fake-model",
      createdAt: 1,
      updatedAt: 1,
      status: { type: "idle" },
      path: null,
      cwd: "/var/tmp/fake-cwd",
      cliVersion: "9.8.7",
      source: "vscode",
      name: null,
      turns: [],
    },
    model: "fake-model",
    modelProvider: "fake",
    cwd: "/var/tmp/fake-cwd",
    approvalPolicy: "never",
    approvalsReviewer: "user",
    sandbox: { type: "readOnly", networkAccess: false },
  };
}
