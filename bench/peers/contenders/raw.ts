/** The floor: bench/peers/raw-client.ts, a minimal JSONL client. */
import { concurrentBurst, type Contender, type ContenderThread, type PeersJob } from "../contender.ts";
import { RawAppServer, type RawNotification } from "../raw-client.ts";

interface RawThread {
  readonly id: string;
}

interface Waiter {
  readonly onDelta: (() => void) | undefined;
  readonly done: () => void;
}

/**
 * The raw client as a contender: a turn waits for the `turn/completed` of its thread.
 *
 * @example
 * ```ts
 * const contender = create(job);
 * ```
 */
export async function create(job: PeersJob): Promise<Contender> {
  let server: RawAppServer | undefined;
  const waiters = new Map<string, Waiter>();
  const onNotification = (notification: RawNotification): void => {
    const threadId = notification.params?.threadId as string | undefined;
    if (threadId === undefined) return;
    const waiter = waiters.get(threadId);
    if (waiter === undefined) return;
    if (notification.method === "item/agentMessage/delta") waiter.onDelta?.();
    else if (notification.method === "turn/completed") {
      waiters.delete(threadId);
      waiter.done();
    }
  };
  const contender: Contender = {
    streamsDeltas: true,
    async start() {
      server = new RawAppServer(job.codexBin, job.env, job.cwd);
      server.onNotification = onNotification;
      await server.initialize();
    },
    async threadStart(): Promise<ContenderThread> {
      const { thread } = (await server!.request("thread/start", {})) as { thread: RawThread };
      return { id: thread.id };
    },
    async turn(thread, text, onDelta) {
      const threadId = (thread as RawThread).id;
      // Events may come before the turn/start answer: wait from before the request.
      const completed = new Promise<void>((done) => waiters.set(threadId, { onDelta, done }));
      await server!.request("turn/start", { threadId, input: [{ type: "text", text, text_elements: [] }] });
      await completed;
    },
    burst: (count, text) => concurrentBurst(contender, count, text),
    async close() {
      await server?.close();
    },
  };
  return contender;
}
