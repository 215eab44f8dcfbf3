import type { ApprovalHandler, ServerRequestAnswer } from "../client/server-request.js";
import type { WireAnswer, WireServerRequest } from "./messages.js";
import { fromWire } from "./wire-error.js";

interface Relayed {
  readonly key: number;
  readonly request: WireServerRequest;
  readonly settle: (answer: WireAnswer | null) => void;
}

/**
 * Worker side: carries server requests to the caller's approval handler. The {@link handler} (the worker's
 * `AsyncCodex` approval handler) holds each request the caller wants to see until one of the caller's calls
 * on this client picks it up ({@link take}) and answers it ({@link answer}). A request the server settles
 * first (resolved, its turn ended, `approvalTimeoutMs` passed, the connection closed) is dropped unseen, and
 * the async client gives its fail-closed answer.
 */
export class ServerRequestRelay {
  #nextKey = 1;
  #forwardAll: boolean;
  readonly #forwardedThreads = new Set<string>();
  readonly #waiting: Relayed[] = [];
  readonly #handedOut = new Map<number, Relayed>();
  #arrival = Promise.withResolvers<void>();

  constructor(forwardAll: boolean) {
    this.#forwardAll = forwardAll;
  }

  /** The approval handler for the worker's `AsyncCodex`. */
  readonly handler: ApprovalHandler = (request) => {
    if (!this.#forwards(request.threadId)) return undefined;
    return new Promise<ServerRequestAnswer | undefined>((resolve, reject) => {
      const { signal, ...rest } = request;
      const relayed: Relayed = {
        key: this.#nextKey++,
        request: rest,
        settle: (answer) => {
          signal.removeEventListener("abort", drop);
          if (answer === null || answer.kind === "default") resolve(undefined);
          else if (answer.kind === "answer") resolve(answer.value);
          else reject(fromWire(answer.error));
        },
      };
      const drop = (): void => {
        const index = this.#waiting.indexOf(relayed);
        if (index >= 0) this.#waiting.splice(index, 1);
        this.#handedOut.delete(relayed.key);
        relayed.settle(null);
      };
      // eslint-disable-next-line @typescript-eslint/no-meaningless-void-operator -- returns from the executor once resolved
      if (signal.aborted) return void resolve(undefined);
      signal.addEventListener("abort", drop, { once: true });
      this.#waiting.push(relayed);
      this.#wake();
    });
  };

  /** Whether requests about `threadId` (or, with `null`, all requests) go to the caller. */
  forward(threadId: string | null, on: boolean): void {
    if (threadId === null) this.#forwardAll = on;
    else if (on) this.#forwardedThreads.add(threadId);
    else this.#forwardedThreads.delete(threadId);
  }

  /** Hands the oldest waiting request to the caller, if there is one. */
  take(): { key: number; request: WireServerRequest } | undefined {
    const relayed = this.#waiting.shift();
    if (relayed === undefined) return undefined;
    this.#handedOut.set(relayed.key, relayed);
    return { key: relayed.key, request: relayed.request };
  }

  /** The caller's answer to a request it took. An answer to a request settled meanwhile is ignored. */
  answer(key: number, answer: WireAnswer): void {
    const relayed = this.#handedOut.get(key);
    this.#handedOut.delete(key);
    relayed?.settle(answer);
  }

  /** Resolves when a request arrives (at once if one is waiting). */
  arrival(): Promise<void> {
    return this.#waiting.length > 0 ? Promise.resolve() : this.#arrival.promise;
  }

  /** The client is gone: every request held gets the default answer. */
  clear(): void {
    for (const relayed of [...this.#waiting, ...this.#handedOut.values()]) relayed.settle(null);
    this.#waiting.length = 0;
    this.#handedOut.clear();
  }

  #forwards(threadId: string | null): boolean {
    return this.#forwardAll || (threadId !== null && this.#forwardedThreads.has(threadId));
  }

  #wake(): void {
    const arrival = this.#arrival;
    this.#arrival = Promise.withResolvers<void>();
    arrival.resolve();
  }
}
