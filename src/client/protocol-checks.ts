/** The schema checks of the pinned protocol (`src/schema/validate.ts`). */
export type ProtocolChecks = typeof import("../schema/validate.js");

let loading: Promise<ProtocolChecks> | undefined;
let loaded: ProtocolChecks | undefined;

/**
 * Loads the protocol's schema checks, once. They are loaded on first use rather than on import: building the
 * TypeBox models of every definition takes most of the package's import time, and a client needs them only once it starts.
 *
 * @example
 * ```ts
 * const { checkServerNotification } = await loadProtocolChecks();
 * ```
 */
export function loadProtocolChecks(): Promise<ProtocolChecks> {
  return (loading ??= import("../schema/validate.js").then((checks) => (loaded = checks)));
}

/**
 * The protocol's schema checks if they are loaded already, else `undefined`.
 *
 * @example
 * ```ts
 * protocolChecks()?.checkServerNotification(method, params);
 * ```
 */
export function protocolChecks(): ProtocolChecks | undefined {
  return loaded;
}

/** The schema checks of the oldest supported codex's protocol (`src/schema/oldest/validate.ts`). */
export type OldestProtocolChecks = typeof import("../schema/oldest/validate.js");

let loadingOldest: Promise<OldestProtocolChecks> | undefined;

/**
 * Loads the oldest supported codex's schema checks, once, when a message first fails the pinned schema: a
 * message in the shape an older server in the supported range sends is accepted.
 *
 * @example
 * ```ts
 * const { checkOldestServerNotification } = await loadOldestProtocolChecks();
 * ```
 */
export function loadOldestProtocolChecks(): Promise<OldestProtocolChecks> {
  return (loadingOldest ??= import("../schema/oldest/validate.js"));
}
