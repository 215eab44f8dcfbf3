/**
 * 15 · Approvals with a handler: when Codex wants to run a command (or change files, or ask for more
 * permissions) and its approval policy says to ask, the app-server sends the client a request. The client's
 * `approvalHandler` answers it. Here: `ls` is allowed, anything else is declined, and every request is logged.
 *
 * Without a handler the client declines everything (it fails closed). `allowCommands`, `declineAll` and
 * `dangerouslyAcceptAll` are ready-made handlers; a thread can have its own (`thread.approvalHandler`).
 *
 * Run it with `npm run example -- 15`.
 */
import { allowCommands, AsyncCodex, type ApprovalHandler } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("15-approvals");

const allowListing = allowCommands(["ls"]);
const approvalHandler: ApprovalHandler = async (request) => {
  const answer = await allowListing(request);
  if (request.method === "item/commandExecution/requestApproval") {
    console.log(`approval: ${request.params.command} -> ${JSON.stringify(answer)}`);
  } else {
    console.log(`approval: ${request.method} -> ${JSON.stringify(answer)}`);
  }
  return answer;
};

await using codex = new AsyncCodex({ ...runtime.config, approvalHandler });

// "untrusted": Codex asks before running any command that is not known to be harmless.
const thread = await codex.threadStart({ approvalPolicy: "untrusted", sandbox: "workspace-write", cwd: runtime.cwd });
const result = await thread.run("List the files here, then delete the build folder.");

for (const item of result.items) {
  if (item.type === "commandExecution") console.log(`command: ${item.command} -> ${item.status}`);
}
console.log("answer:", result.finalResponse);
