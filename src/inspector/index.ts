/**
 * The live inspector of `codex-app-server` (`codex-app-server/inspector`): a local page that shows what a
 * client is doing — its state, threads, turns on the turn machine's diagram, approvals, messages — as it happens.
 *
 * @example
 * ```ts
 * import { AsyncCodex } from "codex-app-server";
 * import { serveInspector } from "codex-app-server/inspector";
 *
 * await using codex = new AsyncCodex();
 * const inspector = await serveInspector(codex, { port: 4319 });
 * console.log(`open ${inspector.url}`);
 * ```
 *
 * @module codex-app-server/inspector
 */
export { PortInUseError } from "../errors/port-in-use-error.js";
export { serveInspector, type InspectedClient, type Inspector, type InspectorOptions } from "./serve-inspector.js";
