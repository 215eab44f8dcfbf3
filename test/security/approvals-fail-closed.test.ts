import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { AsyncCodex, type ApprovalHandler } from "../../src/index.js";
import {
  createOfflineEnvironment,
  execCommandReply,
  textReply,
  type OfflineEnvironment,
} from "../../src/testing/index.js";
import { offlineClientConfig } from "../support/offline-client.js";

/**
 * Promise: no command runs without consent, whatever the approval handler does. Each case asks the real
 * app-server to run `touch <file>` under `approvalPolicy: "untrusted"`; the proof is that the file does not
 * exist after the turn. The accepting case is the control: the same command, approved, does create it.
 */

const APPROVAL_TIMEOUT_MS = 1_500;
let offline: OfflineEnvironment;
let codex: AsyncCodex;
let handler: ApprovalHandler = () => undefined;

async function commandRan(name: string): Promise<boolean> {
  const thread = await codex.threadStart({ approvalPolicy: "untrusted", sandbox: "workspace-write", cwd: offline.cwd });
  offline.provider.enqueue(execCommandReply(`touch ${name}`), textReply("Done."));
  await (await thread.turn(`Create ${name}`)).run();
  return existsSync(join(offline.cwd, name));
}

const garbage = (answer: unknown): ApprovalHandler => (() => answer) as unknown as ApprovalHandler;

/** Handlers that must all end in "the command did not run". */
const REFUSING: Record<string, ApprovalHandler> = {
  "throws an Error": () => {
    throw new Error("handler exploded");
  },
  "throws a string": () => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the case under test: a handler that throws a non-Error
    throw "not even an Error";
  },
  rejects: () => Promise.reject(new Error("async failure")),
  "hangs for ever": () => new Promise(() => {}),
  "ignores its signal and accepts after the timeout": () =>
    delay(APPROVAL_TIMEOUT_MS + 500, { decision: "accept" as const }),
  "returns undefined": garbage(undefined),
  "returns null": garbage(null),
  "returns a string": garbage("accept"),
  "returns a number": garbage(1),
  "returns an array": garbage([{ decision: "accept" }]),
  "returns a misspelt decision": garbage({ decision: "Accept" }),
  "returns a decision with extra spaces": garbage({ decision: "accept " }),
  "returns a decision of the wrong type": garbage({ decision: { accept: true } }),
  "returns an object whose getter throws": garbage(
    Object.defineProperty({}, "decision", {
      enumerable: true,
      get() {
        throw new Error("getter exploded");
      },
    }),
  ),
  "returns a Proxy that throws on every access": garbage(
    new Proxy(
      {},
      {
        get() {
          throw new Error("proxy exploded");
        },
        ownKeys() {
          throw new Error("proxy exploded");
        },
      },
    ),
  ),
  "returns a decline that serializes as an accept (toJSON)": garbage({
    decision: "decline",
    toJSON: () => ({ decision: "accept" }),
  }),
  "returns a thenable that never settles": garbage({ then: () => {} }),
};

describe("security: approvals fail closed whatever the handler does", { timeout: 180_000 }, () => {
  before(async () => {
    offline = await createOfflineEnvironment();
    codex = new AsyncCodex(
      offlineClientConfig(offline, {
        approvalTimeoutMs: APPROVAL_TIMEOUT_MS,
        approvalHandler: (request) => handler(request),
      }),
    );
    await codex.start();
  });

  after(async () => {
    await codex?.close();
    await offline?.close();
  });

  it("control: an accepting handler lets the command create its file", async () => {
    handler = (request) =>
      request.method === "item/commandExecution/requestApproval" ? { decision: "accept" } : undefined;
    assert.equal(await commandRan("accepted.txt"), true);
  });

  it("a client with no handler at all declines (the default fails closed)", async () => {
    const bare = new AsyncCodex(offlineClientConfig(offline));
    try {
      const thread = await bare.threadStart({
        approvalPolicy: "untrusted",
        sandbox: "workspace-write",
        cwd: offline.cwd,
      });
      offline.provider.enqueue(execCommandReply("touch default.txt"), textReply("Done."));
      await (await thread.turn("Create default.txt")).run();
      assert.equal(existsSync(join(offline.cwd, "default.txt")), false);
    } finally {
      await bare.close();
    }
  });

  for (const [name, refusing] of Object.entries(REFUSING)) {
    it(`a handler that ${name}: the command does not run`, async () => {
      handler = refusing;
      const file = `${name.replace(/[^a-z]+/gi, "-")}.txt`;
      assert.equal(await commandRan(file), false, `${file} was created`);
    });
  }

  it("a late accept, after the timeout declined, still creates nothing", async () => {
    await delay(1_000); // the "accepts after the timeout" handler above has resolved by now
    assert.equal(existsSync(join(offline.cwd, "ignores-its-signal-and-accepts-after-the-timeout.txt")), false);
  });
});
