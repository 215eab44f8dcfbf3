import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { extname } from "node:path";
import { AppServerError } from "../errors/app-server-error.js";
import { InvalidInputError } from "../errors/invalid-input-error.js";
import type { BridgeRequest, BridgeResponse } from "./messages.js";
import { WAIT_SLICE_MS, WORKER_ANSWER_MARGIN_MS } from "./timing.js";

type Call = (request: BridgeRequest) => BridgeResponse;

let shared: Call | undefined;

/**
 * synckit, loaded by the first sync call rather than on import: it costs ≈ 70–90 ms of CPU to load, which every
 * program importing the package (most of them async only) would otherwise pay. Its CommonJS build is loaded
 * with `require`, since a blocking call cannot wait for `import()`.
 */
function loadSynckit(): typeof import("synckit") {
  return createRequire(import.meta.url)("synckit") as typeof import("synckit");
}

/**
 * Where the worker's module can be, from this module: next to it (the sources; dist/ as `tsc` wrote it), or in
 * `dist/sync/` when this code was bundled into `dist/index.js` or a chunk in `dist/chunks/` (scripts/bundle.ts).
 */
const WORKER_PLACES = ["./worker", "./sync/worker", "../sync/worker"] as const;

/**
 * Where the worker's module is, and how to load it: the first of {@link WORKER_PLACES} that exists, with this
 * module's extension — `.js` in the built package, `.ts` when the sources run under tsx (then the worker loads
 * tsx too).
 */
function workerModule(): { url: URL; options: { tsRunner?: "tsx"; execArgv: string[] } } {
  const here = new URL(import.meta.url);
  const extension = extname(here.pathname);
  const places = WORKER_PLACES.map((place) => new URL(`${place}${extension}`, here));
  const url = places.find((place) => existsSync(place)) ?? places[0]!;
  if (extension === ".ts")
    return { url, options: { tsRunner: "tsx", execArgv: ["--import", import.meta.resolve("tsx")] } };
  return { url, options: { execArgv: [] } };
}

/**
 * Sends one call to the sync clients' worker thread and blocks (`Atomics.wait`) until it answers. The worker
 * (one per process, shared by every `Codex`, unref'd so it never keeps the process alive) is started by the
 * first call. The worker answers every call within {@link WAIT_SLICE_MS}; after that plus
 * {@link WORKER_ANSWER_MARGIN_MS} the call fails, and the worker is given up: the next call starts another.
 *
 * @throws {InvalidInputError} when an argument cannot be sent to another thread (a function, a class instance
 *   with private state…).
 * @throws {AppServerError} when the worker does not answer in time, or has died.
 */
export function callWorker(request: BridgeRequest): BridgeResponse {
  if (shared === undefined) {
    const { url, options } = workerModule();
    shared = loadSynckit().createSyncFn<(request: BridgeRequest) => Promise<BridgeResponse>>(url, {
      ...options,
      timeout: WAIT_SLICE_MS + WORKER_ANSWER_MARGIN_MS,
    });
  }
  try {
    return shared(request);
  } catch (error) {
    const failure = bridgeError(error);
    if (!(failure instanceof InvalidInputError)) shared = undefined;
    throw failure;
  }
}

function bridgeError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.name === "DataCloneError") {
    return new InvalidInputError(
      `an argument cannot be sent to the sync client's worker thread (${message}): pass plain data — strings, numbers, arrays and plain objects.`,
      { cause: error },
    );
  }
  if (/timed-out/.test(message)) {
    return new AppServerError(
      `the sync client's worker thread did not answer within ${WAIT_SLICE_MS + WORKER_ANSWER_MARGIN_MS} ms: its event loop is stuck. The clients it held are lost; a new Codex starts a new worker.`,
      { cause: error },
    );
  }
  return new AppServerError(
    `the sync client's worker thread failed: ${message}. The clients it held are lost; a new Codex starts a new worker.`,
    { cause: error },
  );
}
