import type { ChildProcess } from "node:child_process";

/** Whether children are started in a process group of their own, so that signals reach their whole tree. */
export const OWN_PROCESS_GROUP = process.platform !== "win32";

/**
 * Sends `signal` to a child started with `detached: OWN_PROCESS_GROUP` (or its pid) and to everything in its
 * process group (the commands codex runs, a wrapper's native binary); falls back to the child alone. Never throws.
 */
export function signalProcessTree(child: ChildProcess | number, signal: NodeJS.Signals): void {
  const pid = typeof child === "number" ? child : child.pid;
  if (pid === undefined) return;
  if (OWN_PROCESS_GROUP) {
    try {
      process.kill(-pid, signal);
      return;
    } catch {
      // no such group any more: signal the child alone
    }
  }
  try {
    if (typeof child === "number") process.kill(child, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}
