/** This library's `AsyncCodex`, imported from its built `dist/` by package name, as a user's program would. */
import type * as Library from "../../../src/index.ts";
import { concurrentBurst, type Contender, type ContenderThread, type PeersJob } from "../contender.ts";

// A name in a variable: tsc must not resolve the package to dist/ (absent before a build); node does.
const packageName = "codex-app-server";

/**
 * `AsyncCodex` as a contender: `thread.turn()` then `for await … handle.stream()`.
 *
 * @example
 * ```ts
 * const contender = await create(job);
 * ```
 */
export async function create(job: PeersJob): Promise<Contender> {
  const { AsyncCodex } = (await import(job.library ?? packageName)) as typeof Library;
  const codex = new AsyncCodex({ codexBin: job.codexBin, env: job.env, cwd: job.cwd });
  const contender: Contender = {
    streamsDeltas: true,
    start: () => codex.start(),
    threadStart: (): Promise<ContenderThread> => codex.threadStart(),
    async turn(thread, text, onDelta) {
      const handle = await (thread as Library.AsyncThread).turn(text);
      for await (const notification of handle.stream()) {
        if (notification.method === "item/agentMessage/delta") onDelta?.();
      }
    },
    burst: (count, text) => concurrentBurst(contender, count, text),
    close: () => codex.close(),
  };
  return contender;
}
