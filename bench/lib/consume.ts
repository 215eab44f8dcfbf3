import type { AsyncTurnHandle } from "../../src/client/async-turn-handle.js";

/**
 * How a benchmark reads a turn:
 * - `stream`: `for await (const n of handle.stream())`, touching each notification;
 * - `run`: `await handle.run()` only (nobody reads the stream);
 * - `on-delta`: `handle.on("delta", …)` counting the streamed characters, then `await handle.run()`.
 */
export type Consumer = "stream" | "run" | "on-delta";

export const CONSUMERS: readonly Consumer[] = ["stream", "run", "on-delta"];

/**
 * Reads one turn to its end the given way; returns what it saw: notifications (`stream`), items (`run`) or
 * delta characters (`on-delta`).
 *
 * @example
 * ```ts
 * const seen = await consumeTurn(await thread.turn("hi"), "stream");
 * ```
 */
export async function consumeTurn(handle: AsyncTurnHandle, consumer: Consumer): Promise<number> {
  switch (consumer) {
    case "stream": {
      let seen = 0;
      for await (const notification of handle.stream()) if (notification.method.length > 0) seen++;
      return seen;
    }
    case "run": {
      const turn = await handle.run();
      return turn.items.length;
    }
    case "on-delta": {
      let characters = 0;
      const off = handle.on("delta", ({ data }) => {
        characters += data.delta.length;
      });
      await handle.run();
      off();
      return characters;
    }
  }
}
