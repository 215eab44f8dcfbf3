import { toUserInputs, type Input } from "../client/input.js";
import type { Notification, Turn, TurnInterruptResponse, TurnSteerResponse } from "../schema/index.js";
import { readBatches } from "./batch-reader.js";
import type { ClientLink } from "./client-link.js";
import type { SyncRequestOptions, SyncTurnWaitOptions } from "./operations.js";

/**
 * A running (or finished) turn, synchronously: iterate its notifications, wait for its result, steer or
 * interrupt it. Returned by `thread.turn()`.
 *
 * @example
 * ```ts
 * const handle = thread.turn("Write a haiku about JSON-RPC.");
 * for (const n of handle.stream()) {
 *   if (n.method === "item/agentMessage/delta") process.stdout.write(n.params.delta);
 * }
 * ```
 */
export class TurnHandle {
  /** The turn's id. */
  readonly id: string;
  /** The thread the turn runs on. */
  readonly threadId: string;
  readonly #link: ClientLink;

  /** @internal Handles come from `thread.turn()`. */
  constructor(link: ClientLink, threadId: string, turnId: string) {
    this.#link = link;
    this.threadId = threadId;
    this.id = turnId;
    link.holdTurn(this, turnId);
  }

  /**
   * How many best-effort deltas were dropped because nobody read the stream in time.
   *
   * @example
   * ```ts
   * if (handle.droppedDeltas > 0) console.warn(`${handle.droppedDeltas} deltas were dropped`);
   * ```
   */
  get droppedDeltas(): number {
    return this.#link.invoke("droppedDeltas", [this.id], this.#link.requestBudget());
  }

  /**
   * Adds input to the running turn (`turn/steer`, with this turn as the expected one).
   *
   * @throws {TurnNotRunningError} when the turn has already ended.
   * @example
   * ```ts
   * const handle = thread.turn("Refactor src/app.ts");
   * handle.steer("Keep the public API unchanged.");
   * ```
   */
  steer(input: Input, options?: SyncRequestOptions): TurnSteerResponse {
    const wire = toUserInputs(input);
    return this.#link.invoke("steer", [this.id, wire, options], this.#link.requestBudget(options));
  }

  /**
   * Asks the server to stop the turn (`turn/interrupt`); the turn then ends `interrupted`. Interrupting a turn
   * that has already ended does nothing.
   *
   * @example
   * ```ts
   * handle.interrupt();
   * handle.run().status; // "interrupted"
   * ```
   */
  interrupt(options?: SyncRequestOptions): TurnInterruptResponse {
    return this.#link.invoke("interrupt", [this.id, options], this.#link.requestBudget(options));
  }

  /**
   * This turn's notifications, in order, from its start, ending right after its `turn/completed`; each step
   * blocks until the next notification (those already waiting come across together). It can be consumed
   * once; breaking out of the loop does not stop the turn. If the connection ends first, the loop throws
   * `TransportClosedError`.
   *
   * @throws {AppServerError} when the stream is already being consumed.
   * @example
   * ```ts
   * for (const n of handle.stream()) {
   *   if (n.method === "item/completed") console.log(n.params.item.type);
   * }
   * ```
   */
  stream(options: SyncTurnWaitOptions = {}): IterableIterator<Notification> {
    this.#link.invoke("streamOpen", [this.id, this.#link.turnWait(options)], this.#link.requestBudget());
    return this.#read();
  }

  /**
   * Waits for the turn to end and returns it, whatever its status (`completed`, `interrupted` or `failed`).
   * Waits at most `timeoutMs` (default: the client's `turnTimeoutMs`), then throws a `TimeoutError`.
   *
   * @example
   * ```ts
   * const turn = thread.turn("hi").run();
   * console.log(turn.id, turn.status);
   * ```
   */
  run(options: SyncTurnWaitOptions = {}): Turn {
    return this.#link.invoke("turnRun", [this.id, this.#link.turnWait(options)], "untilDone");
  }

  #read(): Generator<Notification, void, undefined> {
    return readBatches({
      take: () => this.#link.invoke("streamTake", [this.id], "untilDone"),
      close: () => this.#link.invoke("streamClose", [this.id], this.#link.requestBudget()),
      clientClosed: () => this.#link.closed,
    });
  }
}
