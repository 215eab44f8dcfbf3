import { once } from "node:events";
import { Worker } from "node:worker_threads";
import type { AppServerConfig } from "../../src/index.js";
import type { ExampleName } from "./replies.js";

/**
 * What an example needs to talk to Codex. Offline (the default) it is the real `codex app-server` against a
 * scripted model on 127.0.0.1 in a throw-away `CODEX_HOME`; with `CODEX_EXAMPLES_LIVE=1` it is your own Codex
 * (your `~/.codex` config and login), and `config` is `{}`.
 */
export interface ExampleRuntime extends AsyncDisposable {
  /** Give it to `new AsyncCodex(config)` (or `new Codex(config)`). */
  readonly config: AppServerConfig;
  /** A folder the example's threads may work in. */
  readonly cwd: string;
  /** `true` when the example runs against the real service. */
  readonly live: boolean;
  /** An image on the web (offline: served on 127.0.0.1), for the image examples. */
  readonly sampleImageUrl: string;
  /** Stops the scripted model and removes the temporary `CODEX_HOME`. Close the client first. */
  close(): Promise<void>;
}

/** What the provider worker sends back once it is ready. */
interface WorkerReady {
  readonly type: "ready";
  readonly env: Record<string, string>;
  readonly cwd: string;
  readonly sampleImageUrl: string;
}

const PUBLIC_IMAGE_URL = "https://raw.githubusercontent.com/github/explore/main/topics/typescript/typescript.png";
const WORKER_START_TIMEOUT_MS = 15_000;
const WORKER_CLOSE_TIMEOUT_MS = 5_000;

/**
 * Starts what `example` needs: the scripted model with the replies of `replies.ts` for that example, in a
 * worker thread (so that it keeps answering while the synchronous client blocks this thread), and a
 * `CODEX_HOME` pointing at it. Set `CODEX_EXAMPLES_LIVE=1` to use your own Codex instead.
 *
 * @example
 * ```ts
 * await using runtime = await startExampleRuntime("01-quickstart");
 * await using codex = new AsyncCodex(runtime.config);
 * ```
 */
export async function startExampleRuntime(example: ExampleName): Promise<ExampleRuntime> {
  if (process.env.CODEX_EXAMPLES_LIVE === "1") {
    const close = async (): Promise<void> => {};
    return {
      config: {},
      cwd: process.cwd(),
      live: true,
      sampleImageUrl: PUBLIC_IMAGE_URL,
      close,
      [Symbol.asyncDispose]: close,
    };
  }
  const worker = new Worker(new URL("./provider-worker.ts", import.meta.url), {
    workerData: { example, parentDir: process.env.CODEX_EXAMPLES_HOME_DIR },
  });
  const exited = once(worker, "exit");
  let ready: WorkerReady;
  try {
    [ready] = (await once(worker, "message", { signal: AbortSignal.timeout(WORKER_START_TIMEOUT_MS) })) as [
      WorkerReady,
    ];
  } catch (error) {
    await worker.terminate();
    throw new Error(`the offline runtime of example ${example} did not start: ${String(error)}`, { cause: error });
  }
  // The scripted model's environment wins; variables of this process that would reach the real service go.
  const cleared: Record<string, undefined> = {};
  for (const name of Object.keys(process.env)) if (/^(OPENAI|CODEX)_/i.test(name)) cleared[name] = undefined;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      worker.postMessage({ type: "close" });
      const timer = setTimeout(() => void worker.terminate(), WORKER_CLOSE_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    })());
  return {
    config: { env: { ...cleared, ...ready.env }, cwd: ready.cwd, requestTimeoutMs: 30_000 },
    cwd: ready.cwd,
    live: false,
    sampleImageUrl: ready.sampleImageUrl,
    close,
    [Symbol.asyncDispose]: close,
  };
}
