import { fileURLToPath } from "node:url";
import type { ProtocolDiagnostic } from "../../../src/rpc/diagnostic.js";
import { JsonRpcPeer, type JsonRpcPeerOptions } from "../../../src/rpc/peer.js";
import { StdioTransport, type StdioTransportOptions } from "../../../src/transport/stdio-transport.js";

const FAKE_APP_SERVER = fileURLToPath(new URL("../fixtures/fake-app-server.mjs", import.meta.url));

/** A {@link JsonRpcPeer} over a real child process running the scripted fake app-server. */
export interface FakeConnection extends AsyncDisposable {
  readonly transport: StdioTransport;
  readonly peer: JsonRpcPeer;
  readonly diagnostics: ProtocolDiagnostic[];
}

/** Starts the fake app-server (`flags` such as `--stubborn`) and a peer over it. */
export async function startFakeServer(
  options: { flags?: string[]; transport?: StdioTransportOptions; peer?: JsonRpcPeerOptions } = {},
): Promise<FakeConnection> {
  const transport = await StdioTransport.start({
    ...options.transport,
    launchArgsOverride: [process.execPath, FAKE_APP_SERVER, ...(options.flags ?? [])],
  });
  const peer = new JsonRpcPeer(transport, { requestTimeoutMs: 10_000, ...options.peer });
  const diagnostics: ProtocolDiagnostic[] = [];
  peer.onDiagnostic((diagnostic) => diagnostics.push(diagnostic));
  return {
    transport,
    peer,
    diagnostics,
    [Symbol.asyncDispose]: async () => {
      await peer.close();
    },
  };
}
