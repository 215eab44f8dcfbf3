import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mergeToml, stringifyToml, type TomlTable } from "./toml.js";

/**
 * Codex's `approval_policy` values.
 *
 * @example
 * ```ts
 * const approvalPolicy: ApprovalPolicy = "on-request"; // codex asks before running commands
 * await using offline = await createOfflineEnvironment({ approvalPolicy });
 * ```
 */
export type ApprovalPolicy = "untrusted" | "on-failure" | "on-request" | "never";

/**
 * Codex's `sandbox_mode` values.
 *
 * @example
 * ```ts
 * const sandboxMode: SandboxMode = "workspace-write"; // commands may write inside the working folder
 * await using offline = await createOfflineEnvironment({ sandboxMode });
 * ```
 */
export type SandboxMode = "read-only" | "workspace-write" | "danger-full-access";

/**
 * Options of {@link createCodexHome}.
 *
 * @example
 * ```ts
 * await using home = await createCodexHome({
 *   providerUrl: provider.url,
 *   approvalPolicy: "on-request",
 *   config: { model_reasoning_effort: "low" },
 * });
 * ```
 */
export interface CodexHomeOptions {
  /** The provider's base URL, e.g. `provider.url` of a {@link ScriptedProvider}; codex POSTs to `<url>/responses`. */
  providerUrl: string;
  /** The model name codex sends. Default `fake-model` (codex warns that it does not know it; harmless). */
  model?: string;
  /** Default `never`: commands run without asking. */
  approvalPolicy?: ApprovalPolicy;
  /** Default `read-only`. */
  sandboxMode?: SandboxMode;
  /**
   * Whether codex snapshots the login shell for each new thread (`features.shell_snapshot`). Default `false`:
   * the snapshot (`bash -lc` and coreutils) is about half of the ~450 ms of CPU a new thread costs.
   */
  shellSnapshot?: boolean;
  /** More config, merged over the generated one (tables key by key), e.g. `{ model_reasoning_effort: "low" }`. */
  config?: TomlTable;
  /** The environment variable that carries the provider's API key. Default `FAKE_PROVIDER_API_KEY`. */
  apiKeyEnv?: string;
  /** Its value (codex sends it as `Authorization: Bearer …`). Default `offline-test-key`. */
  apiKey?: string;
  /** The environment to start from. Default `process.env` (less `OPENAI_*` and `CODEX_*` variables). */
  baseEnv?: Readonly<Record<string, string | undefined>>;
  /** Where to create the folder. Default `/var/tmp` when it exists (under `/tmp` codex refuses to create helper binaries), else the OS temp dir. */
  parentDir?: string;
}

/**
 * A temporary `CODEX_HOME` with an offline `config.toml`; remove it when done (or `await using`).
 *
 * @example
 * ```ts
 * await using home = await createCodexHome({ providerUrl: provider.url });
 * const codex = new AsyncCodex({ env: home.env });
 * console.log(home.path, home.config.model); // /var/tmp/codex-home-…, "fake-model"
 * ```
 */
export interface CodexHome extends AsyncDisposable {
  /** The folder, to be used as `CODEX_HOME`. */
  readonly path: string;
  /** Its `config.toml`. */
  readonly configPath: string;
  /** The config written there. */
  readonly config: TomlTable;
  /**
   * The environment to start codex with: `CODEX_HOME`, `HOME` (and the XDG folders) inside the home, every
   * proxy variable pointed at a dead loopback port with `NO_PROXY` covering loopback, and the API key.
   */
  readonly env: Record<string, string>;
  /** Deletes the folder and everything codex wrote there. Idempotent. */
  remove(): Promise<void>;
}

/**
 * Where the proxy variables point: a loopback port nobody listens on, so a stray request fails at once.
 *
 * @example
 * ```ts
 * assert.equal(offline.env.HTTPS_PROXY, DEAD_PROXY_URL);
 * ```
 */
export const DEAD_PROXY_URL = "http://127.0.0.1:9";

const PROXY_VARIABLES = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"];
const NO_PROXY = "127.0.0.1,localhost,::1";

/**
 * The offline `config.toml` of PROTOCOL.md as a table: model `fake-model` on provider `fake`
 * (`wire_api = "responses"`, no retries), plugins and unbounded connection retries off.
 *
 * @example
 * ```ts
 * const table = offlineConfig({ providerUrl: provider.url, approvalPolicy: "on-request" });
 * console.log(stringifyToml(table));
 * ```
 */
export function offlineConfig(options: CodexHomeOptions): TomlTable {
  const base: TomlTable = {
    model: options.model ?? "fake-model",
    model_provider: "fake",
    approval_policy: options.approvalPolicy ?? "never",
    sandbox_mode: options.sandboxMode ?? "read-only",
    model_providers: {
      fake: {
        name: "Scripted local provider",
        base_url: options.providerUrl,
        wire_api: "responses",
        env_key: options.apiKeyEnv ?? "FAKE_PROVIDER_API_KEY",
        request_max_retries: 0,
        stream_max_retries: 0,
      },
    },
    features: {
      plugins: false,
      unbounded_connection_retries: false,
      shell_snapshot: options.shellSnapshot ?? false,
    },
  };
  return options.config === undefined ? base : mergeToml(base, options.config);
}

/**
 * Creates a temporary `CODEX_HOME` (under `/var/tmp`) holding the offline config, and the environment to
 * start codex with so that it talks only to the given provider and never touches the user's `~/.codex`.
 *
 * @example
 * ```ts
 * await using provider = await createScriptedProvider();
 * await using home = await createCodexHome({ providerUrl: provider.url, sandboxMode: "danger-full-access" });
 * const child = spawn(resolveCodexBinary(), ["app-server", "--listen", "stdio://"], { env: home.env });
 * ```
 */
export async function createCodexHome(options: CodexHomeOptions): Promise<CodexHome> {
  const parent = options.parentDir ?? (existsSync("/var/tmp") ? "/var/tmp" : tmpdir());
  const path = await mkdtemp(join(parent, "codex-home-"));
  const home = join(path, "home");
  await mkdir(home);
  const config = offlineConfig(options);
  const configPath = join(path, "config.toml");
  await writeFile(configPath, stringifyToml(config));

  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.baseEnv ?? process.env)) {
    if (value === undefined || /^(OPENAI|CODEX)_/i.test(name)) continue;
    env[name] = value;
  }
  Object.assign(env, {
    CODEX_HOME: path,
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_CACHE_HOME: join(home, ".cache"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    XDG_STATE_HOME: join(home, ".local", "state"),
    NO_PROXY,
    no_proxy: NO_PROXY,
    [options.apiKeyEnv ?? "FAKE_PROVIDER_API_KEY"]: options.apiKey ?? "offline-test-key",
  });
  for (const name of PROXY_VARIABLES) env[name] = DEAD_PROXY_URL;

  let removed: Promise<void> | undefined;
  const remove = (): Promise<void> => (removed ??= rm(path, { recursive: true, force: true, maxRetries: 3 }));
  return { path, configPath, config, env, remove, [Symbol.asyncDispose]: remove };
}
