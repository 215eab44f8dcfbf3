import { AsyncCodex, type AppServerConfig } from "../../src/index.js";
import type { OfflineEnvironment } from "../../src/testing/index.js";
import { WireLog } from "./wire-log.js";

/**
 * The config that starts the real app-server offline: the environment's `CODEX_HOME`, `HOME`, proxies and key,
 * with this process's `OPENAI_*`/`CODEX_*` variables removed so that nothing leaks in from the caller.
 *
 * @example
 * ```ts
 * const codex = new AsyncCodex(offlineClientConfig(offline, { requestTimeoutMs: 5_000 }));
 * ```
 */
export function offlineClientConfig(offline: OfflineEnvironment, extra: AppServerConfig = {}): AppServerConfig {
  const cleared: Record<string, undefined> = {};
  for (const name of Object.keys(process.env)) if (/^(OPENAI|CODEX)_/i.test(name)) cleared[name] = undefined;
  return { env: { ...cleared, ...offline.env }, cwd: offline.cwd, requestTimeoutMs: 20_000, ...extra };
}

/**
 * An {@link AsyncCodex} on the offline environment (not started: it is lazy), with the log of its wire.
 *
 * @example
 * ```ts
 * const { codex, wire } = offlineClient(offline);
 * try { await codex.threadStart(); } finally { await codex.close(); }
 * ```
 */
export function offlineClient(
  offline: OfflineEnvironment,
  extra: AppServerConfig = {},
): { codex: AsyncCodex; wire: WireLog } {
  const wire = new WireLog();
  const codex = new AsyncCodex(offlineClientConfig(offline, { trace: wire.hook, ...extra }));
  return { codex, wire };
}
