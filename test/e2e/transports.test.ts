import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  AsyncCodex,
  listenAppServer,
  TransportClosedError,
  type AppServerConfig,
  type ListeningAppServer,
  type Notification,
  type ServerRequest,
  type ThreadItem,
} from "../../src/index.js";
import {
  createOfflineEnvironment,
  execCommandReply,
  inputTexts,
  textReply,
  turnMetadata,
  type OfflineEnvironment,
  type RecordedRequest,
} from "../../src/testing/index.js";
import { offlineClientConfig } from "../support/offline-client.js";
import { killProcessesUsingHome, processesUsingHome, waitUntilNoProcessUsesHome } from "../support/processes.js";
import { within } from "../support/within.js";

/**
 * The core of the end-to-end suite, once per transport, against the real app-server offline: the handshake,
 * thread start and resume (in a second client), a streamed turn, steer, interrupt, approvals, concurrent turns
 * on several threads, close, and the loss of the connection. Over stdio the client spawns codex; over a
 * WebSocket (with a capability token) and a unix socket it connects to a `codex app-server --listen …` started
 * by `listenAppServer`.
 */

type TransportName = "stdio" | "websocket" | "unix";
const TRANSPORTS: readonly TransportName[] = ["stdio", "websocket", "unix"];
const WAIT_MS = 15_000;

function words(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`).join(" ");
}

function agentTexts(items: readonly ThreadItem[]): string[] {
  return items.flatMap((item) => (item.type === "agentMessage" ? [item.text] : []));
}

for (const transport of TRANSPORTS) {
  describe(`the client's core over ${transport}`, { timeout: 120_000 }, () => {
    let offline: OfflineEnvironment;
    let server: ListeningAppServer | undefined;
    const clients: AsyncCodex[] = [];

    /** A client for this transport; `extra` is merged over the offline config. Closed after the suite. */
    function client(extra: AppServerConfig = {}): AsyncCodex {
      const base = offlineClientConfig(offline, extra);
      const config: AppServerConfig = server === undefined ? base : { ...base, connect: server.connect };
      const codex = new AsyncCodex(config);
      clients.push(codex);
      return codex;
    }

    function requestsOfTurn(turnId: string): RecordedRequest[] {
      return offline.provider.responsesRequests.filter((request) => turnMetadata(request)?.turn_id === turnId);
    }

    before(async () => {
      offline = await createOfflineEnvironment();
      if (transport !== "stdio") {
        const env = offlineClientConfig(offline).env;
        server = await listenAppServer({ env, cwd: offline.cwd, listen: transport === "unix" ? "unix" : undefined });
        assert.match(server.url, transport === "unix" ? /^unix:\/\/\// : /^ws:\/\/127\.0\.0\.1:\d+$/);
        assert.equal(server.token === undefined, transport === "unix", "a token on ws://, none on a unix socket");
      }
    });

    after(async () => {
      await Promise.all(clients.map((codex) => codex.close()));
      await server?.stop();
      assert.deepEqual(await waitUntilNoProcessUsesHome(offline.home.path, 5_000), [], "no app-server is left running");
      killProcessesUsingHome(offline.home.path);
      await offline.close();
    });

    it("handshake: initialize answers with this CODEX_HOME, and the lifecycle reaches ready", async () => {
      const codex = client({ clientName: "transport_suite" });
      await codex.start();
      const metadata = codex.metadata;
      assert.equal(metadata.codexHome, offline.home.path);
      assert.match(metadata.userAgent, /^transport_suite\//);
      assert.equal(codex.lifecycle.getSnapshot().value, "ready");
    });

    it("a streamed turn yields its deltas in order and ends with turn/completed; the client goes away and a second one resumes the thread and continues it", async () => {
      const first = client();
      const thread = await first.threadStart();
      const text = words("delta", 8);
      offline.provider.enqueue(textReply(text, { deltas: 8 }));
      const handle = await thread.turn("Stream eight words.");
      const seen: Notification[] = [];
      for await (const notification of handle.stream()) seen.push(notification);
      const deltas = seen.flatMap((n) => (n.method === "item/agentMessage/delta" ? [n.params.delta] : []));
      assert.equal(deltas.length, 8);
      assert.equal(deltas.join(""), text);
      assert.equal(seen.at(-1)?.method, "turn/completed");

      await first.close(); // over stdio its app-server ends; over a socket only the connection does
      const second = client();
      const resumed = await second.threadResume(thread.id);
      offline.provider.enqueue(textReply("Resumed."));
      assert.equal((await resumed.run("Still there?")).finalResponse, "Resumed.");
      const history = inputTexts(offline.provider.responsesRequests.at(-1)!);
      assert.ok(history.includes("Stream eight words.") && history.includes("Still there?"), JSON.stringify(history));
    });

    it("steer() reaches the provider as a second request of the running turn", async () => {
      const codex = client();
      const thread = await codex.threadStart();
      offline.provider.enqueue(textReply(words("story", 30), { deltas: 30, deltaDelayMs: 50 }), textReply("Steered."));
      const handle = await thread.turn("Write a long story.");
      for await (const notification of handle.stream()) if (notification.method === "item/agentMessage/delta") break;
      assert.equal((await handle.steer("Keep it short.")).turnId, handle.id);
      const turn = await within(WAIT_MS, "the steered turn", handle.run());
      assert.equal(turn.status, "completed");
      assert.equal(agentTexts(turn.items).at(-1), "Steered.");
      const texts = inputTexts(requestsOfTurn(handle.id)[1]!);
      assert.ok(texts.includes("Write a long story.") && texts.includes("Keep it short."), JSON.stringify(texts));
    });

    it("interrupt() ends a slow turn interrupted, and a follow-up turn on the thread works", async () => {
      const codex = client();
      const thread = await codex.threadStart();
      offline.provider.enqueue(textReply(words("long", 40), { deltas: 40, deltaDelayMs: 100 }));
      const handle = await thread.turn("Stream for a long time.");
      for await (const notification of handle.stream()) if (notification.method === "item/agentMessage/delta") break;
      await handle.interrupt();
      const turn = await within(WAIT_MS, "the interrupted turn", handle.run());
      assert.equal(turn.status, "interrupted");
      offline.provider.enqueue(textReply("Back again."));
      assert.equal((await thread.run("Are you there?")).finalResponse, "Back again.");
    });

    it("approvals: the handler sees the command request; accept runs it, the default (declineAll) does not", async () => {
      const seen: ServerRequest[] = [];
      const accepting = client({
        approvalHandler: (request) => {
          seen.push(request);
          return request.method === "item/commandExecution/requestApproval" ? { decision: "accept" } : undefined;
        },
      });
      const guarded = { approvalPolicy: "untrusted", sandbox: "workspace-write", cwd: offline.cwd } as const;
      const thread = await accepting.threadStart(guarded);
      offline.provider.enqueue(execCommandReply(`touch accepted-${transport}.txt`), textReply("Done."));
      assert.equal((await (await thread.turn("Create the file.")).run()).status, "completed");
      assert.equal(existsSync(join(offline.cwd, `accepted-${transport}.txt`)), true);
      assert.equal(seen.at(-1)?.method, "item/commandExecution/requestApproval");
      assert.equal(seen.at(-1)?.threadId, thread.id);

      const declining = client();
      const other = await declining.threadStart(guarded);
      offline.provider.enqueue(execCommandReply(`touch declined-${transport}.txt`), textReply("Not done."));
      assert.equal((await (await other.turn("Create another file.")).run()).status, "completed");
      assert.equal(existsSync(join(offline.cwd, `declined-${transport}.txt`)), false);
    });

    it("concurrent turns on four threads of one client each get their own answer", async () => {
      const codex = client();
      const threads = await Promise.all([0, 1, 2, 3].map(() => codex.threadStart()));
      const reply = (request: RecordedRequest) => {
        const asked = inputTexts(request).at(-1) ?? "";
        return textReply(`answer to ${asked}`, { deltas: 5, deltaDelayMs: 10 });
      };
      offline.provider.enqueue(reply, reply, reply, reply);
      const results = await within(
        WAIT_MS * 2,
        "four concurrent runs",
        Promise.all(threads.map((thread, i) => thread.run(`question ${i}`))),
      );
      assert.deepEqual(
        results.map((result) => result.finalResponse),
        [0, 1, 2, 3].map((i) => `answer to question ${i}`),
      );
    });

    it("close() ends the client: later calls reject with TransportClosedError (closed); a socket's server keeps running for the next client", async () => {
      const codex = client();
      await codex.start();
      await codex.close();
      await assert.rejects(
        codex.threadStart(),
        (error: unknown) => error instanceof TransportClosedError && error.reason === "closed",
      );
      if (server !== undefined) {
        const next = client();
        await next.start();
        assert.equal(next.metadata.codexHome, offline.home.path, "the server still serves a new client");
      }
    });

    // (Over stdio the sync client has its own suite, sync-client.test.ts.)
    if (transport !== "stdio")
      it("the synchronous Codex takes the same `connect` and runs a turn", async () => {
        offline.provider.enqueue(textReply("Synchronously yours."));
        const child = spawn(
          process.execPath,
          ["--import", "tsx", fileURLToPath(new URL("../fixtures/sync-connect.ts", import.meta.url))],
          {
            env: { ...process.env, CODEX_TEST_CONNECT: JSON.stringify(server!.connect) },
            stdio: ["ignore", "pipe", "pipe"],
          },
        );
        let output = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
        const [code] = (await within(60_000, "the sync client's run", once(child, "close"))) as [number | null];
        assert.equal(code, 0, output);
        assert.match(output, /^sync: Synchronously yours\.$/m);
      });

    it("losing the app-server mid-call rejects the pending call with TransportClosedError (exited), like a dead child", async () => {
      await Promise.all(clients.splice(0).map((earlier) => earlier.close()));
      const codex = client();
      const thread = await codex.threadStart();
      offline.provider.enqueue(textReply("never", { end: { type: "hang" } }));
      const handle = await thread.turn("Hang.");
      const rejected = assert.rejects(within(WAIT_MS, "the turn's end", handle.run()), (error: unknown) => {
        assert.ok(error instanceof TransportClosedError, `rejected with ${String(error)}`);
        assert.equal(error.reason, "exited");
        if (server !== undefined) {
          assert.equal(error.closeCode, 1006, "the socket was lost without a close frame");
          assert.equal(error.endpoint, server.url);
          assert.ok(error.message.includes(server.url), error.message);
        } else {
          assert.equal(error.signal, "SIGKILL");
        }
        return true;
      });
      if (server !== undefined) await server.stop();
      else {
        const pids = processesUsingHome(offline.home.path);
        assert.ok(pids.length > 0, "the app-server runs");
        for (const pid of pids) process.kill(pid, "SIGKILL");
      }
      await rejected;
    });
  });
}
