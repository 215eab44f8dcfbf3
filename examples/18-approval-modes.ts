/**
 * 18 · Approval modes and sandbox presets (the Python SDK's `approval_mode=` and `Sandbox`): one option instead
 * of an approval policy, a reviewer and a sandbox that must agree.
 *
 * - `denyAll`: Codex never asks; a command that needs more than the sandbox allows is refused.
 * - `autoReview`: Codex asks its own reviewer model, not you; the reviewer's verdict decides.
 * - `dangerouslyBypassApprovalsAndSandbox`: no questions and no sandbox. It cannot be combined with a sandbox:
 *   the client refuses that before sending anything.
 *
 * With no mode the server's configuration decides, and anything it asks goes to your approval handler (which
 * declines by default). `RunResult` tells each turn's id, status and times.
 *
 * Run it with `npm run example -- 18`.
 */
import { ApprovalMode, AsyncCodex, InvalidInputError, Sandbox } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("18-approval-modes");
await using codex = new AsyncCodex(runtime.config);

let reviews = 0;
codex.on("item/autoApprovalReview/completed", ({ data }) => {
  reviews += 1;
  console.log(`reviewer: ${data.review.status}`);
});

// denyAll: the escalation the model asks for is refused at once, nobody is asked.
const cautious = await codex.threadStart({
  approvalMode: ApprovalMode.denyAll,
  sandbox: Sandbox.workspace,
  cwd: runtime.cwd,
});
const refused = await cautious.run("Write the report to ../report.txt");
console.log(
  `denyAll: ${refused.status}, commands run: ${refused.items.filter((item) => item.type === "commandExecution").length}`,
);
console.log(`denyAll answer: ${refused.finalResponse}`);

// autoReview: the reviewer model decides (here it allows the command).
const reviewed = await codex.threadStart({ approvalMode: "autoReview", sandbox: "workspace", cwd: runtime.cwd });
const allowed = await reviewed.run("Write the report to ../report.txt");
for (const item of allowed.items)
  if (item.type === "commandExecution") console.log(`autoReview: command ${item.status}`);
console.log(`autoReview answer: ${allowed.finalResponse} (reviews: ${reviews})`);

// The bypass with a sandbox is contradictory: refused before anything is sent.
try {
  await reviewed.run("hi", { approvalMode: "dangerouslyBypassApprovalsAndSandbox", sandbox: "readOnly" });
} catch (error) {
  if (!(error instanceof InvalidInputError)) throw error;
  console.log(`bypass + sandbox: ${error.name}`);
}

// A turn can change the sandbox (a preset becomes its sandbox policy); like the mode, it stays for later turns.
const looked = await reviewed.run("Only look around.", { sandbox: Sandbox.readOnly });
const seconds = (looked.completedAt ?? 0) - (looked.startedAt ?? 0);
console.log(
  `readOnly turn: ${looked.status} in ${looked.durationMs} ms (started ${looked.startedAt}, ${seconds} s to complete)`,
);
