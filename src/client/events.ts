import Emittery from "emittery";
import { unsubscribe, type Unsubscribe } from "../rpc/server-request.js";

/**
 * What an event listener receives: the event's `name` and its `data` (emittery's shape), on every object of
 * this library that has events — `codex.on()`, `handle.on()` and the sync client's `codex.on()`.
 *
 * @example
 * ```ts
 * const onDiagnostic = ({ name, data }: EventOf<CodexEventMap, "diagnostic">) => console.warn(name, data.kind, data.message);
 * codex.on("diagnostic", onDiagnostic);
 * ```
 */
export interface EventOf<Map, Name extends keyof Map> {
  readonly name: Name;
  readonly data: Map[Name];
}

/**
 * A listener of one event. A listener that throws (or rejects) does not stop the others; it is reported as a
 * `listenerFailed` diagnostic.
 *
 * @example
 * ```ts
 * const listener: EventListener<TurnEventMap, "delta"> = ({ data }) => void process.stdout.write(data.delta);
 * handle.on("delta", listener);
 * ```
 */
export type EventListener<Map, Name extends keyof Map> = (event: EventOf<Map, Name>) => void | Promise<void>;

/**
 * Options of every `on()`.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * codex.on("diagnostic", ({ data }) => console.warn(data.message), { signal: stop.signal });
 * stop.abort(); // the listener is removed
 * ```
 */
export interface ListenOptions {
  /** Removes the listener when aborted. */
  signal?: AbortSignal | undefined;
}

/**
 * The events of one object, asynchronous: listeners run after the emitting code (emittery's `emit`), and a
 * listener's failure is handed to `onListenerError`. Internal; the objects expose only `on()`.
 */
export class AsyncEvents<Map extends object> {
  /** Made by the first `on()`: most turns never get a listener, and an emittery costs ≈ 0.1–0.3 ms to make. */
  #emitter: Emittery<Map> | null = null;
  readonly #onListenerError: (error: unknown, name: keyof Map) => void;

  constructor(onListenerError: (error: unknown, name: keyof Map) => void) {
    this.#onListenerError = onListenerError;
  }

  /** Adds a listener; returns its {@link Unsubscribe}. */
  on<Name extends keyof Map>(name: Name, listener: EventListener<Map, Name>, options?: ListenOptions): Unsubscribe {
    this.#emitter ??= new Emittery<Map>();
    const off = this.#emitter.on(
      name,
      listener as never,
      options?.signal === undefined ? undefined : { signal: options.signal },
    );
    return unsubscribe(off);
  }

  /** Whether anything listens to `name` (or to anything). */
  has(name?: keyof Map): boolean {
    return this.#emitter !== null && this.#emitter.listenerCount(name) > 0;
  }

  /** Delivers `data` to the listeners of `name`, if there are any. */
  emit<Name extends keyof Map>(name: Name, data: Map[Name]): void {
    if (this.#emitter === null || this.#emitter.listenerCount(name) === 0) return;
    (this.#emitter.emit as (name: Name, data: Map[Name]) => Promise<void>)(name, data).catch((error: unknown) =>
      this.#onListenerError(error, name),
    );
  }
}

/**
 * The events of one object, synchronous: `emit` calls each listener in turn, on the emitting thread (the sync
 * client delivers on its caller's thread, which may never yield to the event loop). Internal.
 */
export class SyncEvents<Map extends object> {
  readonly #listeners = new Map<keyof Map, Set<EventListener<Map, keyof Map>>>();

  /** Adds a listener; returns its {@link Unsubscribe}. */
  on<Name extends keyof Map>(name: Name, listener: EventListener<Map, Name>, options?: ListenOptions): Unsubscribe {
    const signal = options?.signal;
    const stop = unsubscribe(() => {
      this.#listeners.get(name)?.delete(listener as EventListener<Map, keyof Map>);
      signal?.removeEventListener("abort", stop);
    });
    if (signal?.aborted === true) return stop;
    let listeners = this.#listeners.get(name);
    if (listeners === undefined) this.#listeners.set(name, (listeners = new Set()));
    listeners.add(listener as EventListener<Map, keyof Map>);
    signal?.addEventListener("abort", stop, { once: true });
    return stop;
  }

  /** Calls the listeners of `name` with `data`; one that throws does not stop the others. */
  emit<Name extends keyof Map>(name: Name, data: Map[Name]): void {
    for (const listener of [...(this.#listeners.get(name) ?? [])]) {
      try {
        void Promise.resolve(listener({ name, data })).catch(() => {});
      } catch {
        // a listener's failure must not fail the call that delivered the event
      }
    }
  }
}
