import assert from "node:assert/strict";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, it } from "node:test";
import { WebSocketServer, type WebSocket } from "ws";
import {
  AsyncCodex,
  ConnectError,
  InvalidInputError,
  TransportClosedError,
  type AppServerConfig,
  type ClientDiagnostic,
} from "../../src/index.js";

/**
 * Faults of listening app-servers that the real binary does not produce, from fake peers on 127.0.0.1: each
 * gives a typed error that names the endpoint (never a token) and says what to do.
 */

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function listening(server: NetServer | HttpServer): Promise<string> {
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (socket) => sockets.add(socket));
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      closers.push(
        () =>
          new Promise((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          }),
      );
      resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`);
    }),
  );
}

/** A WebSocket server on 127.0.0.1 that runs `onConnection` for each client; answers `initialize` when `answer` is set. */
async function fakeAppServer(onConnection: (socket: WebSocket) => void, answer = true): Promise<string> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((resolve) => wss.once("listening", resolve));
  closers.push(
    () =>
      new Promise((done) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => done());
      }),
  );
  wss.on("connection", (socket) => {
    if (answer) {
      socket.on("message", (data) => {
        const message = JSON.parse((data as Buffer).toString("utf8")) as { id?: number; method?: string }; // binaryType "nodebuffer": one Buffer a message
        if (message.method === "initialize") {
          socket.send(
            JSON.stringify({
              id: message.id,
              result: { userAgent: "fake/0.0.0", codexHome: "/fake", platformFamily: "unix", platformOs: "linux" },
            }),
          );
        }
      });
    }
    onConnection(socket);
  });
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
}

async function startFails(config: AppServerConfig): Promise<unknown> {
  const codex = new AsyncCodex({ requestTimeoutMs: 5_000, ...config });
  try {
    await codex.start();
  } catch (error) {
    return error;
  } finally {
    await codex.close();
  }
  assert.fail("start() should have failed");
}

describe("listening app-server faults", { timeout: 30_000 }, () => {
  it("a wrong URL scheme, a relative socket path, user info in the URL: InvalidInputError at construction, never quoting a secret", () => {
    assert.throws(
      () => new AsyncCodex({ connect: "http://127.0.0.1:4500" }),
      (error: unknown) => {
        assert.ok(error instanceof InvalidInputError);
        assert.match(error.message, /scheme "http:".*ws:\/\/HOST:PORT.*unix:\/\/\/ABSOLUTE\/PATH.*"daemon"/);
        return true;
      },
    );
    assert.throws(() => new AsyncCodex({ connect: "unix://relative.sock" }), /absolute path: write three slashes/);
    assert.throws(
      () => new AsyncCodex({ connect: "ws://user:hunter2-secret@127.0.0.1:4500" }),
      (error: unknown) => {
        assert.ok(error instanceof InvalidInputError && !error.message.includes("hunter2"), String(error));
        return true;
      },
    );
    assert.throws(
      () => new AsyncCodex({ connect: "not a url hunter2-secret" }),
      (error: unknown) => {
        assert.ok(error instanceof InvalidInputError && !error.message.includes("hunter2"), String(error));
        return true;
      },
    );
    assert.throws(
      () => new AsyncCodex({ connect: { url: "ws://127.0.0.1:4500", token: "hunter2-secret", tokenFile: "/x" } }),
      (error: unknown) => {
        assert.ok(
          error instanceof InvalidInputError &&
            /only one way/.test(error.message) &&
            !error.message.includes("hunter2"),
        );
        return true;
      },
    );
    assert.throws(
      () => new AsyncCodex({ transport: "ws://hunter2-secret@host" as never }),
      (error: unknown) => {
        assert.ok(
          error instanceof InvalidInputError && /`transport` must be a function/.test(error.message),
          String(error),
        );
        assert.ok(!error.message.includes("hunter2"), error.message);
        return true;
      },
    );
    assert.throws(
      () => new AsyncCodex({ connect: "ws://127.0.0.1:1", transport: () => assert.fail() }),
      /give only one/,
    );
  });

  it("nothing listening on a loopback port: ConnectError unreachable, naming the endpoint and how to start a server", async () => {
    const server = createNetServer();
    const address = await listening(server);
    await closers.pop()!();
    const error = await startFails({ connect: `ws://${address}` });
    assert.ok(error instanceof ConnectError, String(error));
    assert.equal(error.failure, "unreachable");
    assert.equal(error.endpoint, `ws://${address}`);
    assert.match(error.message, new RegExp(`ws://${address}.*ECONNREFUSED.*codex app-server --listen`));
  });

  it("no socket file: ConnectError unreachable naming the socket", async () => {
    const error = await startFails({ connect: "unix:///var/tmp/no-such-codex-socket.sock" });
    assert.ok(error instanceof ConnectError && error.failure === "unreachable", String(error));
    assert.match(error.message, /unix:\/\/\/var\/tmp\/no-such-codex-socket\.sock \(ENOENT\)/);
  });

  it("no daemon for this CODEX_HOME: ConnectError naming the home and `codex app-server daemon start`", async () => {
    const home = await mkdtemp(join(tmpdir(), "codex-no-daemon-"));
    closers.push(() => rm(home, { recursive: true, force: true }));
    const error = await startFails({ connect: "daemon", env: { CODEX_HOME: home } });
    assert.ok(error instanceof ConnectError && error.failure === "unreachable", String(error));
    assert.ok(error.message.includes(`No codex daemon runs for CODEX_HOME ${home}`), error.message);
    assert.match(error.message, /codex app-server daemon start/);
  });

  it("a server that closes the connection during the handshake: ConnectError closed", async () => {
    const server = createNetServer((socket) => socket.destroy());
    const address = await listening(server);
    const error = await startFails({ connect: { url: `ws://${address}`, token: "hunter2-secret" } });
    assert.ok(error instanceof ConnectError, String(error));
    assert.equal(error.failure, "closed");
    assert.match(error.message, new RegExp(`ws://${address} closed the connection during the WebSocket handshake`));
    assert.ok(!error.message.includes("hunter2"));
  });

  it("a server that never answers the upgrade: ConnectError timeout after handshakeTimeoutMs", async () => {
    const server = createNetServer(() => {});
    const address = await listening(server);
    const error = await startFails({ connect: { url: `ws://${address}`, handshakeTimeoutMs: 200 } });
    assert.ok(error instanceof ConnectError && error.failure === "timeout", String(error));
    assert.match(error.message, /handshakeTimeoutMs/);
  });

  it("an HTTP server that is not an app-server: ConnectError rejected with its status; 403 says why codex refuses", async () => {
    let status = 404;
    const server = createHttpServer((_, response) => {
      response.writeHead(status).end("nope");
    });
    const address = await listening(server);
    const error = await startFails({ connect: `ws://${address}/` });
    assert.ok(error instanceof ConnectError && error.failure === "rejected" && error.httpStatus === 404, String(error));
    assert.match(error.message, /HTTP 404.*does not look like a codex app-server/);
    status = 403;
    const forbidden = await startFails({ connect: `ws://${address}/` });
    assert.ok(forbidden instanceof ConnectError && forbidden.failure === "forbidden", String(forbidden));
    assert.match(forbidden.message, /Origin header/);
  });

  it("a first frame that is not JSON: ConnectError rejected, saying it does not look like a codex app-server", async () => {
    const url = await fakeAppServer((socket) => socket.send("HTTP/1.1 hello, I am not codex"), false);
    const error = await startFails({ connect: url });
    assert.ok(error instanceof ConnectError && error.failure === "rejected", String(error));
    assert.ok(
      error.message.startsWith(`${url} sent a frame that is not JSON before any JSON-RPC message`),
      error.message,
    );
  });

  it("a non-JSON or binary frame after the handshake is a diagnostic naming the endpoint, and the connection goes on", async () => {
    let peer: WebSocket | undefined;
    const url = await fakeAppServer((socket) => {
      peer = socket;
      socket.on("message", (data) => {
        const message = JSON.parse((data as Buffer).toString("utf8")) as { id?: number; method?: string }; // binaryType "nodebuffer": one Buffer a message
        if (message.method === "thread/loaded/list") {
          socket.send("not json {");
          socket.send(Buffer.from([1, 2, 3]), { binary: true });
          socket.send(JSON.stringify({ id: message.id, result: { data: [], nextCursor: null } }));
        }
      });
    });
    const codex = new AsyncCodex({ connect: url, requestTimeoutMs: 5_000 });
    closers.push(() => codex.close());
    const diagnostics: ClientDiagnostic[] = [];
    codex.on("diagnostic", ({ data }) => void diagnostics.push(data));
    await codex.start();
    assert.ok(peer);
    assert.deepEqual(await codex.request("thread/loaded/list", {}), { data: [], nextCursor: null });
    const messages = diagnostics.map((d) => d.message);
    assert.ok(
      messages.some((m) => m.startsWith(`${url} sent a frame that is not JSON`)),
      JSON.stringify(messages),
    );
    assert.ok(
      messages.some((m) => m.startsWith(`${url} sent a binary frame`)),
      JSON.stringify(messages),
    );
  });

  it("an oversized frame ends the connection: the pending call rejects with TransportClosedError (failed, close code 1009) saying to raise maxMessageBytes", async () => {
    const url = await fakeAppServer((socket) => {
      socket.on("message", (data) => {
        const message = JSON.parse((data as Buffer).toString("utf8")) as { id?: number; method?: string }; // binaryType "nodebuffer": one Buffer a message
        if (message.method === "thread/loaded/list") {
          socket.send(JSON.stringify({ id: message.id, result: { data: ["x".repeat(10_000)], nextCursor: null } }));
        }
      });
    });
    const codex = new AsyncCodex({ connect: { url, maxMessageBytes: 4_096 }, requestTimeoutMs: 5_000 });
    closers.push(() => codex.close());
    await codex.start();
    await assert.rejects(codex.request("thread/loaded/list", {}), (error: unknown) => {
      assert.ok(error instanceof TransportClosedError, String(error));
      assert.equal(error.reason, "failed");
      assert.equal(error.closeCode, 1009);
      assert.equal(error.endpoint, url);
      assert.match(error.message, /over the 4096-byte limit.*Raise `maxMessageBytes`/);
      return true;
    });
  });

  it("a server that closes with a code and reason: pending calls reject with TransportClosedError (exited) carrying both", async () => {
    const url = await fakeAppServer((socket) => {
      socket.on("message", (data) => {
        const message = JSON.parse((data as Buffer).toString("utf8")) as { method?: string }; // binaryType "nodebuffer": one Buffer a message
        if (message.method === "thread/loaded/list") socket.close(4000, "maintenance");
      });
    });
    const codex = new AsyncCodex({ connect: url, requestTimeoutMs: 5_000 });
    closers.push(() => codex.close());
    await codex.start();
    await assert.rejects(codex.request("thread/loaded/list", {}), (error: unknown) => {
      assert.ok(error instanceof TransportClosedError, String(error));
      assert.deepEqual([error.reason, error.closeCode, error.closeReason], ["exited", 4000, "maintenance"]);
      assert.match(error.message, /closed the connection on its own \(close code 4000, reason "maintenance"\)/);
      return true;
    });
  });
});
