import {
  createOfflineEnvironment,
  type OfflineEnvironment,
  type OfflineEnvironmentOptions,
} from "../../../src/testing/offline-environment.js";
import { requestCodex } from "../../../src/client/rpc-error.js";
import { JsonRpcPeer, type JsonRpcPeerOptions } from "../../../src/rpc/peer.js";
import { StdioTransport } from "../../../src/transport/stdio-transport.js";

/** A {@link JsonRpcPeer} over the real `codex app-server`, offline (scripted provider, throw-away home). */
export interface CodexConnection extends AsyncDisposable {
  readonly offline: OfflineEnvironment;
  readonly transport: StdioTransport;
  readonly peer: JsonRpcPeer;
}

/** Starts the real app-server in an offline environment; disposing stops it, then removes the environment. */
export async function startCodex(
  options: { offline?: OfflineEnvironmentOptions; peer?: JsonRpcPeerOptions } = {},
): Promise<CodexConnection> {
  const offline = await createOfflineEnvironment(options.offline);
  let transport: StdioTransport;
  try {
    const removed = Object.fromEntries(Object.keys(process.env).map((key) => [key, undefined]));
    transport = await StdioTransport.start({
      codexBin: offline.codexBin,
      cwd: offline.cwd,
      env: { ...removed, ...offline.env },
    });
  } catch (error) {
    await offline.close();
    throw error;
  }
  const peer = new JsonRpcPeer(transport, { requestTimeoutMs: 15_000, ...options.peer });
  return {
    offline,
    transport,
    peer,
    [Symbol.asyncDispose]: async () => {
      await peer.close();
      await offline.close();
    },
  };
}

/** The handshake: `initialize`, then the `initialized` notification. */
export async function initialize(peer: JsonRpcPeer): Promise<Record<string, unknown>> {
  const result = await requestCodex<Record<string, unknown>>(peer, "initialize", {
    clientInfo: { name: "codex_app_server_tests", title: "codex-app-server tests", version: "0.1.0" },
    capabilities: { experimentalApi: true },
  });
  peer.notify("initialized");
  return result;
}
