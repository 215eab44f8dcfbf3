import type { ApprovalHandler } from "./server-request.js";

/**
 * Which approval handler answers a server request: the thread's own (`thread.approvalHandler`), else the
 * client's (`approvalHandler`), else none (the fail-closed default). The one place that makes this choice,
 * for the async client and the sync one alike.
 */
export class ApprovalHandlerChoice {
  readonly #client: ApprovalHandler | undefined;
  readonly #threads = new Map<string, ApprovalHandler>();

  constructor(client: ApprovalHandler | undefined) {
    this.#client = client;
  }

  /** The handler of a request about `threadId` (`null` when it names no thread). */
  for(threadId: string | null): ApprovalHandler | undefined {
    return (threadId === null ? undefined : this.#threads.get(threadId)) ?? this.#client;
  }

  /** The thread's own handler, if it has one. */
  thread(threadId: string): ApprovalHandler | undefined {
    return this.#threads.get(threadId);
  }

  /** Sets (or, with `undefined`, removes) a thread's own handler; returns whether it had one before. */
  setThread(threadId: string, handler: ApprovalHandler | undefined): boolean {
    const had = this.#threads.has(threadId);
    if (handler === undefined) this.#threads.delete(threadId);
    else this.#threads.set(threadId, handler);
    return had;
  }
}
