import type { ClientRequest, IncomingMessage } from "node:http";
import { connect as netConnect } from "node:net";
import { realpathSync } from "node:fs";
import type { WebSocket as WsSocket } from "ws";
import { ConnectError } from "../errors/connect-error.js";
import { InvalidInputError } from "../errors/invalid-input-error.js";
import { closeInfo, TransportClosedError } from "../errors/transport-closed-error.js";
import { excerptOf, type TransportDiagnostic } from "./diagnostic.js";
import { parseEndpoint, type Endpoint } from "./endpoint.js";
import { DEFAULT_MAX_LINE_BYTES } from "./json-lines.js";
import { authorizationFor, checkRemoteAppServer, type RemoteAppServer } from "./remote-options.js";
import type { Transport, TransportCloseInfo, TransportListener, TransportMessage } from "./transport.js";

/**
 * Options of {@link WebSocketTransport.connect}: where, with which credentials, and an abort signal.
 *
 * @example
 * ```ts
 * const options: WebSocketTransportOptions = { url: "ws://127.0.0.1:4500", token: "…", signal: AbortSignal.timeout(5_000) };
 * ```
 */
export interface WebSocketTransportOptions extends RemoteAppServer {
  /** Gives up connecting when it aborts. */
  signal?: AbortSignal | undefined;
  /** How long `close()` waits for the server's close frame before dropping the socket. Default 2000 ms. */
  closeGraceMs?: number | undefined;
}

const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
const DEFAULT_CLOSE_GRACE_MS = 2_000;
/** Unix socket paths longer than this do not fit `sockaddr_un` on Linux (108 bytes with the NUL). */
const MAX_SOCKET_PATH_BYTES = 107;
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOENT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTSOCK",
  "EACCES",
]);

/**
 * Where the connection is in its life. `open`: frames flow both ways; `heard` once a JSON-RPC message has
 * arrived (before, a frame that is not one means this is no codex app-server). `closing`: `close()` was called
 * or the handshake failed; nothing more is sent or delivered while the close frame is awaited. `closed`: the
 * close info is known.
 */
type SocketState =
  | { readonly name: "open"; readonly heard: boolean }
  | { readonly name: "closing" }
  | { readonly name: "closed"; readonly info: TransportCloseInfo };

const OPEN_UNHEARD: SocketState = { name: "open", heard: false };
const OPEN_HEARD: SocketState = { name: "open", heard: true };
const CLOSING: SocketState = { name: "closing" };

/**
 * JSON-RPC over a WebSocket to a listening `codex app-server` — `--listen ws://IP:PORT` or `--listen
 * unix://PATH` (the unix socket speaks WebSocket too): one message per text frame each way. Built on the `ws`
 * package, loaded on first use: Node's built-in `WebSocket` cannot dial a unix socket and does not expose
 * the HTTP status of a refused upgrade, so it could not tell "wrong token" from "nothing there".
 *
 * The server is not stopped by `close()`: only this connection ends. When the server closes the socket or
 * it is lost, the close info has `reason: "exited"` (or `"failed"` after a socket error) with the WebSocket
 * close code and reason.
 *
 * @example
 * ```ts
 * const codex = new AsyncCodex({
 *   transport: () => WebSocketTransport.connect({ url: "ws://127.0.0.1:4500", tokenFile: "/run/codex/token" }),
 * });
 * await codex.start();
 * ```
 */
export class WebSocketTransport implements Transport {
  /** The endpoint, as safe to print (no token, no user info, no query). */
  readonly endpoint: string;
  readonly #socket: WsSocket;
  readonly #closeGraceMs: number;
  readonly #maxMessageBytes: number;
  readonly #queue: Array<{ message: TransportMessage } | { diagnostic: TransportDiagnostic }> = [];
  #listener: TransportListener | undefined;
  #state: SocketState = OPEN_UNHEARD;
  /** The first failure seen on the socket: the `error` of a `"failed"` close info. */
  #error: Error | undefined;
  readonly #ended: Promise<TransportCloseInfo>;
  #resolveEnded!: (info: TransportCloseInfo) => void;

  /**
   * Opens the connection and resolves once the WebSocket upgrade succeeded.
   *
   * @throws {InvalidInputError} for a URL that is not `ws://`, `wss://` or `unix:///ABS/PATH`, or bad credentials options.
   * @throws {ConnectError} when nothing listens there, the token is refused (401), the upgrade is refused (403 or
   *   another status), the server closes during the handshake, or it times out. The message names the endpoint.
   * @example
   * ```ts
   * const transport = await WebSocketTransport.connect({ url: "unix:///var/tmp/codex/app-server.sock" });
   * ```
   */
  static async connect(options: WebSocketTransportOptions): Promise<WebSocketTransport> {
    checkRemoteAppServer(options);
    const endpoint = parseEndpoint(options.url);
    if (endpoint.kind === "daemon") {
      throw new InvalidInputError(
        '`WebSocketTransport.connect` takes a ws:// or unix:// URL; for the daemon use `connect: "daemon"`.',
      );
    }
    options.signal?.throwIfAborted();
    const authorization = authorizationFor(options);
    const { WebSocket } = await import("ws");
    const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_LINE_BYTES;
    const socketPath = endpoint.kind === "unix" ? reachableSocketPath(endpoint.path) : undefined;
    const socket = new WebSocket(endpoint.kind === "unix" ? "ws://localhost/" : endpoint.url, {
      headers: authorization === undefined ? {} : { Authorization: authorization },
      handshakeTimeout: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      maxPayload: maxMessageBytes,
      perMessageDeflate: false,
      followRedirects: false,
      ...(socketPath === undefined ? {} : { createConnection: () => netConnect(socketPath) }),
    });
    const transport = new WebSocketTransport(
      socket,
      endpoint,
      options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS,
      maxMessageBytes,
    );
    await transport.#opened(endpoint, options.signal, authorization !== undefined);
    return transport;
  }

  private constructor(socket: WsSocket, endpoint: Endpoint, closeGraceMs: number, maxMessageBytes: number) {
    this.#socket = socket;
    this.endpoint = endpoint.label;
    this.#closeGraceMs = closeGraceMs;
    this.#maxMessageBytes = maxMessageBytes;
    this.#ended = new Promise((resolve) => (this.#resolveEnded = resolve));
    socket.on("message", (data, isBinary) => this.#receive(data as Buffer, isBinary));
    socket.on("error", (error) => (this.#error ??= error));
    socket.on("close", (code, reason) => this.#finish(code, reason.toString("utf8")));
  }

  /**
   * How the connection ended, once it has: `reason`, `closeCode`, `closeReason` and `endpoint`.
   *
   * @example
   * ```ts
   * if (transport.closeInfo?.closeCode === 1006) console.warn("the connection was lost without a close frame");
   * ```
   */
  get closeInfo(): TransportCloseInfo | undefined {
    return this.#state.name === "closed" ? this.#state.info : undefined;
  }

  /**
   * Starts delivering messages, diagnostics and the close to `listener` (what arrived before is queued).
   * Call it once.
   *
   * @example
   * ```ts
   * transport.listen({ message: console.log, diagnostic: console.warn, close: (info) => console.log(info.closeCode) });
   * ```
   */
  listen(listener: TransportListener): void {
    if (this.#listener !== undefined) throw new Error("WebSocketTransport.listen() may be called only once");
    this.#listener = listener;
    for (const entry of this.#queue.splice(0)) {
      if ("message" in entry) listener.message(entry.message);
      else listener.diagnostic(entry.diagnostic);
    }
    if (this.#state.name === "closed") listener.close(this.#state.info);
  }

  /**
   * Sends one message as one text frame.
   *
   * @throws {TransportClosedError} once the connection is closed or closing.
   * @example
   * ```ts
   * transport.send({ id: 2, method: "thread/list", params: {} });
   * ```
   */
  send(message: object): void {
    const state = this.#state;
    if (state.name === "closed") throw TransportClosedError.from(state.info);
    if (state.name === "closing") throw TransportClosedError.from(this.#details("closed"));
    this.#socket.send(JSON.stringify(message));
  }

  /**
   * Closes this connection (close code 1000), waiting up to `closeGraceMs` for the server's close frame. The
   * server keeps running. Idempotent.
   *
   * @example
   * ```ts
   * const info = await transport.close(); // { reason: "closed", closeCode: 1000, endpoint: "ws://127.0.0.1:4500", … }
   * ```
   */
  close(): Promise<TransportCloseInfo> {
    if (this.#state.name === "closed") return Promise.resolve(this.#state.info);
    if (this.#state.name === "open") {
      this.#state = CLOSING;
      this.#socket.close(1000, "client closed");
      const timer = setTimeout(() => this.#socket.terminate(), this.#closeGraceMs);
      timer.unref();
      void this.#ended.then(() => clearTimeout(timer));
    }
    return this.#ended;
  }

  /**
   * Closes the connection, for `await using`.
   *
   * @example
   * ```ts
   * await using transport = await WebSocketTransport.connect({ url: "unix:///var/tmp/codex.sock" });
   * ```
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #opened(endpoint: Endpoint, signal: AbortSignal | undefined, withToken: boolean): Promise<void> {
    const socket = this.#socket;
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: Error): void => {
        socket.off("open", onOpen);
        socket.off("error", onError);
        socket.off("unexpected-response", onResponse);
        signal?.removeEventListener("abort", onAbort);
        if (error === undefined) {
          resolve();
          return;
        }
        this.#state = CLOSING;
        socket.terminate();
        reject(error);
      };
      const onOpen = (): void => settle();
      const onError = (error: NodeJS.ErrnoException): void => settle(handshakeError(endpoint, error));
      const onResponse = (request: ClientRequest, response: IncomingMessage): void => {
        readBody(response).then(
          (body) => settle(refusedError(endpoint, response.statusCode ?? 0, body, withToken)),
          () => settle(refusedError(endpoint, response.statusCode ?? 0, "", withToken)),
        );
        request.on("error", () => {});
      };
      const onAbort = (): void =>
        settle(signal!.reason instanceof Error ? signal!.reason : new Error(String(signal!.reason)));
      socket.once("open", onOpen);
      socket.once("error", onError);
      socket.once("unexpected-response", onResponse);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  #receive(data: Buffer, isBinary: boolean): void {
    const state = this.#state;
    if (state.name !== "open") return;
    const text = data.toString("utf8");
    let value: unknown;
    let problem: string | undefined;
    if (isBinary) problem = "a binary frame (codex app-server sends text frames)";
    else {
      try {
        value = JSON.parse(text);
        if (typeof value !== "object" || value === null || Array.isArray(value))
          problem = "a frame that is JSON but not an object";
      } catch {
        problem = "a frame that is not JSON";
      }
    }
    if (problem === undefined) {
      if (!state.heard) this.#state = OPEN_HEARD;
      this.#deliver({ message: value as TransportMessage });
      return;
    }
    const message = `${this.endpoint} sent ${problem} (${data.length} bytes); it was skipped.`;
    const excerpt = excerptOf(isBinary ? `<${data.length} binary bytes>` : text);
    const diagnostic: TransportDiagnostic =
      value === undefined
        ? { kind: "malformedLine", message, atMs: Date.now(), bytes: data.length, excerpt }
        : { kind: "invalidMessage", message, atMs: Date.now(), excerpt };
    if (!state.heard) {
      // The very first thing the server says is not a message: whatever listens there is no codex app-server.
      this.#error = new ConnectError(
        `${this.endpoint} sent ${problem} before any JSON-RPC message: it does not look like a codex app-server. Check the URL (\`codex app-server --listen …\` prints the one it listens on).`,
        { failure: "rejected", endpoint: this.endpoint },
      );
      this.#socket.close(1002, "not a JSON-RPC message");
      return;
    }
    this.#deliver({ diagnostic });
  }

  #deliver(entry: { message: TransportMessage } | { diagnostic: TransportDiagnostic }): void {
    const listener = this.#listener;
    if (listener === undefined) this.#queue.push(entry);
    else if ("message" in entry) listener.message(entry.message);
    else listener.diagnostic(entry.diagnostic);
  }

  #details(reason: TransportCloseInfo["reason"], closeCode?: number, closeReason?: string): TransportCloseInfo {
    return closeInfo(reason, {
      endpoint: this.endpoint,
      ...(closeCode === undefined ? {} : { closeCode }),
      ...(closeReason === undefined || closeReason === "" ? {} : { closeReason }),
      ...(reason === "failed" && this.#error !== undefined ? { error: this.#error } : {}),
    });
  }

  #finish(code: number, reason: string): void {
    const state = this.#state;
    if (state.name === "closed") return;
    let error = this.#error;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- names the error's Node shape for `code`
    if (code === 1009 || (error as NodeJS.ErrnoException | undefined)?.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") {
      code = 1009; // the code this client closed with; the socket itself may report 1006
      error = this.#error = new ConnectionFailure(
        `${this.endpoint} sent a message over the ${this.#maxMessageBytes}-byte limit, so the connection was closed (code 1009). Raise \`maxMessageBytes\` to accept it.`,
        error,
      );
    }
    const end = error !== undefined ? "failed" : state.name === "closing" ? "closed" : "exited";
    const info = this.#details(end, code, reason);
    this.#state = { name: "closed", info };
    this.#listener?.close(info);
    this.#resolveEnded(info);
  }
}

/** A socket failure after the connection was open, with a sentence for people. */
class ConnectionFailure extends Error {
  constructor(message: string, cause: Error | undefined) {
    super(message, { cause });
    this.name = "ConnectionFailure";
  }
}

/** A socket path that fits `sockaddr_un`: a longer one is resolved through its symlinks (codex makes the given path a link into a short folder). */
function reachableSocketPath(path: string): string {
  if (Buffer.byteLength(path) <= MAX_SOCKET_PATH_BYTES) return path;
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    real = path;
  }
  if (Buffer.byteLength(real) <= MAX_SOCKET_PATH_BYTES) return real;
  throw new InvalidInputError(
    `The unix socket path unix://${path} is ${Buffer.byteLength(path)} bytes; sockets are limited to ${MAX_SOCKET_PATH_BYTES}. Use a shorter path (or a symlink to it).`,
  );
}

function handshakeError(endpoint: Endpoint, error: NodeJS.ErrnoException): ConnectError {
  const where = endpoint.label;
  const code = error.code ?? "";
  if (UNREACHABLE_CODES.has(code)) {
    const hint =
      endpoint.kind === "unix"
        ? code === "EACCES"
          ? "the socket file is not yours to open (codex makes it 0600): connect as the user who started the app-server."
          : "no app-server listens on that socket: start one with `codex app-server --listen unix://PATH`, or check the path."
        : "nothing listens there: start one with `codex app-server --listen ws://IP:PORT`, or check the host and port.";
    return new ConnectError(`Cannot reach codex app-server at ${where} (${code}): ${hint}`, {
      failure: "unreachable",
      endpoint: where,
      cause: error,
    });
  }
  if (/handshake has timed out/i.test(error.message)) {
    return new ConnectError(
      `codex app-server at ${where} did not finish the WebSocket handshake in time: is it a codex app-server, and is it overloaded? Raise \`handshakeTimeoutMs\` if it is slow.`,
      { failure: "timeout", endpoint: where, cause: error },
    );
  }
  if (code === "ECONNRESET" || /socket hang up|closed before/i.test(error.message)) {
    return new ConnectError(
      `${where} closed the connection during the WebSocket handshake (${code || error.message}): is it a codex app-server listening with --listen, and not a proxy that drops upgrades?`,
      { failure: "closed", endpoint: where, cause: error },
    );
  }
  return new ConnectError(`Cannot connect to codex app-server at ${where}: ${error.message}`, {
    failure: "rejected",
    endpoint: where,
    cause: error,
  });
}

function refusedError(endpoint: Endpoint, status: number, body: string, withToken: boolean): ConnectError {
  const where = endpoint.label;
  const said = body.trim() === "" ? "" : ` (${JSON.stringify(excerptOf(body.trim()))})`;
  if (status === 401) {
    const hint = withToken
      ? "the token was refused: check that it matches the server's --ws-token-file, or for a signed token its secret, issuer, audience and expiry."
      : "the server wants a token (it runs with --ws-auth): pass `token`, `tokenFile` or `bearer` in `connect`.";
    return new ConnectError(`codex app-server at ${where} answered 401 Unauthorized${said}: ${hint}`, {
      failure: "unauthorized",
      endpoint: where,
      httpStatus: status,
    });
  }
  if (status === 403) {
    return new ConnectError(
      `codex app-server at ${where} answered 403 Forbidden${said}: it refuses any upgrade that carries an Origin header (browsers send one); connect from a process that sends none.`,
      { failure: "forbidden", endpoint: where, httpStatus: status },
    );
  }
  return new ConnectError(
    `${where} answered the WebSocket upgrade with HTTP ${status}${said}: it does not look like a codex app-server. Check the URL.`,
    { failure: "rejected", endpoint: where, httpStatus: status },
  );
}

const MAX_BODY_BYTES = 2_048;

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      if (body.length < MAX_BODY_BYTES) body += chunk;
    });
    response.on("end", () => resolve(body.slice(0, MAX_BODY_BYTES)));
    response.on("error", reject);
    setTimeout(() => resolve(body), 1_000).unref();
  });
}
