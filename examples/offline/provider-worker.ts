import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import { createOfflineEnvironment } from "../../src/testing/index.js";
import { exampleScripts, type ExampleName } from "./replies.js";

// Runs in a worker thread: the scripted model, a CODEX_HOME wired to it, and a loopback server for the sample
// image. The example's thread may block (the synchronous client does); this one keeps answering.

const { example, parentDir } = workerData as { example: string; parentDir?: string };
const script = (exampleScripts as Partial<Record<string, (typeof exampleScripts)[ExampleName]>>)[example];
if (script === undefined)
  throw new Error(`no scripted replies for example ${example}: add them to examples/offline/replies.ts`);

const image = await readFile(new URL("../assets/sample-scene.png", import.meta.url));
const images = createServer((request, response) => {
  if (request.url === "/sample-scene.png") {
    response.writeHead(200, { "content-type": "image/png", "content-length": image.length });
    response.end(image);
  } else {
    response.writeHead(404).end();
  }
});
images.listen(0, "127.0.0.1");
await once(images, "listening");

const offline = await createOfflineEnvironment({
  ...script,
  ...(parentDir === undefined || parentDir === "" ? {} : { parentDir }),
});

parentPort!.once("message", () => {
  images.closeAllConnections();
  images.close();
  void offline.close().finally(() => parentPort!.close());
});
parentPort!.postMessage({
  type: "ready",
  env: offline.env,
  cwd: offline.cwd,
  sampleImageUrl: `http://127.0.0.1:${(images.address() as AddressInfo).port}/sample-scene.png`,
});
