import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AsyncCodex, allowCommands, type ClientDiagnostic, type ServerRequest } from "../../src/index.js";
import {
  createOfflineEnvironment,
  execCommandReply,
  textReply,
  type OfflineEnvironment,
} from "../../src/testing/index.js";

let offline: OfflineEnvironment;
let codex: AsyncCodex;
const seen: ServerRequest[] = [];
const diagnostics: ClientDiagnostic[] = [];
let answer: (request: ServerRequest) => unknown = () => undefined;

async function guardedThread() {
  return codex.threadStart({ approvalPolicy: "untrusted", sandbox: "workspace-write", cwd: offline.cwd });
}

function touches(file: string, reply = "Done.") {
  offline.provider.enqueue(execCommandReply(`touch ${file}`), textReply(reply));
}

describe(
  "approvals: server requests reach the approval handler, and the default fails closed",
  { timeout: 60_000 },
  () => {
    before(async () => {
      offline = await createOfflineEnvironment();
      codex = new AsyncCodex({
        env: offline.env,
        cwd: offline.cwd,
        approvalTimeoutMs: 2_000,
        approvalHandler: (request) => {
          seen.push(request);
          return answer(request) as never;
        },
      });
      codex.on("diagnostic", ({ data }) => void diagnostics.push(data));
      await codex.start();
    });

    after(async () => {
      await codex?.close();
      await offline?.close();
    });

    it("with no handler (a fresh client) the command is declined: the file is not created and the turn completes", async () => {
      const bare = new AsyncCodex({ env: offline.env, cwd: offline.cwd });
      try {
        const thread = await bare.threadStart({
          approvalPolicy: "untrusted",
          sandbox: "workspace-write",
          cwd: offline.cwd,
        });
        touches("default.txt");
        const turn = await (await thread.turn("Create default.txt")).run();
        assert.equal(turn.status, "completed");
        assert.equal(existsSync(join(offline.cwd, "default.txt")), false);
      } finally {
        await bare.close();
      }
    });

    it("an accepting handler lets the command run, and saw a command-execution request naming the command", async () => {
      answer = (request) =>
        request.method === "item/commandExecution/requestApproval" ? { decision: "accept" } : undefined;
      const thread = await guardedThread();
      touches("accepted.txt");
      const turn = await (await thread.turn("Create accepted.txt")).run();
      assert.equal(turn.status, "completed");
      assert.equal(existsSync(join(offline.cwd, "accepted.txt")), true);
      const request = seen.at(-1);
      assert.equal(request?.method, "item/commandExecution/requestApproval");
      assert.ok(
        request.method === "item/commandExecution/requestApproval" &&
          request.params.command?.includes("touch accepted.txt"),
      );
      assert.equal(request.threadId, thread.id);
      assert.equal(request.turnId, turn.id);
      assert.equal(request.signal.aborted, true, "the request's signal fires once the request is settled");
    });

    it("cancel ends the turn interrupted", async () => {
      answer = () => ({ decision: "cancel" });
      const thread = await guardedThread();
      offline.provider.enqueue(execCommandReply("touch cancelled.txt"));
      const turn = await (await thread.turn("Create cancelled.txt")).run();
      assert.equal(turn.status, "interrupted");
      assert.equal(existsSync(join(offline.cwd, "cancelled.txt")), false);
      assert.equal(offline.provider.pending, 0, "the provider's script was used up");
    });

    it("a throwing handler declines, and the failure is reported as a diagnostic", async () => {
      answer = () => {
        throw new Error("handler exploded");
      };
      const thread = await guardedThread();
      touches("thrown.txt");
      const turn = await (await thread.turn("Create thrown.txt")).run();
      assert.equal(turn.status, "completed");
      assert.equal(existsSync(join(offline.cwd, "thrown.txt")), false);
      assert.ok(diagnostics.some((d) => d.kind === "serverRequestFailed" && d.message.includes("handler exploded")));
    });

    it("an answer that does not fit the schema declines, with a diagnostic naming the method", async () => {
      answer = () => ({ decision: "yes please" });
      const thread = await guardedThread();
      touches("invalid.txt");
      await (await thread.turn("Create invalid.txt")).run();
      assert.equal(existsSync(join(offline.cwd, "invalid.txt")), false);
      assert.ok(
        diagnostics.some(
          (d) =>
            d.kind === "serverRequestFailed" &&
            d.message.includes("item/commandExecution/requestApproval") &&
            d.message.includes("schema"),
        ),
      );
    });

    it("a handler that never answers times out into a decline", async () => {
      answer = () => new Promise(() => {});
      const thread = await guardedThread();
      touches("slow.txt");
      const turn = await (await thread.turn("Create slow.txt")).run();
      assert.equal(turn.status, "completed");
      assert.equal(existsSync(join(offline.cwd, "slow.txt")), false);
      assert.ok(diagnostics.some((d) => d.kind === "serverRequestFailed" && d.message.includes("timed out")));
    });

    it("a thread's own handler wins over the client's: an allow-list accepts `touch` on that thread only", async () => {
      answer = () => ({ decision: "decline" });
      const allowed = await guardedThread();
      allowed.approvalHandler = allowCommands(["touch"]);
      touches("allowed.txt");
      await (await allowed.turn("Create allowed.txt")).run();
      const other = await guardedThread();
      touches("other.txt");
      await (await other.turn("Create other.txt")).run();
      assert.equal(existsSync(join(offline.cwd, "allowed.txt")), true);
      assert.equal(existsSync(join(offline.cwd, "other.txt")), false);
    });
  },
);
