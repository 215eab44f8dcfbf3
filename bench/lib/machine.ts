import { execFileSync } from "node:child_process";
import os from "node:os";

/** What the numbers were measured on. */
export interface MachineInfo {
  readonly date: string;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly availableParallelism: number;
  readonly memoryGiB: number;
  readonly loadAverage: readonly number[];
  readonly commit: string | null;
  readonly dirty: boolean | null;
}

/**
 * The machine, Node version, date and source commit of this run.
 *
 * @example
 * ```ts
 * const { cpuModel, cpuCount, node } = machineInfo("/work/main");
 * ```
 */
export function machineInfo(root: string): MachineInfo {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cpuCount: cpus.length,
    availableParallelism: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
    commit: git(root, ["rev-parse", "--short", "HEAD"]),
    dirty: gitDirty(root),
  };
}

function git(root: string, args: string[]): string | null {
  try {
    return execFileSync("git", ["-C", root, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

function gitDirty(root: string): boolean | null {
  const status = git(root, ["status", "--porcelain", "--", "src"]);
  return status === null ? null : status !== "";
}
