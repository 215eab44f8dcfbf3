/**
 * 19 · The experimental API: opt in with `experimentalApi: true`, then call a method of the `--experimental`
 * schema with types through `experimentalRequests(codex)`. Without the capability the server refuses it.
 *
 * Run it with `npm run example -- 19`.
 */
import { AppServerRpcError, AsyncCodex } from "../src/index.js";
import { experimentalRequests } from "../src/schema/experimental/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("19-experimental-api");

{
  await using codex = new AsyncCodex({ ...runtime.config, experimentalApi: true });
  await codex.start();
  console.log("server:", codex.metadata.serverInfo.name, codex.metadata.serverInfo.version);
  const { data } = await experimentalRequests(codex).request("collaborationMode/list", {});
  console.log(
    "collaboration modes:",
    data.map((mode) => `${mode.name}${mode.mode ? ` (${mode.mode})` : ""}`).join(", "),
  );
}

{
  await using stable = new AsyncCodex(runtime.config); // experimentalApi: false, the default
  try {
    await experimentalRequests(stable).request("collaborationMode/list", {});
    console.log("without the capability: answered (unexpected)");
  } catch (error) {
    const refused = error instanceof AppServerRpcError ? error.constructor.name : String(error);
    console.log("without the capability:", refused, "—", (error as Error).message.split("\n")[0]);
  }
}
