import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { AsyncCodex, type ClientSnapshot } from "../../src/index.js";
import { createOfflineEnvironment, textReply, type OfflineEnvironment } from "../../src/testing/index.js";
import { ScenarioChild } from "../fixtures/sync-client/child.js";
import { offlineClientConfig } from "../support/offline-client.js";

/** snapshot(), subscribe() and the trace file, against the real app-server and the scripted provider. */

/** A key shaped like nothing a pattern knows and in no environment: only the login's field name marks it. */
const LOGIN_KEY = "observe-login-key-7f3a9c51";

let offline: OfflineEnvironment;

async function eventually(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await delay(10);
  }
}

describe("observing a real app-server", { timeout: 90_000 }, () => {
  before(async () => {
    // requires_openai_auth: the app-server then takes an API-key login (offline), as PROTOCOL.md measured.
    offline = await createOfflineEnvironment({ config: { model_providers: { fake: { requires_openai_auth: true } } } });
  });

  after(async () => {
    await offline?.close();
  });

  it("CODEX_APP_SERVER_TRACE writes a trace of a real login and turn: turn/start and turn/completed, never a key", async () => {
    const path = join(offline.home.path, "trace.jsonl");
    process.env.CODEX_APP_SERVER_TRACE = path;
    process.env.CODEX_APP_SERVER_TRACE_PAYLOADS = "1";
    let codex: AsyncCodex;
    try {
      codex = new AsyncCodex(offlineClientConfig(offline));
    } finally {
      delete process.env.CODEX_APP_SERVER_TRACE;
      delete process.env.CODEX_APP_SERVER_TRACE_PAYLOADS;
    }
    try {
      await codex.loginApiKey(LOGIN_KEY);
      assert.equal((await codex.account({ refreshToken: true })).account?.type, "apiKey", "the login worked");
      offline.provider.enqueue(textReply("Traced reply.", { deltas: 4 }));
      const thread = await codex.threadStart();
      assert.equal((await thread.run("trace me")).finalResponse, "Traced reply.");
    } finally {
      await codex.close();
    }
    const text = readFileSync(path, "utf8");
    const lines = text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const has = (direction: string, kind: string, method: string) =>
      lines.some((line) => line.direction === direction && line.kind === kind && line.method === method);
    assert.ok(has("outgoing", "request", "initialize"));
    assert.ok(has("outgoing", "request", "turn/start") && has("incoming", "response", "turn/start"));
    assert.ok(has("incoming", "notification", "turn/completed"));
    assert.ok(has("incoming", "notification", "item/agentMessage/delta"));
    const loginLine = lines.find((line) => line.method === "account/login/start" && line.kind === "request");
    assert.deepEqual(
      loginLine?.payload,
      { type: "apiKey", apiKey: "[redacted]" },
      "payloads are on, and the key is redacted",
    );
    assert.ok(lines.every((line) => typeof line.bytes === "number" && typeof line.at === "string"));
    assert.ok(!text.includes(LOGIN_KEY), "the login's key is nowhere in the trace");
    assert.ok(
      !text.includes(offline.home.env.FAKE_PROVIDER_API_KEY ?? "offline-test-key"),
      "the provider's key is nowhere in the trace",
    );
    assert.ok(offline.provider.requests.length > 0, "the turn reached the provider");
  });

  it("snapshot() shows a slow turn streaming, then completed; subscribe() fires during it and stops after unsubscribe", async () => {
    await using codex = new AsyncCodex(offlineClientConfig(offline, { traceFile: false }));
    const thread = await codex.threadStart();
    const seen: ClientSnapshot[] = [];
    const unsubscribe = codex.subscribe((snapshot) => void seen.push(snapshot), { intervalMs: 25 });
    offline.provider.enqueue(
      textReply("one two three four five six seven eight nine ten eleven twelve", { deltas: 12, deltaDelayMs: 80 }),
    );
    const handle = await thread.turn("slowly, please");
    let streaming: ClientSnapshot | undefined;
    await eventually("a snapshot with the turn streaming", () => {
      const snapshot = codex.snapshot();
      const turn = snapshot.runningTurns.find((t) => t.turnId === handle.id);
      if (
        turn !== undefined &&
        JSON.stringify(turn.state) === JSON.stringify({ running: "streaming" }) &&
        turn.deltas > 0
      )
        streaming = snapshot;
      return streaming !== undefined;
    });
    assert.equal(streaming!.client.state, "ready");
    assert.ok(streaming!.appServer!.pid! > 0 && streaming!.appServer!.version.length > 0);
    assert.deepEqual(streaming!.threads.find((t) => t.id === thread.id)?.runningTurnIds, [handle.id]);
    await handle.run();
    const done = codex.snapshot();
    const finished = done.finishedTurns.find((t) => t.turnId === handle.id);
    assert.equal(finished?.state, "completed");
    assert.equal(finished?.deltas, 12);
    assert.ok((finished?.usage?.last.totalTokens ?? 0) > 0);
    assert.equal(done.runningTurns.length, 0);
    await eventually("a delivered snapshot with the turn completed", () =>
      seen.some((s) => s.finishedTurns.some((t) => t.turnId === handle.id && t.state === "completed")),
    );
    assert.ok(
      seen.some((s) => s.runningTurns.some((t) => t.turnId === handle.id)),
      "the listener saw the turn running",
    );
    assert.ok(seen.length < 60, `${seen.length} coalesced calls for a turn of 12 deltas and its messages`);
    unsubscribe();
    const count = seen.length;
    offline.provider.enqueue(textReply("after", { deltas: 2 }));
    await thread.run("again");
    await delay(100);
    assert.equal(seen.length, count, "no call after unsubscribe");
  });

  it("the sync Codex's snapshot() shows its finished turn, and the caller's CODEX_APP_SERVER_TRACE reaches its worker", async () => {
    const path = join(offline.home.path, "sync-trace.jsonl");
    offline.provider.enqueue(textReply("Sync snapshot.", { deltas: 2 }));
    process.env.CODEX_APP_SERVER_TRACE = path;
    let child: ScenarioChild;
    try {
      child = ScenarioChild.start(["snapshot"], offline);
    } finally {
      delete process.env.CODEX_APP_SERVER_TRACE;
    }
    try {
      const step = await child.next("snapshot");
      const snapshot = step.snapshot as ClientSnapshot;
      assert.equal(snapshot.client.state, "ready");
      assert.equal(snapshot.finishedTurns.at(-1)?.state, "completed");
      assert.equal(snapshot.threads.at(-1)?.id, step.threadId);
      await child.next("end");
      assert.deepEqual(await child.exit(), [0, null]);
    } finally {
      child.kill();
    }
    const methods = readFileSync(path, "utf8")
      .trimEnd()
      .split("\n")
      .map((line) => (JSON.parse(line) as { method: string }).method);
    assert.ok(methods.includes("turn/start") && methods.includes("turn/completed"));
  });
});

describe("npm run demo -- --inspect", { timeout: 120_000 }, () => {
  it("serves the inspector page during the demo's real offline turn, keeps it up, and quits on Enter", async () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const demo = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts", "--inspect", "--delta-delay", "0"], {
      cwd: root,
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let output = "";
    demo.stderr.setEncoding("utf8");
    demo.stderr.on("data", (chunk: string) => (output += chunk));
    try {
      const lines = createInterface({ input: demo.stdout });
      let url = "";
      for await (const text of lines) {
        output += `${text}\n`;
        const match = /^page\s+(http:\/\/127\.0\.0\.1:\d+\/) stays up/.exec(text);
        if (match !== null) {
          url = match[1]!;
          break;
        }
      }
      assert.ok(url !== "", `the demo printed no inspector address:\n${output}`);
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /codex-app-server inspector/);
      const snapshot = (await (await fetch(`${url}snapshot`)).json()) as ClientSnapshot;
      assert.equal(snapshot.finishedTurns.at(-1)?.state, "completed");
      demo.stdin.write("\n");
      const [code] = (await once(demo, "exit")) as [number | null];
      assert.equal(code, 0, output);
    } finally {
      if (demo.exitCode === null) demo.kill("SIGKILL");
    }
  });
});
