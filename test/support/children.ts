import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** One live process read from /proc. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The short name the kernel keeps (`codex`, `node`…). */
  comm: string;
  /** The arguments, exactly as the process received them. */
  argv: string[];
}

function read(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    const [state, ppid] = stat.slice(close + 2).split(" ");
    if (state === "Z") return undefined;
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").slice(0, -1);
    return { pid, ppid: Number(ppid), comm, argv };
  } catch {
    return undefined;
  }
}

/**
 * The live (non-zombie) processes descended from `root` (this process by default), found through /proc: only
 * our own children and their children, never other tests' processes.
 *
 * @example
 * ```ts
 * assert.deepEqual(descendants().filter((p) => p.comm.startsWith("codex")), []);
 * ```
 */
export function descendants(root = process.pid): ProcessInfo[] {
  const all: ProcessInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const info = read(Number(entry));
    if (info !== undefined) all.push(info);
  }
  const found: ProcessInfo[] = [];
  const parents = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const info of all) {
      if (parents.has(info.ppid) && !parents.has(info.pid)) {
        parents.add(info.pid);
        found.push(info);
        grew = true;
      }
    }
  }
  return found;
}

/** Our own `codex` descendants (the app-servers this process started, and what they started). */
export function codexDescendants(root = process.pid): ProcessInfo[] {
  return descendants(root).filter((info) => info.comm.startsWith("codex") || isCodexExe(info.pid));
}

function isCodexExe(pid: number): boolean {
  try {
    return /\/codex(\.exe)?$/.test(readlinkSync(`/proc/${pid}/exe`));
  } catch {
    return false;
  }
}

/** The environment a process started with (`/proc/<pid>/environ`). */
export function environmentOf(pid: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of readFileSync(`/proc/${pid}/environ`, "utf8").split("\0")) {
    if (entry === "") continue;
    const eq = entry.indexOf("=");
    env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}
