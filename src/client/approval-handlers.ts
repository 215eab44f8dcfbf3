import { JsonRpcError } from "../errors/json-rpc-error.js";
import type { ServerRequestMethod, ServerRequestResult } from "../schema/index.js";
import type { ApprovalHandler, ServerRequest, ServerRequestAnswer } from "./server-request.js";

const REFUSAL = "declined: this client's approval handler did not approve it";

/**
 * The fail-closed answer of every server request method of the protocol. Its type requires every method, so
 * the compiler keeps it complete when the protocol changes; the list of methods the client answers is derived
 * from it.
 */
const FAIL_CLOSED: { readonly [M in ServerRequestMethod]: () => ServerRequestResult<M> } = {
  "item/commandExecution/requestApproval": () => ({ decision: "decline" }),
  "item/fileChange/requestApproval": () => ({ decision: "decline" }),
  "item/permissions/requestApproval": () => ({ permissions: {}, scope: "turn" }),
  "item/tool/requestUserInput": () => ({ answers: {} }),
  "item/tool/call": () => ({ contentItems: [{ type: "inputText", text: REFUSAL }], success: false }),
  "mcpServer/elicitation/request": () => ({ action: "decline" }),
  "account/chatgptAuthTokens/refresh": () => {
    throw new JsonRpcError(
      "no ChatGPT tokens: this client has no approval handler for account/chatgptAuthTokens/refresh",
      { code: -32603 },
    );
  },
  "attestation/generate": () => {
    throw new JsonRpcError("no attestation: this client has no approval handler for attestation/generate", {
      code: -32603,
    });
  },
  applyPatchApproval: () => ({ decision: { denied: { rejection: REFUSAL } } }),
  execCommandApproval: () => ({ decision: { denied: { rejection: REFUSAL } } }),
};

/** The server request methods of the pinned protocol, each of which the client answers. */
export const SERVER_REQUEST_METHODS = Object.keys(FAIL_CLOSED) as readonly ServerRequestMethod[];

/**
 * The answer that fails closed, for each server request: command and file-change approvals are declined;
 * permission requests grant nothing; user-input requests get no answers; tool calls fail; elicitations are
 * declined; the legacy approvals are denied. Token refreshes and attestations cannot be answered without the
 * user's own code, so they get a JSON-RPC error.
 *
 * @example
 * ```ts
 * failClosedAnswer({ method: "item/fileChange/requestApproval", ... }); // { decision: "decline" }
 * ```
 */
export function failClosedAnswer(request: Pick<ServerRequest, "method">): ServerRequestAnswer {
  return FAIL_CLOSED[request.method]();
}

/**
 * The default handler: answers every server request with {@link failClosedAnswer}. Nothing is approved.
 *
 * @example
 * ```ts
 * const codex = new AsyncCodex({ approvalHandler: declineAll });
 * ```
 */
export const declineAll: ApprovalHandler = (request) => failClosedAnswer(request);

/**
 * **Dangerous**: approves every command and file change, grants every permission asked for, for this turn.
 * Use it only in a sandbox you are ready to lose. Other requests get the fail-closed answer.
 *
 * @example
 * ```ts
 * const codex = new AsyncCodex({ approvalHandler: dangerouslyAcceptAll });
 * ```
 */
export const dangerouslyAcceptAll: ApprovalHandler = (request) => {
  switch (request.method) {
    case "item/commandExecution/requestApproval":
    case "item/fileChange/requestApproval":
      return { decision: "accept" };
    case "item/permissions/requestApproval":
      return { permissions: request.params.permissions, scope: "turn" };
    case "applyPatchApproval":
    case "execCommandApproval":
      return { decision: "approved" };
    default:
      return undefined;
  }
};

const SHELL_CONTROL = /[;&|`$<>\n\\(){}'"*?~]/;

/**
 * Options of {@link allowCommands}.
 *
 * @example
 * ```ts
 * const codex = new AsyncCodex({
 *   approvalHandler: allowCommands(["npm test", "git diff"], {
 *     otherwise: (request) => (request.method === "item/fileChange/requestApproval" ? { decision: "accept" } : undefined),
 *   }),
 * });
 * ```
 */
export interface AllowCommandsOptions {
  /** Answers everything the allow-list does not approve. Default: {@link declineAll}. */
  otherwise?: ApprovalHandler | undefined;
}

const SHELL_WRAPPER = /^(?:\/\S*\/)?(?:ba|z|da)?sh\s+-l?c\s+(?:'([^']*)'|([^\s']+))$/s;

/** The script of `bash -lc '<script>'` (how codex wraps commands), else the command itself. */
function unwrap(command: string): string {
  const match = SHELL_WRAPPER.exec(command.trim());
  return match === null ? command : (match[1] ?? match[2] ?? command);
}

function words(command: string): string[] {
  return command
    .trim()
    .split(/\s+/)
    .filter((word) => word.length > 0);
}

/**
 * Approves a command only when its words start with one of the allowed prefixes (`"git status"` allows
 * `git status --short`, not `git push`), and it has no shell control characters (`;`, `&&`, `|`, `$(…)`,
 * redirections, quotes…), so `ls; rm -rf ~` is not let through by `ls`. The shell wrapper codex puts around
 * commands (`/bin/bash -lc '…'`) is looked through. Everything else goes to `otherwise` (default: decline).
 *
 * @example
 * ```ts
 * const codex = new AsyncCodex({ approvalHandler: allowCommands(["git status", "ls", "cat"]) });
 * ```
 */
export function allowCommands(prefixes: readonly string[], options: AllowCommandsOptions = {}): ApprovalHandler {
  const allowed = prefixes.map(words).filter((prefix) => prefix.length > 0);
  const otherwise = options.otherwise ?? declineAll;
  const matches = (command: string | readonly string[] | null | undefined): boolean => {
    if (command === null || command === undefined) return false;
    const text = unwrap(typeof command === "string" ? command : command.join(" "));
    if (SHELL_CONTROL.test(text)) return false;
    const given = words(text);
    return allowed.some((prefix) => prefix.every((word, index) => given[index] === word));
  };
  return (request) => {
    if (request.method === "item/commandExecution/requestApproval" && matches(request.params.command)) {
      return { decision: "accept" };
    }
    if (request.method === "execCommandApproval" && matches(request.params.command)) return { decision: "approved" };
    return otherwise(request);
  };
}
