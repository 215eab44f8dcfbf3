/**
 * Why the WebSocket transport uses the `ws` package and not Node's built-in `WebSocket` (undici): it asks
 * both clients the three things the transport needs of a real `codex app-server --listen`, and prints what each
 * could tell. Run with Node 22+: `npx tsx bench/websocket-client-choice.ts`.
 *
 * 1. Connect with the right capability token (an `Authorization` header) and get the `initialize` answer.
 * 2. Connect with a wrong token: can the client see the HTTP 401 and the server's reason?
 * 3. Connect to a `--listen unix://PATH` server.
 */
import { connect as netConnect } from "node:net";
import { WebSocket as Ws } from "ws";
import { createCodexHome } from "../src/testing/index.js";
import { listenAppServer } from "../src/transport/listening-app-server.js";

const INITIALIZE = JSON.stringify({
  id: 1,
  method: "initialize",
  params: { clientInfo: { name: "probe", title: "probe", version: "1" } },
});
const home = await createCodexHome({ providerUrl: "http://127.0.0.1:9/v1" });
const ws = await listenAppServer({ env: home.env });
const unix = await listenAppServer({ env: home.env, listen: "unix" });
const socketPath = new URL(unix.url).pathname;

function builtIn(url: string, token: string | undefined): Promise<string> {
  return new Promise((resolve) => {
    let socket: WebSocket;
    try {
      // Node 22+ (undici) takes { headers } as a non-standard second argument.
      socket = new WebSocket(url, {
        headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
      });
    } catch (error) {
      resolve(`throws ${(error as Error).name}: ${(error as Error).message}`);
      return;
    }
    const events: string[] = [];
    socket.onopen = () => socket.send(INITIALIZE);
    socket.onmessage = (event) => {
      if (String(event.data).includes('"id":1')) {
        events.push("initialize answered");
        socket.close();
      }
    };
    socket.onerror = (event) => events.push(`error event (${(event as { message?: string }).message ?? "no message"})`);
    socket.onclose = (event) => resolve([...events, `close ${event.code}`].join(", "));
  });
}

function withWs(url: string, token: string | undefined, path?: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = new Ws(url, {
      headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
      ...(path === undefined ? {} : { createConnection: () => netConnect(path) }),
    });
    socket.on("open", () => socket.send(INITIALIZE));
    socket.on("message", (data) => {
      if ((data as Buffer).toString("utf8").includes('"id":1')) {
        socket.close();
        resolve("initialize answered");
      }
    });
    socket.on("unexpected-response", (_request, response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve(`HTTP ${response.statusCode}: ${body.trim()}`));
    });
    socket.on("error", (error) => resolve(`error: ${error.message}`));
  });
}

try {
  console.log(
    `Node ${process.version}, ws ${(await import("ws/package.json", { with: { type: "json" } })).default.version}\n`,
  );
  console.log("| Case | Node's built-in WebSocket | ws |");
  console.log("| --- | --- | --- |");
  console.log(`| right token | ${await builtIn(ws.url, ws.token)} | ${await withWs(ws.url, ws.token)} |`);
  console.log(`| wrong token | ${await builtIn(ws.url, "wrong")} | ${await withWs(ws.url, "wrong")} |`);
  console.log(
    `| unix socket | ${await builtIn(`ws+unix://${socketPath}`, undefined)} (no option to dial a socket path) | ${await withWs("ws://localhost/", undefined, socketPath)} |`,
  );
} finally {
  await ws.stop();
  await unix.stop();
  await home[Symbol.asyncDispose]();
}
