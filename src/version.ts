/**
 * This package's version (`package.json`'s), sent as `clientInfo.version` unless the config says otherwise.
 *
 * @example
 * ```ts
 * import { VERSION } from "codex-app-server";
 * console.log(`codex-app-server ${VERSION}`);
 * ```
 */
export const VERSION = "0.1.0";
