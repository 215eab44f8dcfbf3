/**
 * The worker thread of the synchronous `Codex`: hosts the async clients and answers the caller's calls
 * (see {@link WorkerHost}). Started by the bridge through synckit; not for direct use.
 *
 * @module
 */
import { runAsWorker } from "synckit";
import type { BridgeRequest, BridgeResponse } from "./messages.js";
import { WorkerHost } from "./worker-host.js";

const host = new WorkerHost();

runAsWorker((request: BridgeRequest): Promise<BridgeResponse> => host.handle(request));
