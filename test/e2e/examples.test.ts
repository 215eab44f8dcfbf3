import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { testedCodexVersionPattern } from "../support/codex-version.js";

// Every example (and the demo) runs as its own process, offline, two at a time, and must exit 0, print what
// it promises, and leave no app-server behind.

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RUN_TIMEOUT_MS = 60_000;
const V = testedCodexVersionPattern();

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** App-server processes (or their children) still running with a CODEX_HOME of this run. */
  readonly leftBehind: readonly number[];
}

/** Runs a TypeScript file of the repository with the Node running this test, offline, bounded in time. */
async function runScript(file: string, options: { args?: readonly string[]; stdin?: string } = {}): Promise<Run> {
  const homes = await mkdtemp("/var/tmp/codex-examples-");
  try {
    const env: NodeJS.ProcessEnv = Object.fromEntries(
      Object.entries({ ...process.env, CODEX_EXAMPLES_HOME_DIR: homes, NO_COLOR: "1" }).filter(
        ([name]) => !/^(OPENAI|CODEX_EXAMPLES_LIVE)/i.test(name),
      ),
    );
    const child = spawn(process.execPath, ["--import", "tsx", file, ...(options.args ?? [])], {
      cwd: ROOT,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.stdin.end(options.stdin ?? "");
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.once("close", (code, signal) => resolve([code, signal])),
    );
    // SIGTERM first: the library kills its app-server when its process dies of a signal.
    const term = setTimeout(() => child.kill("SIGTERM"), RUN_TIMEOUT_MS);
    const kill = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS + 5_000);
    const [code, signal] = await exited;
    clearTimeout(term);
    clearTimeout(kill);
    return { code, signal, stdout, stderr, leftBehind: await processesWithHomeUnder(homes) };
  } finally {
    await rm(homes, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** Live processes whose environment has a `CODEX_HOME` inside `dir` (found through /proc). */
async function processesWithHomeUnder(dir: string): Promise<number[]> {
  const marker = `\0CODEX_HOME=${dir}/`;
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue;
      if (`\0${await readFile(`/proc/${entry}/environ`, "latin1")}`.includes(marker)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

function assertClean(run: Run): void {
  assert.equal(run.code, 0, `exit ${run.code ?? run.signal}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`);
  assert.deepEqual(run.leftBehind, [], "no app-server is left running");
}

function lines(run: Run): string[] {
  return run.stdout.split("\n");
}

interface ExampleCase {
  readonly file: string;
  readonly stdin?: string;
  readonly check: (run: Run) => void;
}

const EXAMPLES: readonly ExampleCase[] = [
  {
    file: "examples/01-quickstart.ts",
    check: ({ stdout }) => {
      assert.match(stdout, new RegExp(`^Server: \\S+ ${V}$`, "m"));
      assert.match(stdout, /^Thread: [0-9a-f-]{36}$/m);
      assert.match(stdout, /^Text: Hello! I'm Codex, and I'm ready to help with your code\.$/m);
    },
  },
  {
    file: "examples/02-turn-run.ts",
    check: ({ stdout }) => {
      assert.match(stdout, /^status: completed$/m);
      assert.match(stdout, /^items: userMessage, agentMessage$/m);
      assert.match(stdout, /^text: - SIMD runs one instruction on several values at once\.$/m);
      assert.match(stdout, /^persisted\.items\.count: 2$/m);
      assert.match(stdout, /^usage\.last: input=1200 cached=800 output=48 total=1248$/m);
      assert.match(stdout, /^run\(\)\.finalResponse: SIMD: one instruction, many values/m);
    },
  },
  {
    file: "examples/03-stream-events.ts",
    check: (run) => {
      const out = lines(run);
      assert.match(out[0] ?? "", /^turn\/started turn=/, "the stream starts with turn/started");
      assert.ok(out.filter((line) => line.startsWith("item/agentMessage/delta ")).length >= 2, "several deltas");
      assert.ok(out.includes("turn/completed status=completed"), "the stream ends with turn/completed");
      assert.match(run.stdout, /^text: A notification is a JSON-RPC message that expects no answer\./m);
      assert.match(run.stdout, /^events\.count: \d+$/m);
    },
  },
  {
    file: "examples/04-models-and-metadata.ts",
    check: ({ stdout }) => {
      assert.match(stdout, new RegExp(`^server: \\S+ ${V}$`, "m"));
      assert.match(stdout, /^platform: \S+ \S+$/m);
      assert.match(stdout, /^page 1: \S+/m);
      assert.match(stdout, /^page 2: \S+/m, "the listing goes on to a second page with the cursor");
      assert.match(stdout, /^models\.visible\+hidden: \d+ hidden: \d+$/m);
    },
  },
  {
    file: "examples/05-existing-thread.ts",
    check: ({ stdout }) => {
      const created = /^Created thread: (\S+)$/m.exec(stdout)?.[1];
      assert.ok(created, stdout);
      assert.match(stdout, new RegExp(`^Resumed thread: ${created}$`, "m"));
      assert.match(stdout, /^First: Saturn's rings/m);
      assert.match(stdout, /^Second: Saturn's largest moon, Titan/m, "the resumed thread kept its history");
    },
  },
  {
    file: "examples/06-thread-lifecycle.ts",
    check: ({ stdout }) => {
      assert.match(stdout, /^Lifecycle OK: \S+$/m);
      assert.match(stdout, /^first: \S+ completed$/m);
      assert.match(stdout, /^second: \S+ completed$/m);
      assert.match(stdout, /^read\.turns: 2$/m);
      assert.match(stdout, /^list\.active: 1$/m);
      assert.match(stdout, /^list\.archived: 1$/m);
      assert.match(stdout, /^resumed: \S+ completed$/m);
      assert.match(stdout, /^forked: \S+ completed \(a new thread, forked from \S+\)$/m);
      assert.match(stdout, /^compact: done$/m);
      assert.match(stdout, /^name: sdk-lifecycle-demo$/m);
    },
  },
  {
    file: "examples/07-remote-image.ts",
    check: ({ stdout }) => {
      assert.match(stdout, /^remote URL refused: remote image URLs are not supported/m);
      assert.match(stdout, /^sent inline as a data: URL instead$/m);
      assert.match(stdout, /^- A yellow sun in a clear blue sky\.$/m, "the model saw an image");
    },
  },
  {
    file: "examples/08-local-image.ts",
    check: ({ stdout }) => {
      assert.match(stdout, /^Status: completed$/m);
      assert.match(stdout, /^- A red house with a brown roof/m, "the model saw an image");
    },
  },
  {
    file: "examples/09-async-parity.ts",
    check: ({ stdout }) => {
      assert.match(stdout, new RegExp(`^sync\\.server: \\S+ ${V}$`, "m"));
      assert.match(stdout, /^sync\.turn: \S+ completed$/m);
      assert.match(stdout, /^sync\.text: Hello from the synchronous client\.$/m);
      assert.match(stdout, new RegExp(`^async\\.server: \\S+ ${V}$`, "m"));
      assert.match(stdout, /^async\.turn: \S+ completed$/m);
      assert.match(stdout, /^async\.text: Hello from the asynchronous client\.$/m);
    },
  },
  {
    file: "examples/10-retry-and-errors.ts",
    check: ({ stdout }) => {
      assert.match(stdout, /^thread: \S+$/m);
      assert.match(stdout, /^Turn failed: .*The model is temporarily unavailable\.$/m);
      assert.match(stdout, /^Text: - Retry only what is safe to repeat\.$/m);
      assert.match(stdout, /^empty input: InvalidInputError, refused by the client$/m);
      assert.match(
        stdout,
        /^a thread id that is not a UUID: InvalidParamsError \(JSON-RPC -32600\), refused by the server$/m,
      );
      assert.match(
        stdout,
        /^a thread that does not exist: InvalidRequestError \(JSON-RPC -32600\), refused by the server$/m,
      );
      assert.match(stdout, /^an aborted call: RequestAbortedError, not sent$/m);
    },
  },
  {
    file: "examples/11-cli-chat.ts",
    stdin: "hello\nWhat can you do?\n\n/exit\nthis line is never read\n",
    check: ({ stdout }) => {
      assert.match(stdout, /^Thread: \S+$/m);
      assert.match(stdout, /^assistant> Hello! What shall we build today\?$/m);
      assert.match(stdout, /^assistant> I can read code, run commands you approve/m);
      assert.equal(stdout.match(/^assistant\.status> completed$/gm)?.length, 2);
      assert.match(stdout, /^ {2}total: input=20 output=10 /m, "the thread's usage adds up over the two turns");
      assert.doesNotMatch(stdout, /never read/, "/exit ends the loop");
    },
  },
  {
    file: "examples/12-kitchen-sink.ts",
    check: ({ stdout }) => {
      assert.match(stdout, /^model: \S+$/m);
      assert.match(stdout, /^summary: Enable the flag for internal users/m, "the output schema reached the model");
      assert.equal(stdout.match(/^action: /gm)?.length, 4);
      assert.match(stdout, /^usage\.total: \d+$/m);
    },
  },
  {
    file: "examples/13-model-select.ts",
    check: ({ stdout }) => {
      assert.match(stdout, /^selected\.model: gpt-5\.5$/m);
      assert.match(stdout, /^selected\.effort: xhigh$/m);
      assert.match(stdout, /^agent\.message: Release small changes often/m);
      const json = /^agent\.message\.params: (.+)$/m.exec(stdout)?.[1] ?? "";
      assert.deepEqual(Object.keys(JSON.parse(json) as object), ["summary", "actions"]);
    },
  },
  {
    file: "examples/14-steer-and-interrupt.ts",
    check: ({ stdout }) => {
      assert.match(stdout, /^steer\.result: \{"turnId":"\S+"\}$/m);
      assert.match(stdout, /^steer\.final\.status: completed$/m);
      assert.match(stdout, /^interrupt\.result: \{\}$/m);
      assert.match(stdout, /^interrupt\.final\.status: interrupted$/m);
      assert.match(stdout, /^interrupt\.closed\.items: 1$/m, "the client closed the partly streamed message");
      assert.match(
        stdout,
        /^steer\.answer: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10\. Ten numbers, as you asked\.$/m,
        "the steered turn's final answer is the answer written after the steer, not the abandoned first attempt",
      );
    },
  },
  {
    file: "examples/15-approvals.ts",
    check: ({ stdout }) => {
      assert.match(stdout, /^approval: \S*bash -lc 'ls -a' -> \{"decision":"accept"\}$/m);
      assert.match(stdout, /^approval: \S*bash -lc 'rm -rf build' -> \{"decision":"decline"\}$/m);
      assert.match(stdout, /^command: \S*bash -lc 'ls -a' -> completed$/m);
      assert.match(stdout, /^command: \S*bash -lc 'rm -rf build' -> declined$/m);
      assert.match(stdout, /^answer: I listed the folder\./m);
    },
  },
  {
    file: "examples/16-many-threads.ts",
    check: ({ stdout }) => {
      assert.match(stdout, /^thread 1 \(completed\): Name a prime number\. -> Seven is a prime number\.$/m);
      assert.match(stdout, /^thread 2 \(completed\): Name a colour\. -> Teal is a colour between blue and green\.$/m);
      assert.match(
        stdout,
        /^thread 3 \(completed\): Name a planet\. -> Neptune is the farthest planet from the Sun\.$/m,
      );
      assert.match(stdout, /^distinct threads: 3$/m);
    },
  },
  {
    file: "examples/17-watching-machines.ts",
    check: ({ stdout }) => {
      assert.match(stdout, /^client: "idle" -> "starting"$/m);
      assert.match(stdout, /^client: "starting" -> "ready"$/m);
      assert.match(stdout, /^turn: \{"running":"streaming"\} -> "completed" \| can interrupt: false$/m);
      assert.match(stdout, /^turn\.status: completed \| actor: done$/m);
      assert.match(stdout, /^client: "closing" -> "closed"$/m);
      assert.match(stdout, /^inspection events: .*@xstate\.snapshot×\d+/m);
    },
  },
  {
    file: "examples/18-approval-modes.ts",
    check: ({ stdout }) => {
      assert.match(stdout, /^denyAll: completed, commands run: 0$/m);
      assert.match(stdout, /^denyAll answer: I may not write outside the workspace/m);
      assert.match(stdout, /^reviewer: approved$/m);
      assert.match(stdout, /^autoReview: command completed$/m);
      assert.match(stdout, /^autoReview answer: The report is written\. \(reviews: 1\)$/m);
      assert.match(stdout, /^bypass \+ sandbox: InvalidInputError$/m);
      assert.match(stdout, /^readOnly turn: completed in \d+ ms \(started \d{10}, \d+ s to complete\)$/m);
    },
  },
  {
    file: "examples/19-experimental-api.ts",
    check: ({ stdout }) => {
      assert.match(stdout, new RegExp(`^server: \\S+ ${V}$`, "m"));
      assert.match(stdout, /^collaboration modes: \S.*$/m);
      assert.match(stdout, /^without the capability: \w+Error — .*experimentalApi/m);
    },
  },
  {
    file: "examples/20-remote-app-server.ts",
    check: ({ stdout }) => {
      assert.match(stdout, /^listening: ws:\/\/127\.0\.0\.1:PORT \| token: 43 chars$/m);
      assert.match(stdout, /^first client: Hello from an app-server you connected to over a WebSocket\.$/m);
      assert.match(stdout, /^second client resumed: true$/m);
      assert.match(stdout, /^without the token: unauthorized 401$/m);
      assert.match(stdout, /^unix socket: Hello from the same kind of server, over a unix socket\.$/m);
    },
  },
  {
    file: "examples/21-restarts.ts",
    check: ({ stdout }) => {
      assert.match(stdout, /^first: Noted: the word is pelican\.$/m);
      assert.match(stdout, /^restarting: attempt 1 in \d+ ms$/m);
      assert.match(stdout, /^restarted: after attempt 1$/m);
      assert.match(stdout, /^threadResumed: our thread$/m);
      assert.match(stdout, /^lost: \d+ item\(s\) seen; the server kept it as interrupted$/m);
      assert.match(stdout, /^turn state: lost$/m);
      assert.match(stdout, /^after: The word was pelican\.$/m);
      assert.match(stdout, /^restarts: 2$/m);
    },
  },
  {
    file: "examples/22-login-and-account.ts",
    check: ({ stdout }) => {
      assert.match(stdout, /^account before: null$/m);
      assert.match(stdout, /^account after API key login: \{"type":"apiKey"\}$/m);
      assert.match(stdout, /^account after logout: null$/m);
      assert.match(stdout, /^open in a browser: https:\/\/auth\.openai\.com\/oauth\/authorize$/m);
      assert.match(stdout, /^cancel: canceled$/m);
      assert.match(stdout, /^login ended: cancelled$/m);
      assert.match(stdout, /^device code: InternalRpcError \(failed to request device code/m);
      assert.ok(!stdout.includes("sk-example-not-a-real-key"), "the key is never printed");
    },
  },
  {
    file: "examples/23-goals.ts",
    check: ({ stdout }) => {
      assert.equal(stdout.match(/^turn started: \S+$/gm)?.length, 3, "the first turn and two continuations");
      assert.match(stdout, /^goal: complete$/m);
      assert.match(stdout, /^turns: 3, status: completed, goal: complete$/m);
      const summed = /^tokens \(summed over the turns\): (\d+)$/m.exec(stdout);
      assert.ok(summed !== null && Number(summed[1]) > 0, "the summed usage is printed");
      assert.match(stdout, /^answer: Release notes drafted: 3 features, 5 fixes\.$/m);
      assert.match(stdout, /^budget: GoalNotCompletedError \(budgetLimited\)$/m);
    },
  },
];

describe("every example runs offline and prints what it promises", { concurrency: 2 }, () => {
  it("the examples/ folder has exactly the examples listed here", async () => {
    const files = (await readdir(join(ROOT, "examples"))).filter((name) => /^\d\d-.+\.ts$/.test(name)).sort();
    assert.deepEqual(
      files.map((name) => `examples/${name}`),
      EXAMPLES.map((example) => example.file),
    );
  });

  for (const example of EXAMPLES) {
    it(example.file, { timeout: RUN_TIMEOUT_MS + 15_000 }, async () => {
      const run = await runScript(example.file, example.stdin === undefined ? {} : { stdin: example.stdin });
      assertClean(run);
      example.check(run);
    });
  }

  it(
    "npm run demo streams the scripted reply, shows the machines' states and usage, and exits 0",
    { timeout: RUN_TIMEOUT_MS + 15_000 },
    async () => {
      const run = await runScript("scripts/demo.ts", { args: ["--offline", "--delta-delay", "2"] });
      assertClean(run);
      const { stdout } = run;
      assert.match(stdout, /^client\s+idle → starting$/m);
      assert.match(stdout, new RegExp(`^client\\s+starting → ready\\s+codex ${V} on \\S+$`, "m"));
      assert.match(stdout, /^turn\s+\S+\s+running\.started$/m);
      assert.match(stdout, /^turn\s+running\.started → running\.streaming$/m);
      assert.match(stdout, /^codex\s+Hello from the real codex app-server! .* Run `npm run example` to see how\.$/m);
      assert.match(stdout, /^turn\s+running\.streaming → completed$/m);
      assert.match(
        stdout,
        /^usage\s+input 2,345 \(cached 1,024\) · output 96 \(reasoning 12\) · total 2,441 tokens · [\d.]+ s$/m,
      );
      assert.match(stdout, /^client\s+closing → closed$/m);
    },
  );
});
