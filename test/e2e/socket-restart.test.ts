import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { waitFor } from "xstate";
import {
  AsyncCodex,
  ConnectError,
  listenAppServer,
  RestartsExhaustedError,
  type AppServerConfig,
  type CodexEventMap,
  type ListenAppServerOptions,
  type ListeningAppServer,
} from "../../src/index.js";
import { createOfflineEnvironment, inputTexts, textReply, type OfflineEnvironment } from "../../src/testing/index.js";
import { offlineClientConfig } from "../support/offline-client.js";
import { killProcessesUsingHome, waitUntilNoProcessUsesHome } from "../support/processes.js";
import { within } from "../support/within.js";

/**
 * The restart policy over a socket: the client does not start the app-server, so "restart" means redial. A
 * listening app-server (`listenAppServer`) is stopped under a connected client; while nothing listens every
 * attempt fails with a `ConnectError`; a new app-server at the same address (same `CODEX_HOME`) is found by
 * the next attempt, and the client's thread is resumed on it. With nothing coming back the client gives up
 * with every attempt's cause. Over a unix socket, and over a WebSocket with signed bearer tokens (the client
 * signs a fresh token for each dial, so a new server with the same secret accepts it).
 */

const WAIT_MS = 30_000;
const SECRET = "socket-restart-shared-secret-0123456789";
const POLICY = { maxRestarts: 40, backoff: { initialMs: 100, maxMs: 250, jitter: 0 } } as const;

type Kind = "unix" | "websocket";

for (const kind of ["unix", "websocket"] as const satisfies readonly Kind[]) {
  describe(`a lost ${kind} connection is redialled by the restart policy`, { timeout: 120_000 }, () => {
    let offline: OfflineEnvironment;
    let scratch: string;
    const servers: ListeningAppServer[] = [];
    const clients: AsyncCodex[] = [];

    before(async () => {
      offline = await createOfflineEnvironment();
      scratch = mkdtempSync("/var/tmp/codex-socket-restart-");
    });

    after(async () => {
      await Promise.all(clients.map((codex) => codex.close()));
      await Promise.all(servers.map((server) => server.stop()));
      assert.deepEqual(await waitUntilNoProcessUsesHome(offline.home.path, 5_000), [], "no app-server is left running");
      killProcessesUsingHome(offline.home.path);
      await offline.close();
      rmSync(scratch, { recursive: true, force: true });
    });

    /** Starts a listening app-server on this environment at `listen` (a unix path, or ws:// with a port). */
    async function serve(listen: string): Promise<ListeningAppServer> {
      const options: ListenAppServerOptions = {
        env: offlineClientConfig(offline).env,
        cwd: offline.cwd,
        listen,
        ...(kind === "websocket" ? { auth: { signedBearer: { secret: SECRET } } } : {}),
      };
      const server = await listenAppServer(options);
      servers.push(server);
      return server;
    }

    function client(server: ListeningAppServer, extra: AppServerConfig = {}) {
      const codex = new AsyncCodex(offlineClientConfig(offline, { connect: server.connect, ...extra }));
      clients.push(codex);
      const restarting: CodexEventMap["restarting"][] = [];
      const resumed: string[] = [];
      codex.on("restarting", ({ data }) => void restarting.push(data));
      codex.on("threadResumed", ({ data }) => void resumed.push(data.threadId));
      return { codex, restarting, resumed };
    }

    it("the server stops under the client; every dial fails while nothing listens; a new server at the same address is found and the thread goes on", async () => {
      const first = await serve(kind === "unix" ? `unix://${join(scratch, "redial.sock")}` : "ws://127.0.0.1:0");
      const { codex, restarting, resumed } = client(first, { restart: POLICY });
      const thread = await codex.threadStart();
      offline.provider.enqueue(textReply("Before the loss."));
      assert.equal((await thread.run("First turn.")).finalResponse, "Before the loss.");

      await first.stop();
      await within(
        WAIT_MS,
        "two failed dials",
        waitFor(codex.lifecycle, (s) => s.matches("reconnecting") && s.context.attempt >= 3),
      );
      const dialFailures = restarting.slice(1).map((event) => event.error);
      assert.ok(dialFailures.length >= 2, `attempts that failed: ${dialFailures.length}`);
      for (const error of dialFailures) assert.ok(error instanceof ConnectError, `${error.name}: ${error.message}`);

      const second = await serve(first.url);
      assert.equal(second.url, first.url, "the new server listens where the first did");
      await within(
        WAIT_MS,
        "ready again",
        waitFor(codex.lifecycle, (s) => s.matches("ready") && s.context.restarts >= 1),
      );

      offline.provider.enqueue(textReply("After the redial."));
      assert.equal((await thread.run("Second turn.")).finalResponse, "After the redial.");
      assert.deepEqual(resumed, [thread.id], "the thread was resumed on the new server");
      const history = inputTexts(offline.provider.responsesRequests.at(-1)!);
      assert.ok(history.includes("First turn.") && history.includes("Second turn."), JSON.stringify(history));
    });

    it("with nothing coming back the client gives up: RestartsExhaustedError lists the loss and each failed dial, and names no secret", async () => {
      const server = await serve(kind === "unix" ? `unix://${join(scratch, "gone.sock")}` : "ws://127.0.0.1:0");
      const { codex } = client(server, {
        restart: { maxRestarts: 2, backoff: { initialMs: 20, maxMs: 40, jitter: 0 } },
      });
      const thread = await codex.threadStart();
      await server.stop();
      const error = await within(
        WAIT_MS,
        "the failed call",
        thread.read().then(
          () => assert.fail("read() succeeded with no server"),
          (caught: unknown) => caught,
        ),
      );
      assert.ok(error instanceof RestartsExhaustedError, String(error));
      assert.equal(error.attempts, 2);
      assert.equal(error.causes.length, 3, "the loss, then two dials");
      for (const cause of error.causes.slice(1)) assert.ok(cause instanceof ConnectError, cause.message);
      assert.equal(codex.lifecycle.getSnapshot().value, "failed");
      const text = [error.message, ...error.causes.map((cause) => cause.message)].join("\n");
      assert.ok(!text.includes(SECRET), "the shared secret is in an error message");
      if (server.token !== undefined) assert.ok(!text.includes(server.token), "the token is in an error message");
    });
  });
}
