/**
 * 20 · Remote app-server: start `codex app-server --listen ws://127.0.0.1:0` (with a capability token) and
 * connect clients to it instead of spawning one each. A client can go away and a new one resume its thread on
 * the same server. Then the same over a unix socket.
 *
 * Run it with `npm run example -- 20`.
 */
import { AsyncCodex, ConnectError, listenAppServer } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("20-remote-app-server");
const { env, cwd } = runtime.config;

// A WebSocket listener on a free loopback port, with a fresh capability token.
await using server = await listenAppServer({ env, cwd });
console.log(
  "listening:",
  server.url.replace(/:\d+$/, ":PORT"),
  "| token:",
  server.token ? `${server.token.length} chars` : "none",
);

let threadId: string;
{
  await using first = new AsyncCodex({ connect: server.connect }); // { url, token }
  const thread = await first.threadStart();
  threadId = thread.id;
  console.log("first client:", (await thread.run("Say hello over the WebSocket.")).finalResponse);
} // the first client is gone; the server and the thread are not

await using second = new AsyncCodex({ connect: server.connect });
const resumed = await second.threadResume(threadId);
console.log("second client resumed:", resumed.id === threadId);

// Without the token the server refuses the upgrade: a ConnectError that names the endpoint, never a token.
try {
  await using stranger = new AsyncCodex({ connect: server.url });
  await stranger.start();
} catch (error) {
  if (!(error instanceof ConnectError)) throw error;
  console.log("without the token:", error.failure, error.httpStatus);
}

// A unix socket speaks the same WebSocket protocol; the socket file is the access control (0600), no token.
await using local = await listenAppServer({ env, cwd, listen: "unix" });
await using overSocket = new AsyncCodex({ connect: local.url }); // "unix:///…/app-server.sock"
const thread = await overSocket.threadStart();
console.log("unix socket:", (await thread.run("Say hello over the unix socket.")).finalResponse);
