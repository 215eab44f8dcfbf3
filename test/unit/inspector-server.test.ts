import assert from "node:assert/strict";
import { request } from "node:http";
import { createServer } from "node:net";
import { describe, it } from "node:test";
import { AsyncCodex, InvalidInputError, type ClientSnapshot } from "../../src/index.js";
import { PortInUseError, serveInspector } from "../../src/inspector/index.js";
import { FakeAppServer } from "../support/fake-app-server.js";

/** The inspector's HTTP side: what it serves, to whom, and when it stops. */

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Reads Server-Sent Events until `count` data events came. */
function events(url: string, count: number): Promise<ClientSnapshot[]> {
  return new Promise((resolve, reject) => {
    const seen: ClientSnapshot[] = [];
    const req = request(`${url}events`, (response) => {
      let buffer = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split("\n").find((line) => line.startsWith("data: "));
          if (data !== undefined && !block.startsWith("event:")) seen.push(JSON.parse(data.slice(6)) as ClientSnapshot);
          if (seen.length === count) {
            req.destroy();
            resolve(seen);
          }
        }
      });
    });
    req.on("error", (error) => (seen.length === count ? undefined : reject(error)));
    req.end();
  });
}

describe("serveInspector", { timeout: 20_000 }, () => {
  it("serves one self-contained page on 127.0.0.1: no outside URL, a strict content security policy, both diagrams", async () => {
    await using codex = new AsyncCodex({ transport: new FakeAppServer().transport });
    await using inspector = await serveInspector(codex);
    assert.match(inspector.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get(inspector.url);
    assert.equal(page.status, 200);
    assert.match(String(page.headers["content-security-policy"]), /default-src 'none'/);
    const urls = page.body.match(/(?:https?:)?\/\/[^\s"'<>)]+/g) ?? [];
    assert.deepEqual(
      urls.filter((url) => url !== "http://www.w3.org/2000/svg"),
      [],
      "nothing to fetch from elsewhere",
    );
    assert.doesNotMatch(page.body, /<(script|link|img)[^>]+(src|href)=/i, "no script, style or image is loaded");
    assert.match(page.body, /data-machine="turn"/);
    assert.match(page.body, /data-machine="client"/);
    for (const state of ["starting", "running.started", "running.streaming", "completed", "interrupted", "failed"]) {
      assert.match(page.body, new RegExp(`data-state="${state.replace(".", "\\.")}"`), state);
    }
  });

  it("streams snapshots over Server-Sent Events as the client changes, and answers /snapshot", async () => {
    await using codex = new AsyncCodex({ transport: new FakeAppServer().transport });
    await using inspector = await serveInspector(codex, { intervalMs: 0 });
    const streamed = events(inspector.url, 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const thread = await codex.threadStart();
    const [first, second] = await streamed;
    assert.equal(first!.client.state, "idle");
    assert.notEqual(second!.client.state, "idle");
    const snapshot = JSON.parse((await get(`${inspector.url}snapshot`)).body) as ClientSnapshot;
    assert.ok(snapshot.threads.some((t) => t.id === thread.id));
  });

  it("refuses a request whose Host is not 127.0.0.1 or localhost (DNS rebinding)", async () => {
    await using codex = new AsyncCodex({ transport: new FakeAppServer().transport });
    await using inspector = await serveInspector(codex);
    assert.equal((await get(inspector.url, { host: `evil.example:${inspector.port}` })).status, 403);
    assert.equal((await get(inspector.url, { host: `localhost:${inspector.port}` })).status, 200);
  });

  it("a port in use is a PortInUseError that says which port and what to do", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await using codex = new AsyncCodex({ transport: new FakeAppServer().transport });
      await assert.rejects(serveInspector(codex, { port }), (error: unknown) => {
        assert.ok(error instanceof PortInUseError);
        assert.equal(error.port, port);
        assert.match(error.message, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use.*port 0`));
        return true;
      });
      await assert.rejects(serveInspector(codex, { port: 70_000 }), InvalidInputError);
    } finally {
      blocker.close();
    }
  });

  it("stops when the client is closed, and when its own close() is called", async () => {
    const codex = new AsyncCodex({ transport: new FakeAppServer().transport });
    await codex.start();
    const inspector = await serveInspector(codex, { intervalMs: 0 });
    await codex.close();
    await inspector.closed;
    await assert.rejects(get(inspector.url), /ECONNREFUSED/);

    await using other = new AsyncCodex({ transport: new FakeAppServer().transport });
    const second = await serveInspector(other);
    await second.close();
    await assert.rejects(get(second.url), /ECONNREFUSED/);
    await assert.rejects(serveInspector(codex), /already closed/);
  });
});
