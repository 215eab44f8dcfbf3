import type { ChildProcess } from "node:child_process";
import { signalProcessTree } from "./process-tree.js";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const REGISTRY = Symbol.for("codex-app-server.kill-on-exit");

/** What {@link killOnExit} guards: a child of this thread, or the pid of an app-server another thread started. */
export type Guarded = ChildProcess | number;

/** Options of {@link killOnExit}. */
export interface KillOnExitOptions {
  /**
   * Also kill on SIGINT/SIGTERM/SIGHUP that nobody else listens to, then raise the signal again. Default `true`.
   * `false` for the sync client: a signal listener cannot run while its caller is blocked in `Atomics.wait`, so
   * it would hold Ctrl-C back until the call returned; without one the process dies at once, and the
   * app-server, its stdin closed, exits by itself.
   */
  readonly signals?: boolean | undefined;
}

interface Registry {
  add(target: Guarded, signals: boolean): () => void;
  readonly size: number;
}

/**
 * Makes sure `target` (and its process group) dies with this Node process: on `process.exit()`, the natural
 * end, an uncaught exception, and — unless `signals: false` — SIGINT/SIGTERM/SIGHUP. Returns the function that
 * releases it (call it once the process exited). The one exit guard of the library, for the stdio transport's
 * children and for the sync client's app-server (whose child lives in a worker thread, where no `exit`
 * listener runs when the process ends).
 *
 * Listeners are installed on the first registration and removed with the last release, once per process
 * (shared even between two copies of this library). They change nothing else: on a signal nobody else
 * listens to, the processes are killed and the signal is raised again, so the process still dies of it (exit
 * status 128 + n); when the application has its own listener for that signal, the signal is left to it
 * (it may want to interrupt a turn on Ctrl-C) and the processes die with the process, whenever it exits.
 *
 * Why not `signal-exit`: it always listens to signals, and the sync client must not — measured on Node 20 and
 * 24: with a SIGINT listener, a SIGINT sent to a main thread blocked in `Atomics.wait` (3 s) was held until the
 * wait ended (2.1–2.7 s later) and then not delivered at all; without one, the process died at once. It also
 * replaces `process.emit` and `process.reallyExit` for the whole process, which a library should not do to
 * save the ~20 lines below.
 */
export function killOnExit(target: Guarded, options: KillOnExitOptions = {}): () => void {
  return registry().add(target, options.signals ?? true);
}

/**
 * How many processes {@link killOnExit} is guarding now (for tests).
 */
export function guardedChildCount(): number {
  return registry().size;
}

function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry };
  return (holder[REGISTRY] ??= createRegistry());
}

function createRegistry(): Registry {
  /** Each guarded process, and whether it asked for the signal listeners. */
  const guarded = new Map<Guarded, boolean>();
  let listening: "none" | "exit" | "exitAndSignals" = "none";
  const killAll = (): void => {
    for (const target of guarded.keys()) signalProcessTree(target, "SIGKILL");
    guarded.clear();
    update();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (process.listenerCount(signal) > 1) return;
    killAll();
    process.kill(process.pid, signal);
  };
  const update = (): void => {
    const wanted = guarded.size === 0 ? "none" : [...guarded.values()].some(Boolean) ? "exitAndSignals" : "exit";
    if (wanted === listening) return;
    if (listening === "none") process.on("exit", killAll);
    if (listening === "exitAndSignals") for (const signal of SIGNALS) process.off(signal, onSignal);
    if (wanted === "exitAndSignals") for (const signal of SIGNALS) process.on(signal, onSignal);
    if (wanted === "none") process.off("exit", killAll);
    listening = wanted;
  };
  return {
    add(target, signals) {
      guarded.set(target, signals);
      update();
      return () => {
        if (guarded.delete(target)) update();
      };
    },
    get size() {
      return guarded.size;
    },
  };
}
