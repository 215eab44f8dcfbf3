import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AppServerError } from "../errors/app-server-error.js";
import { InvalidInputError } from "../errors/invalid-input-error.js";
import { PortInUseError } from "../errors/port-in-use-error.js";
import type { ClientSnapshot, SnapshotListener, SubscribeOptions } from "../observe/snapshot.js";
import { inspectorPage } from "./page.js";

const HOST = "127.0.0.1";
const DEFAULT_INTERVAL_MS = 250;
const KEEPALIVE_MS = 15_000;
/** Nothing of the page may come from elsewhere: no CDN, no fonts, no images but inline ones. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * What the inspector watches: a client's `snapshot()` and `subscribe()` (`AsyncCodex` has both).
 *
 * @example
 * ```ts
 * const watched: InspectedClient = codex; // an AsyncCodex
 * ```
 */
export interface InspectedClient {
  snapshot(): ClientSnapshot;
  subscribe(listener: SnapshotListener, options?: SubscribeOptions): (() => void) & Disposable;
}

/**
 * Options of {@link serveInspector}.
 *
 * @example
 * ```ts
 * await serveInspector(codex, { port: 4319, intervalMs: 500 });
 * ```
 */
export interface InspectorOptions {
  /** The port on 127.0.0.1. Default 0: any free port (read it from `inspector.url`). */
  port?: number | undefined;
  /** The least time between two updates of the page, in milliseconds. Default 250. */
  intervalMs?: number | undefined;
  /** Stops the inspector when aborted. */
  signal?: AbortSignal | undefined;
}

/**
 * A running inspector: open `url` in a browser. It stops with `close()`, when its signal aborts, or when the
 * client it watches is closed.
 *
 * @example
 * ```ts
 * await using inspector = await serveInspector(codex);
 * console.log(`inspector: ${inspector.url}`);
 * ```
 */
export interface Inspector extends AsyncDisposable {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  readonly port: number;
  /** Resolves once the inspector has stopped, however it stopped. */
  readonly closed: Promise<void>;
  /** Stops serving: open pages see the stream end. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves a live page about one client on 127.0.0.1 only: its lifecycle state on the client machine's diagram,
 * the app-server, its threads (click one to see its turns), each turn's state highlighted on the turn machine's
 * diagram, waiting approvals, pending requests, finished turns and the latest messages. The page is one
 * self-contained document (nothing is fetched from elsewhere) kept up to date by Server-Sent Events from
 * `codex.subscribe()`; it shows only what `codex.snapshot()` holds, which never includes a secret.
 *
 * Closing the client (or the returned inspector, or aborting `signal`) stops the server.
 *
 * @throws {PortInUseError} when the port is taken; {@link InvalidInputError} for a bad option;
 *   {@link AppServerError} when the client is already closed.
 * @example
 * ```ts
 * import { AsyncCodex } from "codex-app-server";
 * import { serveInspector } from "codex-app-server/inspector";
 *
 * await using codex = new AsyncCodex();
 * const inspector = await serveInspector(codex, { port: 4319 });
 * console.log(`open ${inspector.url}`);
 * await (await codex.threadStart()).run("Explain this repository.");
 * ```
 */
export async function serveInspector(codex: InspectedClient, options: InspectorOptions = {}): Promise<Inspector> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidInputError(
      `\`port\` must be a whole number from 0 to 65535, got ${JSON.stringify(options.port)}.`,
    );
  }
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  if (typeof intervalMs !== "number" || !(intervalMs >= 0) || !Number.isFinite(intervalMs)) {
    throw new InvalidInputError(
      `\`intervalMs\` must be a number of milliseconds ≥ 0, got ${JSON.stringify(options.intervalMs)}.`,
    );
  }
  options.signal?.throwIfAborted();
  if (codex.snapshot().client.status !== "active") {
    throw new AppServerError(
      "the client is already closed: there is nothing left to inspect. Serve the inspector before closing it.",
    );
  }

  const page = inspectorPage();
  const streams = new Set<ServerResponse>();
  const server = createServer((request, response) => handle(request, response));
  let listeningPort = port;
  const { promise: closed, resolve: markClosed } = Promise.withResolvers<void>();
  let closing: Promise<void> | null = null;

  function send(response: ServerResponse, snapshot: ClientSnapshot): void {
    response.write(`data: ${JSON.stringify(snapshot)}\n\n`);
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    // Only this machine's own names: a page on another origin that rebinds a name to 127.0.0.1 gets nothing.
    const host = request.headers.host ?? "";
    if (host !== `${HOST}:${listeningPort}` && host !== `localhost:${listeningPort}`) {
      response.writeHead(403, { "content-type": "text/plain" }).end("forbidden: use http://127.0.0.1 with this port\n");
      return;
    }
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET") {
      response.writeHead(405, { allow: "GET", "content-type": "text/plain" }).end("only GET\n");
      return;
    }
    if (path === "/" || path === "/index.html") {
      response
        .writeHead(200, {
          "content-type": "text/html; charset=utf-8",
          "content-security-policy": CONTENT_SECURITY_POLICY,
          "cache-control": "no-store",
          "x-content-type-options": "nosniff",
        })
        .end(page);
    } else if (path === "/snapshot") {
      response
        .writeHead(200, { "content-type": "application/json", "cache-control": "no-store" })
        .end(JSON.stringify(codex.snapshot()));
    } else if (path === "/events") {
      response.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-store",
        connection: "keep-alive",
      });
      streams.add(response);
      response.on("close", () => streams.delete(response));
      send(response, codex.snapshot());
    } else {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    }
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, HOST, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new PortInUseError({ port, cause: error });
    throw error;
  }
  listeningPort = (server.address() as AddressInfo).port;

  const subscription = codex.subscribe(
    (snapshot) => {
      for (const response of streams) send(response, snapshot);
      if (snapshot.client.status !== "active") void close();
    },
    { intervalMs },
  );
  const keepalive = setInterval(() => {
    for (const response of streams) response.write(": keepalive\n\n");
  }, KEEPALIVE_MS);
  keepalive.unref();
  const onAbort = () => void close();
  options.signal?.addEventListener("abort", onAbort, { once: true });

  function close(): Promise<void> {
    closing ??= (async () => {
      subscription();
      clearInterval(keepalive);
      options.signal?.removeEventListener("abort", onAbort);
      for (const response of streams) response.end("event: closed\ndata: {}\n\n");
      streams.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      markClosed();
    })();
    return closing;
  }

  return {
    url: `http://${HOST}:${listeningPort}/`,
    port: listeningPort,
    closed,
    close,
    [Symbol.asyncDispose]: close,
  };
}
