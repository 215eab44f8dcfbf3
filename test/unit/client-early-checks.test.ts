import assert from "node:assert/strict";
import { test } from "node:test";
import { AsyncCodex, type ClientDiagnostic } from "../../src/index.js";
import { FakeAppServer } from "../support/fake-app-server.js";

// Its own file, so that the schema checks are not loaded yet when the client starts (they load on first use).
test("a notification that arrives before the schema checks are loaded is still checked, once they are", async () => {
  const server = new FakeAppServer();
  const diagnostics: ClientDiagnostic[] = [];
  const codex = new AsyncCodex({
    transport: (options) => {
      const transport = server.transport(options);
      server.notify({ method: "thread/started", params: { thread: "not a thread" } });
      return transport;
    },
  });
  codex.on("diagnostic", ({ data }) => void diagnostics.push(data));
  try {
    await codex.start();
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(
      diagnostics.some((d) => d.kind === "invalidNotification" && d.message.startsWith("thread/started")),
      JSON.stringify(diagnostics),
    );
  } finally {
    await codex.close();
  }
});
