import { namesOf } from "./names-of.js";
import { InvalidInputError } from "../errors/invalid-input-error.js";
import type { ApprovalsReviewer, AskForApproval } from "../schema/index.js";

/**
 * How the server settles a command or edit that needs more than the sandbox allows (the Python SDK's
 * `ApprovalMode`), given as the `approvalMode` option of `threadStart`, `threadResume`, `threadFork`, `turn` and
 * `run`:
 *
 * - `autoReview` — `approvalPolicy: "on-request"` with the automatic reviewer (`approvalsReviewer:
 *   "auto_review"`): codex asks its own reviewer model, not your approval handler, whether an escalation may run.
 * - `denyAll` — `approvalPolicy: "never"`: nothing is ever asked; whatever the sandbox forbids fails.
 * - `dangerouslyBypassApprovalsAndSandbox` — `approvalPolicy: "never"` and full access (no sandbox): every
 *   command runs as you. Combining it with a `sandbox` or `sandboxPolicy` is an {@link InvalidInputError}.
 *
 * With no mode the client sends nothing: the server's configuration decides, and anything it asks goes to the
 * approval handler, which declines by default.
 *
 * @example
 * ```ts
 * import { ApprovalMode } from "codex-app-server";
 *
 * const thread = await codex.threadStart({ approvalMode: ApprovalMode.denyAll });
 * await thread.run("Tidy up the build folder.", { approvalMode: "autoReview" });
 * ```
 */
export const ApprovalMode = namesOf("autoReview", "denyAll", "dangerouslyBypassApprovalsAndSandbox");

/**
 * One of the {@link ApprovalMode} values: `"autoReview" | "denyAll" | "dangerouslyBypassApprovalsAndSandbox"`.
 *
 * @example
 * ```ts
 * const mode: ApprovalMode = process.env.CI ? "denyAll" : "autoReview";
 * ```
 */
export type ApprovalMode = (typeof ApprovalMode)[keyof typeof ApprovalMode];

/** The wire settings of a mode (the sandbox part of the bypass is added by the caller, which knows the method). */
export interface ApprovalSettings {
  readonly approvalPolicy: AskForApproval;
  readonly approvalsReviewer?: ApprovalsReviewer;
}

const MODES = Object.values(ApprovalMode) as readonly string[];

/**
 * The protocol's approval settings for a mode, as the Python SDK maps them.
 *
 * @throws {InvalidInputError} for a value that is not an {@link ApprovalMode}.
 */
export function approvalSettings(mode: ApprovalMode): ApprovalSettings {
  switch (mode) {
    case "autoReview":
      return { approvalPolicy: "on-request", approvalsReviewer: "auto_review" };
    case "denyAll":
    case "dangerouslyBypassApprovalsAndSandbox":
      return { approvalPolicy: "never" };
    default:
      throw new InvalidInputError(
        `approvalMode ${JSON.stringify(mode)} is not an approval mode: use one of ${MODES.map((m) => `"${m}"`).join(", ")} (ApprovalMode.*), or leave it out to let the approval handler decide.`,
      );
  }
}
