import { namesOf } from "./names-of.js";
import { InvalidInputError } from "../errors/invalid-input-error.js";
import type { SandboxMode, SandboxPolicy } from "../schema/index.js";

/**
 * Sandbox presets (the Python SDK's `Sandbox`), accepted by the `sandbox` option of `threadStart`,
 * `threadResume`, `threadFork` (which also take the protocol's own `"read-only"`, `"workspace-write"`,
 * `"danger-full-access"`) and of `turn`/`run` (where they become the turn's `sandboxPolicy`):
 *
 * - `readOnly` — commands may read anything and write nothing;
 * - `workspace` — commands may write inside the thread's working folder (and its temp folders);
 * - `fullAccess` — no sandbox at all.
 *
 * @example
 * ```ts
 * import { Sandbox } from "codex-app-server";
 *
 * const thread = await codex.threadStart({ sandbox: Sandbox.workspace });
 * await thread.run("Only look, do not touch.", { sandbox: "readOnly" });
 * ```
 */
export const Sandbox = namesOf("readOnly", "workspace", "fullAccess");

/**
 * One of the {@link Sandbox} presets: `"readOnly" | "workspace" | "fullAccess"`.
 *
 * @example
 * ```ts
 * const sandbox: Sandbox = trusted ? "workspace" : "readOnly";
 * ```
 */
export type Sandbox = (typeof Sandbox)[keyof typeof Sandbox];

const MODE_OF: Readonly<Record<Sandbox | SandboxMode, SandboxMode>> = {
  readOnly: "read-only",
  workspace: "workspace-write",
  fullAccess: "danger-full-access",
  "read-only": "read-only",
  "workspace-write": "workspace-write",
  "danger-full-access": "danger-full-access",
};

const POLICY_OF: Readonly<Record<Sandbox, SandboxPolicy>> = {
  readOnly: { type: "readOnly" },
  workspace: { type: "workspaceWrite" },
  fullAccess: { type: "dangerFullAccess" },
};

const PRESETS = Object.values(Sandbox)
  .map((preset) => `"${preset}"`)
  .join(", ");

/**
 * The thread's sandbox mode (`thread/start`'s `sandbox`) for a preset or a protocol mode.
 *
 * @throws {InvalidInputError} for anything else.
 */
export function sandboxModeOf(sandbox: Sandbox | SandboxMode): SandboxMode {
  const mode = Object.hasOwn(MODE_OF, sandbox) ? MODE_OF[sandbox] : undefined;
  if (mode === undefined) {
    throw new InvalidInputError(
      `sandbox ${JSON.stringify(sandbox)} is not a sandbox: use a preset (${PRESETS}, Sandbox.*) or one of "read-only", "workspace-write", "danger-full-access".`,
    );
  }
  return mode;
}

/**
 * A turn's sandbox policy (`turn/start`'s `sandboxPolicy`) for a preset.
 *
 * @throws {InvalidInputError} for anything but a preset (a full policy goes in `sandboxPolicy` instead).
 */
export function sandboxPolicyOf(sandbox: Sandbox): SandboxPolicy {
  const policy = Object.hasOwn(POLICY_OF, sandbox) ? POLICY_OF[sandbox] : undefined;
  if (policy === undefined) {
    throw new InvalidInputError(
      `a turn's sandbox ${JSON.stringify(sandbox)} is not a preset: use ${PRESETS} (Sandbox.*), or give a full policy as sandboxPolicy.`,
    );
  }
  return { ...policy };
}
