/**
 * 08 · Local image and text: a turn with an image file from disk. The client checks that the file exists
 * before anything is sent; the app-server reads it and sends it to the model.
 *
 * Run it with `npm run example -- 08`.
 */
import { fileURLToPath } from "node:url";
import { AsyncCodex, finalResponseOf, LocalImageInput, TextInput } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

const IMAGE_PATH = fileURLToPath(new URL("./assets/sample-scene.png", import.meta.url));

await using runtime = await startExampleRuntime("08-local-image");
await using codex = new AsyncCodex(runtime.config);

const thread = await codex.threadStart();
const handle = await thread.turn([
  new TextInput("Read this local image and summarise what you see in 2 bullets."),
  new LocalImageInput(IMAGE_PATH),
]);
const turn = await handle.run();

console.log("Status:", turn.status);
console.log(finalResponseOf(turn.items));
