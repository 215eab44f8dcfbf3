/**
 * This library's sync `Codex` (calls block while its worker thread runs them), imported from `dist/` by
 * package name. A burst starts its threads one after another (each call blocks), then one turn on each, and
 * reads the turns in order: the turns run at once on the server, as a sync program can make them.
 */
import type * as Library from "../../../src/index.ts";
import type { Contender, ContenderThread, PeersJob } from "../contender.ts";

const packageName = "codex-app-server";

/**
 * The sync `Codex` as a contender; `start()` is its constructor (spawn + initialize, blocking).
 *
 * @example
 * ```ts
 * const contender = await create(job);
 * ```
 */
export async function create(job: PeersJob): Promise<Contender> {
  const { Codex } = (await import(job.library ?? packageName)) as typeof Library;
  let codex: Library.Codex | undefined;
  return {
    streamsDeltas: true,
    async start() {
      codex = new Codex({ codexBin: job.codexBin, env: job.env, cwd: job.cwd });
    },
    async threadStart(): Promise<ContenderThread> {
      return codex!.threadStart();
    },
    async turn(thread, text, onDelta) {
      const handle = (thread as Library.Thread).turn(text);
      for (const notification of handle.stream()) {
        if (notification.method === "item/agentMessage/delta") onDelta?.();
      }
    },
    async burst(count, text) {
      const threads = Array.from({ length: count }, () => codex!.threadStart());
      const handles = threads.map((thread) => thread.turn(text));
      for (const handle of handles) handle.run();
    },
    async close() {
      codex?.close();
    },
  };
}
