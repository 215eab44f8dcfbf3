import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { AppServerError } from "../errors/app-server-error.js";
import { InvalidInputError } from "../errors/invalid-input-error.js";
import { rememberSecrets } from "../errors/redact.js";
import { resolveCodexBinary } from "./binary.js";
import { mergeEnv } from "./environment.js";
import { parseEndpoint } from "./endpoint.js";
import { killOnExit } from "./kill-on-exit.js";
import { OWN_PROCESS_GROUP, signalProcessTree } from "./process-tree.js";
import type { RemoteAppServer } from "./remote-options.js";
import { StderrTail } from "./stderr-tail.js";

/**
 * How a listening app-server authenticates WebSocket clients: a random capability token (the default for
 * `ws://`), an HS256 shared secret for signed bearer tokens, or nothing (the default for a unix socket, which
 * codex makes 0600; on `ws://` only for loopback).
 *
 * @example
 * ```ts
 * const auth: ListenAuth = { signedBearer: { secret: "0123456789abcdef0123456789abcdef", issuer: "ci", audience: "codex" } };
 * ```
 */
export type ListenAuth =
  | "capabilityToken"
  | "none"
  | { signedBearer: { secret: string; issuer?: string | undefined; audience?: string | undefined } };

/**
 * Options of {@link listenAppServer}.
 *
 * @example
 * ```ts
 * const options: ListenAppServerOptions = { listen: "unix:///var/tmp/codex/app-server.sock", env: { CODEX_HOME: "/var/tmp/codex-home" } };
 * ```
 */
export interface ListenAppServerOptions {
  /** Where to listen: `ws://127.0.0.1:0` (the default: a free loopback port) or `unix:///ABS/PATH` (`"unix"` for a fresh temporary path). */
  listen?: string | undefined;
  /** Default `"capabilityToken"` on `ws://`, `"none"` on a unix socket (which takes no auth). */
  auth?: ListenAuth | undefined;
  /** A `codex` executable; default: the installed `@openai/codex` (native binary first). */
  codexBin?: string | undefined;
  /** Config entries (`key=value`, TOML values), each passed as `--config <entry>`. */
  configOverrides?: readonly string[] | undefined;
  /** The app-server's working directory. Default: this process's. */
  cwd?: string | undefined;
  /** Variables merged over `process.env`; a variable set to `undefined` is removed. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Sees what the app-server writes to stderr (its log), as it comes. */
  onStderr?: ((text: string) => void) | undefined;
  /** How long to wait for it to listen. Default 30 000 ms. */
  startTimeoutMs?: number | undefined;
  /** How long `stop()` waits after SIGTERM before SIGKILL. Default 2000 ms. */
  stopGraceMs?: number | undefined;
}

/**
 * A running `codex app-server --listen …` started by {@link listenAppServer}: where to connect, with what, and
 * how to stop it. Clients come and go; the server (and its running turns) stays until `stop()`.
 *
 * @example
 * ```ts
 * await using server = await listenAppServer();
 * await using first = new AsyncCodex({ connect: server.connect });
 * ```
 */
export interface ListeningAppServer extends AsyncDisposable {
  /** `ws://127.0.0.1:PORT` (the port actually bound) or `unix:///PATH`. */
  readonly url: string;
  /** The capability token, when the server requires one. Keep it secret. */
  readonly token: string | undefined;
  /** What to pass as `AppServerConfig.connect`: `{ url, token }` or `{ url, bearer }`. */
  readonly connect: RemoteAppServer;
  /** The app-server's process id. */
  readonly pid: number;
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<{ exitCode: number | null; signal: string | null }>;
  /** Sends SIGTERM (then SIGKILL after `stopGraceMs`) and removes the token file. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;
const DEFAULT_STOP_GRACE_MS = 2_000;
const LISTENING = /listening on: (ws:\/\/\S+)/;
// eslint-disable-next-line no-control-regex -- the ANSI escape is what this pattern strips
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/**
 * Starts `codex app-server --listen ws://127.0.0.1:0` (or a unix socket) as a child of this process, waits
 * until it accepts connections, and returns its URL, its token and a handle that stops it. Several clients —
 * or a client that restarts — can then connect to the same server with `connect: server.connect`. The
 * process runs in its own process group and is killed if this process exits; `stop()` (or `await using`)
 * ends it by pid.
 *
 * @throws {InvalidInputError} for a `listen` URL that is not `ws://IP:PORT` or `unix:///ABS/PATH`.
 * @throws {AppServerError} when codex exits or does not listen within `startTimeoutMs` (with its stderr tail).
 * @example
 * ```ts
 * await using server = await listenAppServer({ env: { CODEX_HOME: "/var/tmp/codex-home" } });
 * console.log(server.url); // ws://127.0.0.1:39127
 * await using codex = new AsyncCodex({ connect: server.connect });
 * ```
 */
export async function listenAppServer(options: ListenAppServerOptions = {}): Promise<ListeningAppServer> {
  const scratch = mkdtempSync(join(tmpdir(), "codex-listen-"));
  const listen =
    options.listen === undefined
      ? "ws://127.0.0.1:0"
      : options.listen === "unix"
        ? `unix://${join(scratch, "app-server.sock")}`
        : options.listen;
  let endpoint;
  try {
    endpoint = parseEndpoint(listen);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  if (endpoint.kind === "daemon" || (endpoint.kind === "websocket" && endpoint.url.protocol !== "ws:")) {
    rmSync(scratch, { recursive: true, force: true });
    throw new InvalidInputError(
      "`listen` must be ws://IP:PORT (port 0 for a free one) or unix:///ABS/PATH: codex app-server listens on nothing else.",
    );
  }
  const auth = options.auth ?? (endpoint.kind === "unix" ? "none" : "capabilityToken");
  const args = [
    ...(options.configOverrides ?? []).flatMap((entry) => ["--config", entry]),
    "app-server",
    "--listen",
    listen,
  ];
  let token: string | undefined;
  let connect: RemoteAppServer;
  if (auth === "capabilityToken") {
    token = randomBytes(32).toString("base64url");
    rememberSecrets([token]);
    const tokenFile = join(scratch, "token");
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    args.push("--ws-auth", "capability-token", "--ws-token-file", tokenFile);
    connect = { url: "", token };
  } else if (auth === "none") {
    connect = { url: "" };
  } else {
    const secretFile = join(scratch, "secret");
    writeFileSync(secretFile, auth.signedBearer.secret, { mode: 0o600 });
    rememberSecrets([auth.signedBearer.secret.trim()]);
    args.push("--ws-auth", "signed-bearer-token", "--ws-shared-secret-file", secretFile);
    if (auth.signedBearer.issuer !== undefined) args.push("--ws-issuer", auth.signedBearer.issuer);
    if (auth.signedBearer.audience !== undefined) args.push("--ws-audience", auth.signedBearer.audience);
    connect = {
      url: "",
      bearer: {
        secret: auth.signedBearer.secret,
        issuer: auth.signedBearer.issuer,
        audience: auth.signedBearer.audience,
      },
    };
  }
  const bin = resolveCodexBinary({ codexBin: options.codexBin });
  const [command, argv] = /\.[cm]?js$/.test(bin) ? [process.execPath, [bin, ...args]] : [bin, args];
  const child = spawn(command, argv, {
    cwd: options.cwd,
    env: mergeEnv(options.env),
    stdio: ["ignore", "ignore", "pipe"],
    detached: OWN_PROCESS_GROUP,
    windowsHide: true,
  });
  const release = killOnExit(child);
  const exited = new Promise<{ exitCode: number | null; signal: string | null }>((resolve) => {
    child.once("exit", (exitCode, signal) => {
      release();
      signalProcessTree(child, "SIGKILL");
      resolve({ exitCode, signal });
    });
  });
  const cleanUp = (): void => rmSync(scratch, { recursive: true, force: true });
  void exited.then(cleanUp);
  const tail = new StderrTail(64 * 1024);
  const stop = memoize(() => stopChild(child, exited, options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS));
  try {
    await spawned(child);
    const url = await waitUntilListening(child, endpoint, tail, exited, options);
    connect.url = url;
    return {
      url,
      token,
      connect,
      pid: child.pid!,
      exited,
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function spawned(child: ChildProcess): Promise<void> {
  try {
    await once(child, "spawn");
  } catch (error) {
    throw new AppServerError(
      `Cannot start codex app-server: ${(error as Error).message}. Point \`codexBin\` at an executable codex.`,
      {
        cause: error,
      },
    );
  }
}

async function waitUntilListening(
  child: ChildProcess,
  endpoint: ReturnType<typeof parseEndpoint>,
  tail: StderrTail,
  exited: Promise<{ exitCode: number | null; signal: string | null }>,
  options: ListenAppServerOptions,
): Promise<string> {
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  let seen = "";
  const announced = new Promise<string>((resolve) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      tail.push(chunk);
      const text = chunk.toString("utf8");
      options.onStderr?.(text);
      if (endpoint.kind !== "websocket") return;
      seen = (seen + text.replace(ANSI, "")).slice(-4_096);
      const match = LISTENING.exec(seen);
      if (match !== null) resolve(match[1]!.replace(/\/$/, ""));
    });
  });
  const ready = endpoint.kind === "unix" ? socketAccepts(endpoint.path, timeout).then(() => endpoint.label) : announced;
  const failed = exited.then(({ exitCode, signal }) => {
    throw new AppServerError(
      `codex app-server exited (${signal ?? `code ${exitCode}`}) before it listened on ${endpoint.label}. Last stderr:\n${tail.text().replace(ANSI, "").trim().split("\n").slice(-4).join("\n")}`,
    );
  });
  const timedOut = new Promise<never>((_, reject) =>
    timeout.addEventListener(
      "abort",
      () =>
        reject(
          new AppServerError(
            `codex app-server did not listen on ${endpoint.label} within ${timeoutMs} ms; raise \`startTimeoutMs\` on a slow machine.`,
          ),
        ),
      { once: true },
    ),
  );
  return Promise.race([ready, failed, timedOut]);
}

async function socketAccepts(path: string, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = netConnect(path);
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (connected) return;
    await delay(25);
  }
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    await exited;
    return;
  }
  signalProcessTree(child, "SIGTERM");
  const timer = delay(graceMs, "late", { ref: false });
  if ((await Promise.race([exited, timer])) === "late") signalProcessTree(child, "SIGKILL");
  await exited;
}

function memoize<T>(run: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= run());
}
