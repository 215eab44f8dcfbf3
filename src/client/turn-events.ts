import type { ThreadItem, Turn, TurnError } from "../schema/index.js";

/**
 * The typed events of a turn, through emittery: listeners get `{ name, data }`.
 *
 * - `delta`: streamed agent text as it arrives.
 * - `item`: an item the server completed (or that the client closed when the turn ended with it open).
 * - `completed`: the finished turn, whatever its status.
 * - `error`: an error the server reported for the turn and will not retry.
 *
 * @example
 * ```ts
 * const onItem = ({ data }: { data: TurnEventMap["item"] }) => console.log(`${data.type} ${data.id}`);
 * handle.on("item", onItem);
 * handle.on("error", ({ data }) => console.error(data.message));
 * ```
 */
export interface TurnEventMap {
  delta: { readonly itemId: string; readonly delta: string };
  item: ThreadItem;
  completed: Turn;
  error: TurnError;
}
