import { AppServerError } from "../errors/app-server-error.js";
import { TransportClosedError } from "../errors/transport-closed-error.js";
import { ClientHost } from "./client-host.js";
import type { BridgeRequest, BridgeResponse, Outcome } from "./messages.js";
import { operations, type OpenedClient } from "./operations.js";
import { WAIT_SLICE_MS } from "./timing.js";
import type { WireConfig } from "./wire-config.js";
import { toWire } from "./wire-error.js";

type Settled = Extract<Outcome, { kind: "value" } | { kind: "error" }>;

interface Operation {
  readonly id: number;
  readonly host: ClientHost;
  readonly settled: Promise<Settled>;
  result: Settled | null;
  /** Undoes what the operation started, when the caller gives up on it. */
  readonly cancel?: (() => void) | undefined;
}

/**
 * Worker side of the sync bridge: the clients, and the operations still running for a caller that polls
 * them. Every call answers within {@link WAIT_SLICE_MS} (while the worker's event loop runs): with the
 * operation's value or error, with a server request for the caller's approval handler (those come first),
 * or with "waiting".
 *
 * @example
 * ```ts
 * const host = new WorkerHost();
 * runAsWorker((request: BridgeRequest) => host.handle(request));
 * ```
 */
export class WorkerHost {
  readonly #clients = new Map<number, ClientHost>();
  readonly #operations = new Map<number, Operation>();
  #nextClientId = 1;
  #nextOperationId = 1;

  /** Handles one call from the caller's thread. */
  async handle(request: BridgeRequest): Promise<BridgeResponse> {
    switch (request.kind) {
      case "open":
        return this.#wait(this.#open(request.config));
      case "invoke": {
        const host = this.#clients.get(request.clientId);
        if (host === undefined) {
          const error = TransportClosedError.clientClosed("Codex");
          return { outcome: { kind: "error", error: toWire(error) } };
        }
        if (request.releasedTurns !== undefined) host.releaseTurns(request.releasedTurns);
        const run = operations[request.name] as (host: ClientHost, ...args: unknown[]) => Promise<unknown>;
        const settled = (async () => run(host, ...request.args))();
        if (request.name === "close") {
          const forget = (): void => void this.#clients.delete(host.id);
          settled.then(forget, forget);
        }
        return this.#wait(this.#start(host, settled));
      }
      case "poll": {
        const operation = this.#operations.get(request.opId);
        if (operation === undefined) {
          const error = new AppServerError(
            `the sync bridge has no operation ${request.opId} (it was cancelled or has already answered).`,
          );
          return { outcome: { kind: "error", error: toWire(error) } };
        }
        if (request.answer !== undefined) operation.host.relay.answer(request.answer.key, request.answer.answer);
        return this.#wait(operation);
      }
      case "cancel": {
        const operation = this.#operations.get(request.opId);
        this.#operations.delete(request.opId);
        operation?.cancel?.();
        return { outcome: { kind: "value", value: undefined } };
      }
    }
  }

  #open(config: WireConfig): Operation {
    const host = new ClientHost(this.#nextClientId++, config);
    this.#clients.set(host.id, host);
    const start = async (): Promise<OpenedClient> => {
      try {
        await host.codex.start();
      } catch (error) {
        this.#clients.delete(host.id);
        await host.close().catch(() => {});
        throw error;
      }
      return { clientId: host.id, metadata: host.codex.metadata, pid: host.pid };
    };
    return this.#start(host, start(), () => {
      this.#clients.delete(host.id);
      host.close().catch(() => {});
    });
  }

  #start(host: ClientHost, work: Promise<unknown>, cancel?: () => void): Operation {
    const operation: Operation = {
      id: this.#nextOperationId++,
      host,
      result: null,
      cancel,
      settled: work.then(
        (value): Settled => ({ kind: "value", value }),
        (error: unknown): Settled => ({ kind: "error", error: toWire(error) }),
      ),
    };
    void operation.settled.then((result) => (operation.result = result));
    this.#operations.set(operation.id, operation);
    return operation;
  }

  async #wait(operation: Operation): Promise<BridgeResponse> {
    const { host } = operation;
    let timer: NodeJS.Timeout | undefined;
    const sliceEnded = new Promise<"slice">((resolve) => (timer = setTimeout(resolve, WAIT_SLICE_MS, "slice")));
    try {
      for (;;) {
        const relayed = host.relay.take();
        if (relayed !== undefined) {
          return { outcome: { kind: "serverRequest", opId: operation.id, ...relayed }, news: host.takeNews() };
        }
        if (operation.result !== null) {
          this.#operations.delete(operation.id);
          return { outcome: operation.result, news: host.takeNews() };
        }
        const first = await Promise.race([operation.settled, host.relay.arrival(), sliceEnded]);
        if (first === "slice") return { outcome: { kind: "waiting", opId: operation.id }, news: host.takeNews() };
        if (typeof first === "object") operation.result = first;
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
