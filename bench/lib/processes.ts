import { readdirSync, readFileSync } from "node:fs";

/**
 * Pids of running codex processes whose environment names this `CODEX_HOME`: what a benchmark that ran the
 * real binary left behind (none, if every client was closed).
 *
 * @example
 * ```ts
 * const leftOver = codexProcessesOf(env.home.path); // [] after every client has closed
 * ```
 */
export function codexProcessesOf(codexHome: string): number[] {
  const marker = `CODEX_HOME=${codexHome}\0`;
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, "utf8").trim();
      if (!comm.includes("codex")) continue;
      if (readFileSync(`/proc/${entry}/environ`, "utf8").includes(marker)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}
