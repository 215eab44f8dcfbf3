import { OWN_PROCESS_GROUP } from "../transport/process-tree.js";

const guarded = new Set<number>();

function killGuarded(): void {
  for (const pid of guarded) {
    try {
      process.kill(OWN_PROCESS_GROUP ? -pid : pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  guarded.clear();
  process.off("exit", killGuarded);
}

/**
 * Kills the app-server `pid` (and its process group) when the caller's process exits — by `process.exit()`,
 * at the natural end, or on an uncaught exception — unless released first. Returns the release.
 *
 * The sync client's app-server is a child of its worker thread, where no `exit` listener runs when the process
 * ends, so the guard lives on the caller's thread. It listens to `exit` only: a signal listener could not run
 * while the caller is blocked in `Atomics.wait`, so it would hold Ctrl-C back until the call returned. On a
 * signal the process dies at once, the app-server's stdin closes, and the app-server exits by itself.
 *
 * @example
 * ```ts
 * const release = guardAppServer(opened.pid);
 * // … later, once the app-server has been closed:
 * release();
 * ```
 */
export function guardAppServer(pid: number): () => void {
  if (guarded.size === 0) process.on("exit", killGuarded);
  guarded.add(pid);
  return () => {
    if (guarded.delete(pid) && guarded.size === 0) process.off("exit", killGuarded);
  };
}
