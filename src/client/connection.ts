import { ConnectError } from "../errors/connect-error.js";
import { TransportClosedError } from "../errors/transport-closed-error.js";
import type { ProtocolDiagnostic } from "../rpc/diagnostic.js";
import { JsonRpcPeer } from "../rpc/peer.js";
import type { InitializeParams, InitializeResponse, Notification } from "../schema/index.js";
import { connectTransport } from "../transport/connect.js";
import { StdioTransport } from "../transport/stdio-transport.js";
import { VERSION } from "../version.js";
import type { AppServerConfig } from "./config.js";
import { toMetadata, type AppServerMetadata } from "./metadata.js";
import { requestCodex } from "./rpc-error.js";
import type { ServerRequestRouter } from "./server-request-router.js";

/** A started, initialised app-server. */
export interface Connection {
  readonly peer: JsonRpcPeer;
  readonly metadata: AppServerMetadata;
  /** The app-server's process id when this client spawned it (stdio); `null` for a transport of your own. */
  readonly pid: number | null;
}

/** Where a connection's traffic goes. */
export interface ConnectionListeners {
  /** Aborts the start: the process is ended and the start rejects. */
  readonly signal: AbortSignal;
  readonly notification: (notification: Notification) => void;
  readonly diagnostic: (diagnostic: ProtocolDiagnostic) => void;
  /** Answers the server's requests; attached before the handshake. */
  readonly serverRequests: Pick<ServerRequestRouter, "attach">;
}

/**
 * Spawns the app-server (or calls the config's `transport` factory), runs `initialize` and sends
 * `initialized`: the one connection factory, called for the first start and for every restart. On any
 * failure, or when `signal` aborts, the process is ended before the promise rejects: nothing is left running.
 */
export async function openConnection(config: AppServerConfig, listeners: ConnectionListeners): Promise<Connection> {
  const { signal } = listeners;
  signal.throwIfAborted();
  const transport =
    config.connect !== undefined
      ? await connectTransport(config.connect, { signal, env: config.env })
      : config.transport === undefined
        ? await StdioTransport.start(config)
        : await config.transport({ signal });
  const peer = new JsonRpcPeer(transport, { requestTimeoutMs: config.requestTimeoutMs, trace: config.trace });
  try {
    signal.throwIfAborted();
    peer.onNotification((message) => listeners.notification(message as Notification));
    peer.onDiagnostic(listeners.diagnostic);
    listeners.serverRequests.attach(peer);
    const params: InitializeParams = {
      clientInfo: {
        name: config.clientName ?? "codex_app_server_ts",
        title: config.clientTitle ?? "Codex App Server TypeScript SDK",
        version: config.clientVersion ?? VERSION,
      },
      capabilities: {
        experimentalApi: config.experimentalApi ?? false,
        ...(config.optOutNotificationMethods === undefined
          ? {}
          : { optOutNotificationMethods: [...config.optOutNotificationMethods] }),
      },
    };
    const answer = await requestCodex<InitializeResponse>(peer, "initialize", params, { signal });
    const metadata = toMetadata(answer);
    peer.notify("initialized");
    return { peer, metadata, pid: transport instanceof StdioTransport ? transport.pid : null };
  } catch (error) {
    const info = await peer.close();
    // A socket whose first frame was not JSON-RPC: say so, rather than "the connection failed".
    if (error instanceof TransportClosedError && error.cause instanceof ConnectError) throw error.cause;
    if (error instanceof TransportClosedError || signal.aborted) throw error;
    if (info.reason === "exited") throw TransportClosedError.from(info, { method: "initialize", sent: true });
    throw error;
  }
}
