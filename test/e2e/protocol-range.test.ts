import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Compile } from "typebox/schema";
import { AppServerRpcError, AsyncCodex } from "../../src/index.js";
import {
  experimentalRequests,
  clientRequests as experimentalClientRequests,
} from "../../src/schema/experimental/index.js";
import { checkClientRequestResult, type ClientRequestResult } from "../../src/schema/index.js";
import { createOfflineEnvironment } from "../../src/testing/index.js";
import { testedCodexVersion } from "../support/codex-version.js";
import { offlineClientConfig } from "../support/offline-client.js";
import { WireLog } from "../support/wire-log.js";

// The ends of the supported range (CI runs this file on the newest and on the oldest codex): a request the
// newest protocol added, called with types, and the experimental API behind its capability.

const OLDEST = (await readFile(new URL("../../schema/oldest/VERSION", import.meta.url), "utf8"))
  .trim()
  .replace(/^codex-cli /, "");
const onOldest = testedCodexVersion() === OLDEST;

describe(`the protocol on codex ${testedCodexVersion()}`, () => {
  it(
    onOldest
      ? "modelProvider/default/set, new in 0.171.0, is refused by the oldest codex with an error naming the method"
      : "modelProvider/default/set goes through codex.request() with types, answers a config write and rewrites CODEX_HOME/config.toml",
    { timeout: 60_000 },
    async () => {
      await using offline = await createOfflineEnvironment({
        config: {
          model_providers: {
            second: { name: "Second scripted provider", base_url: "http://127.0.0.1:9/v1", wire_api: "responses" },
          },
        },
      });
      await using codex = new AsyncCodex(offlineClientConfig(offline));
      const call = codex.request("modelProvider/default/set", { providerId: "second" });
      if (onOldest) {
        await assert.rejects(call, (error: unknown) => {
          assert.ok(error instanceof AppServerRpcError, String(error));
          assert.match(error.message, /modelProvider\/default\/set/);
          assert.match(error.message, /unknown variant/);
          return true;
        });
        return;
      }
      const answer: ClientRequestResult<"modelProvider/default/set"> = await call;
      assert.deepEqual(checkClientRequestResult("modelProvider/default/set", answer), { ok: true });
      assert.equal(answer.status, "ok");
      assert.equal(answer.filePath, join(offline.home.path, "config.toml"));
      assert.equal(typeof answer.version, "string");
      const config = await readFile(join(offline.home.path, "config.toml"), "utf8");
      assert.match(config, /^model_provider = "second"$/m);
      const providers = await codex.request("modelProvider/list", {});
      assert.equal(providers.defaultProviderId, "second");
    },
  );

  it(
    "with experimentalApi: true the capability is sent and an experimental method answers, typed by the experimental schema",
    { timeout: 60_000 },
    async () => {
      await using offline = await createOfflineEnvironment();
      const wire = new WireLog();
      await using codex = new AsyncCodex(offlineClientConfig(offline, { experimentalApi: true, trace: wire.hook }));
      const answer: ClientRequestResult<"thread/list"> & object = await codex.request("thread/list", {});
      assert.ok(Array.isArray(answer.data));
      const modes = await experimentalRequests(codex).request("collaborationMode/list", {});
      assert.ok(Array.isArray(modes.data));
      const validator = Compile(experimentalClientRequests["collaborationMode/list"].result);
      assert.ok(validator.Check(modes), JSON.stringify(modes).slice(0, 500));
      assert.deepEqual(initializeCapabilities(wire), { experimentalApi: true });
    },
  );

  it(
    "without experimentalApi the capability is not asked for, and the server refuses the experimental method, naming the capability",
    { timeout: 60_000 },
    async () => {
      await using offline = await createOfflineEnvironment();
      const wire = new WireLog();
      await using codex = new AsyncCodex(offlineClientConfig(offline, { trace: wire.hook }));
      await assert.rejects(experimentalRequests(codex).request("collaborationMode/list", {}), (error: unknown) => {
        assert.ok(error instanceof AppServerRpcError, String(error));
        assert.match(error.message, /experimentalApi/);
        return true;
      });
      assert.deepEqual(initializeCapabilities(wire), { experimentalApi: false });
    },
  );
});

function initializeCapabilities(wire: WireLog): unknown {
  const sent = wire.events.find(
    (event) => event.direction === "outgoing" && (event.message as { method?: string }).method === "initialize",
  );
  return (sent?.message as { params?: { capabilities?: unknown } } | undefined)?.params?.capabilities;
}
