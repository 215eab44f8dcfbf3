import type { AsyncCodex, CodexEventMap, EventOf } from "../../src/index.js";

/** The next `name` event of `codex` (that `predicate` accepts), as `{ name, data }`. */
export function nextEvent<Name extends keyof CodexEventMap>(
  codex: AsyncCodex,
  name: Name,
  predicate: (event: EventOf<CodexEventMap, Name>) => boolean = () => true,
): Promise<EventOf<CodexEventMap, Name>> {
  const { promise, resolve } = Promise.withResolvers<EventOf<CodexEventMap, Name>>();
  const off = codex.on(name, (event) => {
    if (!predicate(event)) return;
    off();
    resolve(event);
  });
  return promise;
}
