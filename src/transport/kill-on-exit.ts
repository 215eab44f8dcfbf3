import type { ChildProcess } from "node:child_process";
import { signalProcessTree } from "./process-tree.js";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const REGISTRY = Symbol.for("codex-app-server.kill-on-exit");

interface Registry {
  add(child: ChildProcess): () => void;
  readonly size: number;
}

/**
 * Makes sure `child` (and its process group) dies with this Node process: on `process.exit()`, an uncaught
 * exception, or SIGINT/SIGTERM/SIGHUP. Returns the function that releases it (call it once the child exited).
 *
 * Listeners are installed on the first registration and removed with the last release, once per process
 * (shared even between two copies of this library). They change nothing else: on a signal nobody else
 * listens to, the children are killed and the signal is raised again, so the process still dies of it (exit
 * status 128 + n); when the application has its own listener for that signal, the signal is left to it
 * (it may want to interrupt a turn on Ctrl-C) and the children die with the process, whenever it exits.
 *
 * @example
 * ```ts
 * const child = spawn(command, args, { detached: OWN_PROCESS_GROUP });
 * const release = killOnExit(child);
 * child.once("exit", release);
 * ```
 */
export function killOnExit(child: ChildProcess): () => void {
  return registry().add(child);
}

/**
 * How many children {@link killOnExit} is guarding now (for tests).
 *
 * @example
 * ```ts
 * assert.equal(guardedChildCount(), 0);
 * ```
 */
export function guardedChildCount(): number {
  return registry().size;
}

function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry };
  return (holder[REGISTRY] ??= createRegistry());
}

function createRegistry(): Registry {
  const children = new Set<ChildProcess>();
  const killAll = (): void => {
    for (const child of children) signalProcessTree(child, "SIGKILL");
    children.clear();
    uninstall();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (process.listenerCount(signal) > 1) return;
    killAll();
    process.kill(process.pid, signal);
  };
  const install = (): void => {
    process.on("exit", killAll);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  };
  const uninstall = (): void => {
    process.off("exit", killAll);
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
  return {
    add(child) {
      if (children.size === 0) install();
      children.add(child);
      return () => {
        if (children.delete(child) && children.size === 0) uninstall();
      };
    },
    get size() {
      return children.size;
    },
  };
}
