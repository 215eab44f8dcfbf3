import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { appServerCommand, type AppServerCommand } from "./app-server-command.js";
import { createCodexHome, type CodexHome, type CodexHomeOptions } from "./codex-home.js";
import { createScriptedProvider, type ScriptedProvider, type ScriptedProviderOptions } from "./scripted-provider.js";

/**
 * Options of {@link createOfflineEnvironment}: those of the provider and of the home together.
 *
 * @example
 * ```ts
 * await using offline = await createOfflineEnvironment({
 *   replies: [execCommandReply("ls"), textReply("Listed.")],
 *   fallback: httpErrorReply(500),
 *   approvalPolicy: "on-request",
 *   sandboxMode: "workspace-write",
 * });
 * ```
 */
export interface OfflineEnvironmentOptions extends ScriptedProviderOptions, Omit<CodexHomeOptions, "providerUrl"> {
  /** A `codex` executable to use instead of the installed `@openai/codex`. */
  codexBin?: string;
}

/**
 * A scripted provider, a `CODEX_HOME` wired to it, and a working folder: everything to run codex offline.
 *
 * @example
 * ```ts
 * await using offline = await createOfflineEnvironment({ replies: [textReply("Hi!")] });
 * await using codex = new AsyncCodex({ env: offline.env, cwd: offline.cwd, codexBin: offline.codexBin });
 * const thread = await codex.threadStart();
 * assert.equal((await thread.run("Say hi")).finalResponse, "Hi!");
 * ```
 */
export interface OfflineEnvironment extends AsyncDisposable {
  readonly provider: ScriptedProvider;
  readonly home: CodexHome;
  /** The environment to start codex with (same as `home.env`). */
  readonly env: Record<string, string>;
  /** An empty temporary folder (inside the home) to use as the app-server's and threads' `cwd`. */
  readonly cwd: string;
  /** The command that starts `codex app-server --listen stdio://`. */
  readonly command: AppServerCommand;
  /** The codex executable (native binary, or the npm wrapper script). */
  readonly codexBin: string;
  /** Closes the provider and removes the home. Stop codex first. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a {@link ScriptedProvider} and creates a {@link CodexHome} pointing at it, disposable together.
 *
 * @example
 * ```ts
 * await using offline = await createOfflineEnvironment({ replies: [textReply("Hello!", { deltas: 3 })] });
 * const child = spawn(offline.command.command, offline.command.args, { env: offline.env, cwd: offline.cwd });
 * // … drive the app-server, then kill the child before the environment is disposed …
 * assert.equal(inputTexts(await offline.provider.waitForRequest(1)).at(-1), "Say hello");
 * ```
 */
export async function createOfflineEnvironment(options: OfflineEnvironmentOptions = {}): Promise<OfflineEnvironment> {
  const { replies, fallback, port, maxRecordedRequests, codexBin, ...homeOptions } = options;
  const providerOptions: ScriptedProviderOptions = {};
  if (replies !== undefined) providerOptions.replies = replies;
  if (fallback !== undefined) providerOptions.fallback = fallback;
  if (port !== undefined) providerOptions.port = port;
  if (maxRecordedRequests !== undefined) providerOptions.maxRecordedRequests = maxRecordedRequests;
  const command = appServerCommand(codexBin === undefined ? {} : { codexBin });
  const provider = await createScriptedProvider(providerOptions);
  let home: CodexHome;
  let cwd: string;
  try {
    home = await createCodexHome({ ...homeOptions, providerUrl: provider.url });
    cwd = await mkdtemp(join(home.path, "work-"));
  } catch (error) {
    await provider.close();
    throw error;
  }
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      await provider.close();
      await rm(cwd, { recursive: true, force: true, maxRetries: 3 });
      await home.remove();
    })());
  const codexExe = command.command === process.execPath ? (command.args[0] ?? command.command) : command.command;
  return { provider, home, env: home.env, cwd, command, codexBin: codexExe, close, [Symbol.asyncDispose]: close };
}
