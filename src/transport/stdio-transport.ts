import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { statSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { AppServerError } from "../errors/app-server-error.js";
import { BinaryNotFoundError } from "../errors/binary-not-found-error.js";
import { InvalidInputError } from "../errors/invalid-input-error.js";
import { closeInfo, TransportClosedError } from "../errors/transport-closed-error.js";
import { appServerArgv, type AppServerArgvOptions } from "./app-server-argv.js";
import { mergeEnv } from "./environment.js";
import { JsonLinesReader, JsonLinesWriter } from "./json-lines.js";
import { killOnExit } from "./kill-on-exit.js";
import { OWN_PROCESS_GROUP, signalProcessTree } from "./process-tree.js";
import { redactSecrets, rememberSecrets, secretValuesOf } from "../errors/redact.js";
import { StderrTail } from "./stderr-tail.js";
import type { Transport, TransportCloseInfo, TransportListener } from "./transport.js";

/**
 * Options of {@link StdioTransport.start}: how to launch (`codexBin`, `launchArgsOverride`, `configOverrides`,
 * `cwd`, `env`) and the transport's bounds (`maxLineBytes`, `closeGraceMs`, `killGraceMs`, `stderrTailBytes`),
 * as `AppServerConfig` documents them.
 */
export interface StdioTransportOptions
  extends
    AppServerArgvOptions,
    Partial<Record<"maxLineBytes" | "closeGraceMs" | "killGraceMs" | "stderrTailBytes", number>> {
  cwd?: string | undefined;
  env?: Readonly<Record<string, string | undefined>> | undefined;
  onStderr?: ((text: string) => void) | undefined;
}

/** How long `close()` waits at each step (after ending stdin, after SIGTERM) unless told otherwise. */
const DEFAULT_GRACE_MS = 2_000;
const DEFAULT_STDERR_TAIL_BYTES = 64 * 1024;
const STREAMS_AFTER_EXIT_MS = 1_000;

/**
 * The longest `close()` of a {@link StdioTransport} started with `options` takes: `closeGraceMs` after ending
 * stdin, `killGraceMs` after SIGTERM, then at most a second for the streams after the exit. The one formula
 * the clients use to bound their own waits on a close.
 */
export function closeBudgetMs(options: Pick<StdioTransportOptions, "closeGraceMs" | "killGraceMs">): number {
  return (options.closeGraceMs ?? DEFAULT_GRACE_MS) + (options.killGraceMs ?? DEFAULT_GRACE_MS) + STREAMS_AFTER_EXIT_MS;
}

/**
 * Where the process and its connection are in their life. `running`: messages flow both ways. `exited`: the
 * process exited on its own and its output is still being read. `closing`: `close()` was called; nothing more
 * is sent or delivered, and `reason` is what the close info will say (`"closed"`, or `"exited"` when the
 * process had exited before). `closed`: the close info is known.
 */
type StdioState =
  | { readonly name: "running" }
  | { readonly name: "exited" }
  | {
      readonly name: "closing";
      readonly reason: TransportCloseInfo["reason"];
      readonly done: Promise<TransportCloseInfo>;
    }
  | { readonly name: "closed"; readonly info: TransportCloseInfo };

/**
 * The app-server as a child process speaking JSONL on stdin/stdout: started with an argument array (never a
 * shell), in a process group of its own (POSIX), killed with this process if it is still running when Node
 * exits. `close()` ends stdin, waits `closeGraceMs`, sends SIGTERM, waits `killGraceMs`, sends SIGKILL. When it
 * exits on its own, the close info carries the exit code, the signal and the tail of its stderr.
 */
export class StdioTransport implements Transport {
  /** The app-server's process id. */
  readonly pid: number;
  /** The command line it was started with. */
  readonly argv: readonly string[];
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #reader: JsonLinesReader;
  readonly #writer: JsonLinesWriter;
  readonly #stderr: StderrTail;
  readonly #options: StdioTransportOptions;
  /** The secret values of the app-server's environment: redacted from the stderr tail errors carry. */
  readonly #secrets: readonly string[];
  readonly #exited: Promise<void>;
  readonly #ended: Promise<TransportCloseInfo>;
  #listener: TransportListener | undefined;
  #state: StdioState = { name: "running" };

  /**
   * Starts the app-server and resolves once the process is running.
   *
   * @throws {BinaryNotFoundError} when the program does not exist or cannot be executed.
   * @throws {AppServerError} when it cannot be started for another reason.
   */
  static async start(options: StdioTransportOptions = {}): Promise<StdioTransport> {
    const argv = appServerArgv(options);
    const [command, ...args] = argv as [string, ...string[]];
    if (options.cwd !== undefined) checkWorkingDirectory(options.cwd);
    const env = mergeEnv(options.env);
    const secrets = secretValuesOf(env);
    rememberSecrets(secrets);
    const child = spawn(command, args, {
      cwd: options.cwd,
      env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: OWN_PROCESS_GROUP,
      windowsHide: true,
    });
    try {
      await once(child, "spawn");
    } catch (error) {
      throw startError(command, error as NodeJS.ErrnoException);
    }
    return new StdioTransport(child, argv, options, secrets);
  }

  private constructor(
    child: ChildProcessWithoutNullStreams,
    argv: readonly string[],
    options: StdioTransportOptions,
    secrets: readonly string[],
  ) {
    this.#child = child;
    this.#secrets = secrets;
    this.pid = child.pid!;
    this.argv = argv;
    this.#options = options;
    this.#stderr = new StderrTail(options.stderrTailBytes ?? DEFAULT_STDERR_TAIL_BYTES);
    this.#writer = new JsonLinesWriter(child.stdin);
    this.#reader = new JsonLinesReader(
      {
        message: (message) => {
          if (this.#delivering) this.#listener?.message(message);
        },
        diagnostic: (diagnostic) => {
          if (this.#delivering) this.#listener?.diagnostic(diagnostic);
        },
      },
      { maxLineBytes: options.maxLineBytes },
    );
    const release = killOnExit(child);
    child.stdin.on("error", () => {});
    child.stdout.on("error", () => {});
    child.stderr.on("error", () => {});
    child.stderr.on("data", (chunk: Buffer) => {
      this.#stderr.push(chunk);
      options.onStderr?.(chunk.toString("utf8"));
    });
    this.#exited = new Promise((resolve) => {
      child.once("exit", () => {
        if (this.#state.name === "running") this.#state = { name: "exited" };
        release();
        signalProcessTree(child, "SIGKILL");
        resolve();
      });
    });
    this.#ended = new Promise((resolve) => {
      const finish = (): void => resolve(this.#finish());
      child.once("close", finish);
      void this.#exited.then(async () => {
        await delay(STREAMS_AFTER_EXIT_MS, undefined, { ref: false });
        if (this.#state.name === "closed") return;
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      });
    });
  }

  get closeInfo(): TransportCloseInfo | undefined {
    return this.#state.name === "closed" ? this.#state.info : undefined;
  }

  listen(listener: TransportListener): void {
    if (this.#listener !== undefined) throw new Error("StdioTransport.listen() may be called only once");
    this.#listener = listener;
    if (this.#state.name === "closed") {
      listener.close(this.#state.info);
      return;
    }
    this.#child.stdout.on("data", (chunk: Buffer) => this.#reader.push(chunk));
    this.#child.stdout.on("end", () => this.#reader.end());
  }

  send(message: object): void {
    const state = this.#state;
    if (state.name === "closed") throw TransportClosedError.from(state.info);
    if (state.name === "closing") throw TransportClosedError.from(closeInfo("closed"));
    this.#writer.write(message);
  }

  close(): Promise<TransportCloseInfo> {
    const state = this.#state;
    switch (state.name) {
      case "closed":
        return Promise.resolve(state.info);
      case "closing":
        return state.done;
      default: {
        const reason = state.name === "running" ? "closed" : "exited";
        this.#writer.end();
        const done = this.#shutDown();
        this.#state = { name: "closing", reason, done };
        return done;
      }
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Whether what the process writes still reaches the listener: until `close()` is called. */
  get #delivering(): boolean {
    return this.#state.name === "running" || this.#state.name === "exited";
  }

  /** Waits for the process to exit after stdin ended, with SIGTERM then SIGKILL when it takes too long. */
  async #shutDown(): Promise<TransportCloseInfo> {
    if (!(await this.#exitsWithin(this.#options.closeGraceMs ?? DEFAULT_GRACE_MS))) {
      signalProcessTree(this.#child, "SIGTERM");
      if (!(await this.#exitsWithin(this.#options.killGraceMs ?? DEFAULT_GRACE_MS))) {
        signalProcessTree(this.#child, "SIGKILL");
      }
    }
    return this.#ended;
  }

  async #exitsWithin(ms: number): Promise<boolean> {
    const timeout = new AbortController();
    const timedOut = delay(ms, false, { signal: timeout.signal }).catch(() => false);
    const exited = await Promise.race([this.#exited.then(() => true), timedOut]);
    timeout.abort();
    return exited;
  }

  #finish(): TransportCloseInfo {
    const state = this.#state;
    if (state.name === "closed") return state.info;
    const info: TransportCloseInfo = {
      reason: state.name === "closing" ? state.reason : "exited",
      exitCode: this.#child.exitCode,
      signal: this.#child.signalCode,
      stderrTail: redactSecrets(this.#stderr.text(), this.#secrets),
    };
    this.#state = { name: "closed", info };
    this.#listener?.close(info);
    return info;
  }
}

function checkWorkingDirectory(cwd: string): void {
  // eslint-disable-next-line no-useless-assignment -- the default is what the catch leaves
  let isDirectory = false;
  try {
    isDirectory = statSync(cwd).isDirectory();
  } catch {
    throw new InvalidInputError(
      `\`cwd\` ${JSON.stringify(cwd)} does not exist: give the app-server an existing folder to run in.`,
    );
  }
  if (!isDirectory) {
    throw new InvalidInputError(
      `\`cwd\` ${JSON.stringify(cwd)} is not a folder: give the app-server an existing folder to run in.`,
    );
  }
}

function startError(command: string, error: NodeJS.ErrnoException): AppServerError {
  if (error.code === "ENOENT" || error.code === "EACCES") {
    return new BinaryNotFoundError(
      `Cannot start ${JSON.stringify(command)} (${error.code}): point codexBin (or launchArgsOverride[0]) at an executable codex, or install @openai/codex.`,
      { path: command, cause: error },
    );
  }
  return new AppServerError(`Cannot start codex app-server with ${JSON.stringify(command)}: ${error.message}`, {
    cause: error,
  });
}
