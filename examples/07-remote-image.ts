/**
 * 07 · Remote image and text: a turn with a picture from the web.
 *
 * codex 0.169.0 refuses image URLs in `turn/start` ("remote image URLs are not supported; use an inline data
 * URL instead", an `InvalidRequestError`), so this example downloads the image and sends it inline, as a
 * `data:` URL. (Offline, the "web" is a server on 127.0.0.1.)
 *
 * Run it with `npm run example -- 07`.
 */
import { AsyncCodex, ImageInput, InvalidRequestError, TextInput, type RunResult } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("07-remote-image");
await using codex = new AsyncCodex(runtime.config);

const imageUrl = runtime.sampleImageUrl;
const thread = await codex.threadStart();
const prompt = new TextInput("What is in this image? Give 3 bullets.");

let result: RunResult;
try {
  result = await thread.run([prompt, new ImageInput(imageUrl)]);
} catch (error) {
  if (!(error instanceof InvalidRequestError)) throw error;
  console.log("remote URL refused:", error.rpcMessage);
  result = await thread.run([prompt, new ImageInput(await toDataUrl(imageUrl))]);
  console.log("sent inline as a data: URL instead");
}
console.log(result.finalResponse);

/** Downloads an image and returns it as a `data:` URL. */
async function toDataUrl(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  const type = response.headers.get("content-type") ?? "image/png";
  return `data:${type};base64,${Buffer.from(await response.arrayBuffer()).toString("base64")}`;
}
