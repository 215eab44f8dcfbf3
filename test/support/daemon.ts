import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { resolveCodexBinary } from "../../src/transport/binary.js";
import { killProcessesUsingHome, waitUntilNoProcessUsesHome } from "./processes.js";

/** A codex daemon started for a test's CODEX_HOME. */
export interface TestDaemon {
  /** What `daemon start` printed: `{ status, pid, socketPath, … }`. */
  readonly started: { status: string; pid: number; socketPath: string };
  /** `daemon stop`, then ends its updater loop by pid and whatever else still runs with this home. */
  stop(): Promise<void>;
}

function codex(
  args: readonly string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(resolveCodexBinary(), ["app-server", "daemon", ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Starts `codex app-server daemon start` for the home in `env.CODEX_HOME` (it installs a copy of the binary
 * under CODEX_HOME/packages, then runs the app-server and an updater loop, both detached).
 */
export async function startTestDaemon(env: Record<string, string | undefined>): Promise<TestDaemon> {
  const home = env.CODEX_HOME!;
  const result = await codex(["start"], env);
  if (result.code !== 0) {
    killProcessesUsingHome(home);
    throw new Error(`codex app-server daemon start failed (${result.code}): ${result.stderr.slice(-2_000)}`);
  }
  const started = JSON.parse(result.stdout.trim()) as TestDaemon["started"];
  return {
    started,
    async stop() {
      await codex(["stop"], env);
      try {
        const { pid } = JSON.parse(readFileSync(join(home, "app-server-daemon", "daemon-updater.pid"), "utf8")) as {
          pid: number;
        };
        process.kill(pid, "SIGTERM");
      } catch {
        // no updater, or already gone
      }
      const left = await waitUntilNoProcessUsesHome(home, 3_000);
      if (left.length > 0) killProcessesUsingHome(home);
    },
  };
}
