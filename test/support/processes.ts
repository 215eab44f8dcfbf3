import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";

/**
 * The running processes (not zombies) whose environment holds `CODEX_HOME=<home>`: the app-server started
 * for that home and everything it spawned. Found through /proc, so no pid has to be known.
 *
 * @example
 * ```ts
 * assert.deepEqual(processesUsingHome(offline.home.path), []);
 * ```
 */
export function processesUsingHome(home: string): number[] {
  const marker = `\0CODEX_HOME=${home}\0`;
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z") continue;
      const environ = `\0${readFileSync(`/proc/${entry}/environ`, "latin1")}`;
      if (environ.includes(marker)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Waits until no process uses `home`; returns those still running after `timeoutMs` (empty on success). */
export async function waitUntilNoProcessUsesHome(home: string, timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = processesUsingHome(home);
    if (running.length === 0 || Date.now() > deadline) return running;
    await delay(25);
  }
}

/** Kills what a failed test may have left behind for `home` (only processes started with that home). */
export function killProcessesUsingHome(home: string): void {
  for (const pid of processesUsingHome(home)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
