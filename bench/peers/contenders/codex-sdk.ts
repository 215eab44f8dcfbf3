/**
 * `@openai/codex-sdk` (the official TypeScript SDK), pointed at the same native binary and `CODEX_HOME`.
 * It has no long-lived server: every `thread.run()` spawns `codex exec --experimental-json` (a resumed
 * session after the first), so `start()` has nothing to do and a thread exists only after its first turn.
 * Its events carry whole items, no deltas: `streamsDeltas` is false.
 */
import type * as Sdk from "@openai/codex-sdk";
import { concurrentBurst, type Contender, type ContenderThread, type PeersJob } from "../contender.ts";

const packageName = "@openai/codex-sdk";

/**
 * The codex SDK as a contender.
 *
 * @example
 * ```ts
 * const contender = await create(job);
 * ```
 */
export async function create(job: PeersJob): Promise<Contender> {
  const { Codex } = (await import(packageName)) as typeof Sdk;
  const codex = new Codex({ codexPathOverride: job.codexBin, env: job.env });
  const contender: Contender = {
    streamsDeltas: false,
    async start() {},
    async threadStart(): Promise<ContenderThread> {
      return codex.startThread({ workingDirectory: job.cwd, skipGitRepoCheck: true });
    },
    async turn(thread, text) {
      const turn = await (thread as Sdk.Thread).run(text);
      if (turn.finalResponse === "") throw new Error("the codex SDK's turn ended without a reply");
    },
    burst: (count, text) => concurrentBurst(contender, count, text),
    async close() {},
  };
  return contender;
}
