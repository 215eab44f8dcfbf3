import type { Notification } from "../../src/index.js";
import type { TraceEvent } from "../../src/rpc/trace.js";

interface WireMessage {
  readonly id?: unknown;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
}

/**
 * Every JSON-RPC message a client sent and received, in wire order, through the config's `trace` hook.
 *
 * @example
 * ```ts
 * const wire = new WireLog();
 * const codex = new AsyncCodex({ trace: wire.hook });
 * assert.ok(!wire.sentMethods().includes("turn/start"));
 * ```
 */
export class WireLog {
  readonly events: TraceEvent[] = [];
  readonly hook = (event: TraceEvent): void => {
    this.events.push(event);
  };

  /** The methods of the requests and notifications the client sent, in order. */
  sentMethods(): string[] {
    return this.events
      .filter((event) => event.direction === "outgoing")
      .map((event) => (event.message as WireMessage).method)
      .filter((method): method is string => method !== undefined);
  }

  /** The notifications the client received, in order. */
  notifications(): Notification[] {
    return this.received()
      .filter((message) => message.method !== undefined && message.id === undefined)
      .map((message) => ({ method: message.method, params: message.params }) as Notification);
  }

  /** Everything the client received (notifications, answers, server requests), in order. */
  received(): WireMessage[] {
    return this.events.filter((event) => event.direction === "incoming").map((event) => event.message as WireMessage);
  }
}

/**
 * The turn a notification names: `params.turnId`, or `params.turn.id` (`turn/started`, `turn/completed`);
 * `null` for thread- and client-wide notifications. Written here, apart from the client's router, so tests
 * check the routing against the wire rather than against itself.
 */
export function turnOf(notification: { readonly params?: unknown }): string | null {
  const params = notification.params as { turnId?: unknown; turn?: { id?: unknown } } | undefined;
  if (typeof params?.turnId === "string") return params.turnId;
  return typeof params?.turn?.id === "string" ? params.turn.id : null;
}
