import type { CheckResult } from "../schema/validate.js";

/**
 * The schema checks of the pinned protocol the client runs on every message: compiled ahead of time
 * (`src/schema/precompiled-checks.ts`), no TypeBox. They say only whether a message fits; {@link explainMisfit}
 * says why one does not.
 */
export type ProtocolChecks = typeof import("../schema/precompiled-checks.js");

/** The TypeBox validators (`src/schema/validate.ts`), which also describe what is wrong. */
type SchemaValidators = typeof import("../schema/validate.js");

let loading: Promise<ProtocolChecks> | undefined;
let loaded: ProtocolChecks | undefined;

let validators: Promise<SchemaValidators> | undefined;

/**
 * Loads the protocol's schema checks, once. They are loaded when a client starts rather than on import (the
 * generated checks are ≈ 400 KB of code), alongside the app-server's spawn.
 */
export function loadProtocolChecks(): Promise<ProtocolChecks> {
  return (loading ??= import("../schema/precompiled-checks.js").then((checks) => (loaded = checks)));
}

/**
 * Says what is wrong with a message that a check of {@link ProtocolChecks} refused, with the TypeBox validators,
 * which load (≈ 0.2–0.3 s, once) only when this is first needed.
 */
export async function explainMisfit(
  check: "checkServerNotification" | "checkServerRequest" | "checkServerRequestResult",
  method: string,
  value: unknown,
): Promise<CheckResult> {
  const loadedValidators = await (validators ??= import("../schema/validate.js"));
  return loadedValidators[check](method, value);
}

/**
 * The protocol's schema checks if they are loaded already, else `undefined`.
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
 */
export function loadOldestProtocolChecks(): Promise<OldestProtocolChecks> {
  return (loadingOldest ??= import("../schema/oldest/validate.js"));
}
