import type { ActorRefFrom } from "xstate";
import { AppServerError } from "../errors/app-server-error.js";
import { TurnNotRunningError } from "../errors/turn-not-running-error.js";
import type { TurnMachine } from "../machines/turn.js";
import type { RequestOptions } from "../rpc/peer.js";
import type { Unsubscribe } from "../rpc/server-request.js";
import type {
  Notification,
  ThreadTokenUsage,
  Turn,
  TurnInterruptResponse,
  TurnSteerResponse,
} from "../schema/index.js";
import { abortable } from "./abortable.js";
import type { EventListener, ListenOptions } from "./events.js";
import { toUserInputs, type Input } from "./input.js";
import type { LiveTurn } from "./live-turn.js";
import type { Session } from "./session.js";
import type { TurnEventMap } from "./turn-events.js";

/**
 * A turn's machine as a running actor: read its state with `getSnapshot()`, watch it with `subscribe()`.
 *
 * @example
 * ```ts
 * const actor: TurnActor = handle.actor;
 * actor.subscribe((snapshot) => console.log(snapshot.value, snapshot.context.items.length));
 * ```
 */
export type TurnActor = ActorRefFrom<TurnMachine>;

/**
 * Options of {@link AsyncTurnHandle.stream} and {@link AsyncTurnHandle.run}.
 *
 * @example
 * ```ts
 * const turn = await handle.run({ signal: AbortSignal.timeout(120_000) }); // stop waiting after 2 min
 * ```
 */
export interface TurnWaitOptions {
  /** Stops waiting (the turn goes on; interrupt it with `interrupt()`). */
  signal?: AbortSignal | undefined;
}

/**
 * A running (or finished) turn: stream its notifications, wait for its result, steer or interrupt it.
 * Returned by `thread.turn()`; its state is the turn machine's (`handle.actor`).
 *
 * @example
 * ```ts
 * const handle = await thread.turn("Write a haiku about JSON-RPC.");
 * for await (const n of handle.stream()) {
 *   if (n.method === "item/agentMessage/delta") process.stdout.write(n.params.delta);
 * }
 * ```
 */
export class AsyncTurnHandle {
  /** The turn's id. */
  readonly id: string;
  /** The thread the turn runs on. */
  readonly threadId: string;
  readonly #live: LiveTurn;
  readonly #session: Session;

  /** @internal Handles come from `thread.turn()`. */
  constructor(session: Session, live: LiveTurn, threadId: string, turnId: string) {
    this.#session = session;
    this.#live = live;
    this.threadId = threadId;
    this.id = turnId;
  }

  /**
   * The turn's machine as an actor: subscribe to watch its state (`starting` → `running.started` →
   * `running.streaming` → `completed` | `interrupted` | `failed`), or read `getSnapshot()`.
   *
   * @example
   * ```ts
   * handle.actor.subscribe((snapshot) => console.log(JSON.stringify(snapshot.value)));
   * ```
   */
  get actor(): TurnActor {
    return this.#live.actor;
  }

  /**
   * The token usage the server last reported for this turn (`last`: this turn; `total`: the thread so far), or
   * `null` before the first report.
   *
   * @example
   * ```ts
   * await handle.run();
   * console.log(handle.usage?.last.totalTokens);
   * ```
   */
  get usage(): ThreadTokenUsage | null {
    return this.#live.actor.getSnapshot().context.usage;
  }

  /**
   * How many best-effort deltas were dropped because nobody read the stream in time (see
   * `maxBufferedNotifications`). The completed items still carry the whole text.
   *
   * @example
   * ```ts
   * if (handle.droppedDeltas > 0) console.warn(`${handle.droppedDeltas} deltas were dropped`);
   * ```
   */
  get droppedDeltas(): number {
    return this.#live.queue.dropped;
  }

  /**
   * Adds input to the running turn (`turn/steer`, with this turn as the expected one).
   *
   * @throws {TurnNotRunningError} when the turn has already ended.
   * @example
   * ```ts
   * const handle = await thread.turn("Refactor src/app.ts");
   * await handle.steer("Keep the public API unchanged.");
   * ```
   */
  async steer(input: Input, options?: RequestOptions): Promise<TurnSteerResponse> {
    const wire = toUserInputs(input);
    if (!this.#live.actor.getSnapshot().can({ type: "steer" })) {
      throw new TurnNotRunningError(
        `turn ${this.id} on thread ${this.threadId} has already ended, so it cannot be steered: start a new turn with thread.turn(...).`,
        { threadId: this.threadId, turnId: this.id },
      );
    }
    const answer = await this.#session.request(
      "turn/steer",
      { threadId: this.threadId, expectedTurnId: this.id, input: wire },
      options,
    );
    this.#live.actor.send({ type: "steer" });
    return answer;
  }

  /**
   * Asks the server to stop the turn (`turn/interrupt`); the turn then ends `interrupted`. Interrupting a
   * turn that has already ended does nothing.
   *
   * @example
   * ```ts
   * const handle = await thread.turn("Count to a million.");
   * setTimeout(() => void handle.interrupt(), 1_000);
   * const turn = await handle.run(); // turn.status === "interrupted"
   * ```
   */
  async interrupt(options?: RequestOptions): Promise<TurnInterruptResponse> {
    if (!this.#live.actor.getSnapshot().can({ type: "interrupt" })) return {};
    const answer = await this.#session.request("turn/interrupt", { threadId: this.threadId, turnId: this.id }, options);
    this.#live.actor.send({ type: "interrupt" });
    return answer;
  }

  /**
   * This turn's notifications, in order, from its start (nothing is lost by starting to read late), ending
   * right after its `turn/completed`. It can be consumed once, and not after `run()` (which consumes the turn
   * when no stream reads it, so that a handle kept afterwards holds nothing). Breaking out of the loop does not
   * stop the turn; what comes after is no longer kept. If the connection ends first, the loop throws
   * `TransportClosedError`.
   *
   * @throws {AppServerError} when the stream is already being read, or `run()` consumed the turn.
   *
   * @example
   * ```ts
   * for await (const n of handle.stream()) {
   *   if (n.method === "item/completed") console.log(n.params.item.type);
   * }
   * ```
   */
  stream(options: TurnWaitOptions = {}): AsyncIterableIterator<Notification> {
    return this.#live.queue.read(`the stream of turn ${this.id}`, options.signal);
  }

  /**
   * Waits for the turn to end and returns it, whatever its status (`completed`, `interrupted` or `failed`;
   * `thread.run()` is the one that rejects on failure). The server sends only a summary of the items with
   * `turn/completed`, so `items` holds every item the client saw, in the order they started. Unless a
   * `stream()` is reading the turn, a `run()` that returns consumes it: the notifications kept for a stream
   * are let go (a `run()` that was aborted consumes nothing).
   *
   * @example
   * ```ts
   * const turn = await (await thread.turn("hi")).run();
   * console.log(turn.id, turn.status);
   * ```
   */
  async run(options: TurnWaitOptions = {}): Promise<Turn> {
    const finished = await abortable(this.#live.finished, options.signal);
    this.#live.queue.consumeByRun();
    const turn = finished.context.turn;
    if (turn !== null) return turn;
    throw this.#live.failure ?? new AppServerError(`turn ${this.id} ended without a turn/completed`);
  }

  /**
   * Listens to the turn's typed events: `delta` (agent text as it streams), `item` (each completed item),
   * `completed` (the finished turn), `error` (an error the server will not retry). Returns an unsubscribe
   * function.
   *
   * Events are not replayed: those that fired before `on()` was called (a fast turn can stream before
   * `thread.turn()` returns) are only in `stream()`, which keeps everything. `completed` is the exception: a
   * listener added after the turn ended is called once with the finished turn, so waiting on it never hangs.
   *
   * @example
   * ```ts
   * handle.on("delta", ({ data }) => void process.stdout.write(data.delta));
   * handle.on("completed", ({ data }) => console.log("\n", data.status));
   * ```
   */
  on<Name extends keyof TurnEventMap>(
    name: Name,
    listener: EventListener<TurnEventMap, Name>,
    options?: ListenOptions,
  ): Unsubscribe {
    const off = this.#live.events.on(name, listener, options);
    const turn = this.#live.actor.getSnapshot().context.turn;
    if (name === "completed" && turn !== null) {
      off();
      const event = { name, data: turn as TurnEventMap[Name] };
      void Promise.resolve()
        .then(() => (options?.signal?.aborted === true ? undefined : listener(event)))
        .catch((error: unknown) => this.#live.listenerFailed(error));
    }
    return off;
  }
}
