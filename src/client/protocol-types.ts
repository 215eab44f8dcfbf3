import type * as protocol from "../schema/index.js";

/**
 * A notification from the app-server, discriminated by `method`: what `handle.stream()` yields and
 * `codex.events` emits as `notification`. The same type as
 * {@link "codex-app-server/protocol"!Notification:type | Notification} of `codex-app-server/protocol`.
 *
 * @example
 * ```ts
 * for await (const notification of handle.stream()) {
 *   switch (notification.method) {
 *     case "item/agentMessage/delta":
 *       process.stdout.write(notification.params.delta);
 *       break;
 *     case "item/completed":
 *       console.log(`\n[${notification.params.item.type}]`);
 *       break;
 *   }
 * }
 * ```
 */
export type Notification = protocol.Notification;

/**
 * One item of a turn, discriminated by `type`: a user or agent message, reasoning, a command the agent ran, a
 * file change, a tool call, … The same type as
 * {@link "codex-app-server/protocol"!ThreadItem:type | ThreadItem} of `codex-app-server/protocol`.
 *
 * @example
 * ```ts
 * const { items } = await thread.run("Run the tests and fix what fails.");
 * for (const item of items) {
 *   switch (item.type) {
 *     case "agentMessage":
 *       console.log(item.text);
 *       break;
 *     case "commandExecution":
 *       console.log(`$ ${item.command} → exit ${item.exitCode}`);
 *       break;
 *     case "fileChange":
 *       console.log("changed", item.changes.map((change) => change.path));
 *       break;
 *   }
 * }
 * ```
 */
export type ThreadItem = protocol.ThreadItem;

/**
 * A turn as the app-server reports it: its id, status, items, error and timing. What `handle.run()` returns.
 * The same type as {@link "codex-app-server/protocol"!Turn:type | Turn} of `codex-app-server/protocol`.
 *
 * @example
 * ```ts
 * const turn: Turn = await (await thread.turn("Summarise README.md")).run();
 * console.log(turn.id, turn.status, `${turn.items.length} items`, turn.error?.message ?? "no error");
 * ```
 */
export type Turn = protocol.Turn;

/**
 * How a turn stands: `inProgress` while it runs, then `completed`, `interrupted` or `failed`. The same type
 * as {@link "codex-app-server/protocol"!TurnStatus:type | TurnStatus} of `codex-app-server/protocol`; the
 * value of the same name holds the four statuses by name, like the Python SDK's enum
 * (`TurnStatus.completed === "completed"`).
 *
 * @example
 * ```ts
 * if ((await handle.run()).status === TurnStatus.interrupted) console.log("stopped early");
 *
 * function describe(status: TurnStatus): string {
 *   switch (status) {
 *     case "inProgress":
 *       return "still running";
 *     case "completed":
 *       return "done";
 *     case "interrupted":
 *       return "stopped by interrupt()";
 *     case "failed":
 *       return "failed: see turn.error";
 *   }
 * }
 * console.log(describe((await handle.run()).status));
 * ```
 */
export type TurnStatus = protocol.TurnStatus;
export const TurnStatus = {
  inProgress: "inProgress",
  completed: "completed",
  interrupted: "interrupted",
  failed: "failed",
} as const satisfies { readonly [Status in protocol.TurnStatus]: Status };
