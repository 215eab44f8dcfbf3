import { InvalidInputError } from "../errors/invalid-input-error.js";
import type { ApprovalsReviewer, AskForApproval, SandboxMode, SandboxPolicy } from "../schema/index.js";
import { approvalSettings, type ApprovalMode } from "./approval-mode.js";
import { sandboxModeOf, sandboxPolicyOf, type Sandbox } from "./sandbox.js";

const BYPASS = "dangerouslyBypassApprovalsAndSandbox";

interface ModeFields {
  approvalMode?: ApprovalMode | undefined;
  approvalPolicy?: AskForApproval | null | undefined;
  approvalsReviewer?: ApprovalsReviewer | null | undefined;
}

/** The wire params of a thread-level method: what the options give, with `approvalMode` and presets resolved. */
export type ThreadWireParams<T> = Omit<T, "approvalMode" | "sandbox"> & { sandbox?: SandboxMode | null };

/** The wire params of `turn/start`: the options with `approvalMode` and the `sandbox` preset resolved. */
export type TurnWireParams<T> = Omit<T, "approvalMode" | "sandbox"> & { sandboxPolicy?: SandboxPolicy | null };

/**
 * Resolves the options of `threadStart`/`threadResume`/`threadFork` into the protocol's params: `approvalMode`
 * into `approvalPolicy`/`approvalsReviewer` (and the bypass into `sandbox: "danger-full-access"`), a `sandbox`
 * preset into the protocol's mode. Nothing is sent before this has checked the options.
 *
 * @throws {InvalidInputError} for an unknown mode or sandbox, a mode given with `approvalPolicy` or
 * `approvalsReviewer`, or the bypass given with a sandbox.
 */
export function threadParams<T extends ModeFields & { sandbox?: Sandbox | SandboxMode | null | undefined }>(
  options: T,
): ThreadWireParams<T> {
  const { approvalMode, sandbox, ...rest } = options;
  const params: Record<string, unknown> = { ...rest };
  if (sandbox !== undefined) params.sandbox = sandbox === null ? null : sandboxModeOf(sandbox);
  if (approvalMode !== undefined) {
    Object.assign(params, modeSettings(approvalMode, rest));
    if (approvalMode === BYPASS) {
      if (sandbox !== undefined && sandbox !== null) throw bypassWith(`sandbox ${JSON.stringify(sandbox)}`);
      params.sandbox = "danger-full-access";
    }
  }
  return params as ThreadWireParams<T>;
}

/**
 * Resolves the options of `turn`/`run` into `turn/start`'s params: `approvalMode` as for threads (the bypass
 * becomes a `dangerFullAccess` sandbox policy), a `sandbox` preset into `sandboxPolicy`.
 *
 * @throws {InvalidInputError} for an unknown mode or preset, `sandbox` and `sandboxPolicy` given together, a mode
 * given with `approvalPolicy`/`approvalsReviewer`, or the bypass given with a sandbox or a sandbox policy.
 */
export function turnParams<
  T extends ModeFields & { sandbox?: Sandbox | undefined; sandboxPolicy?: SandboxPolicy | null | undefined },
>(options: T): TurnWireParams<T> {
  const { approvalMode, sandbox, ...rest } = options;
  const params: Record<string, unknown> = { ...rest };
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checked at run time too: callers may be plain JavaScript or pass what the types forbid
  const explicitPolicy = rest.sandboxPolicy !== undefined && rest.sandboxPolicy !== null;
  if (sandbox !== undefined) {
    if (explicitPolicy) {
      throw new InvalidInputError(
        `a turn got both sandbox ${JSON.stringify(sandbox)} and a sandboxPolicy: give the preset or the full policy, not both.`,
      );
    }
    params.sandboxPolicy = sandboxPolicyOf(sandbox);
  }
  if (approvalMode !== undefined) {
    Object.assign(params, modeSettings(approvalMode, rest));
    if (approvalMode === BYPASS) {
      if (sandbox !== undefined) throw bypassWith(`sandbox ${JSON.stringify(sandbox)}`);
      if (explicitPolicy) throw bypassWith(`a sandboxPolicy of type ${JSON.stringify(rest.sandboxPolicy?.type)}`);
      params.sandboxPolicy = { type: "dangerFullAccess" };
    }
  }
  return params as TurnWireParams<T>;
}

function modeSettings(mode: ApprovalMode, rest: ModeFields): Record<string, unknown> {
  const settings = approvalSettings(mode);
  for (const key of ["approvalPolicy", "approvalsReviewer"] as const) {
    if (rest[key] !== undefined && rest[key] !== null) {
      throw new InvalidInputError(
        `approvalMode ${JSON.stringify(mode)} sets ${key} itself, so it cannot be given with ${key} ${JSON.stringify(rest[key])}: give approvalMode or the raw ${key}, not both.`,
      );
    }
  }
  return { ...settings };
}

function bypassWith(what: string): InvalidInputError {
  return new InvalidInputError(
    `approvalMode "${BYPASS}" turns the sandbox off, so it cannot be combined with ${what}: drop the sandbox, or pick another approval mode (e.g. "denyAll").`,
  );
}
