import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { diffBundles, formatDiff } from "../../scripts/protocol/diff.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BUNDLE = "codex_app_server_protocol.schemas.json";
const read = (dir: string): unknown => JSON.parse(readFileSync(join(ROOT, dir, BUNDLE), "utf8"));
const version = (dir: string): string => readFileSync(join(ROOT, dir, "VERSION"), "utf8").trim();

function runDiff(...args: string[]): string {
  return execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/protocol-diff.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });
}

test("npm run protocol:diff -- schema/oldest schema prints what the library reports for the committed bundles", () => {
  const printed = runDiff("--", "schema/oldest", "schema");
  assert.equal(
    printed,
    formatDiff(diffBundles(read("schema/oldest"), read("schema")), version("schema/oldest"), version("schema")),
  );
  assert.match(printed, /^Protocol changes from codex-cli \S+ to codex-cli \S+$/m);
});

test("the diff of 0.169.0 → 0.171.0 lists the changes issue 11 measured by hand", () => {
  // The committed pair is this bump's; when the bundles move on, replace these lines with the next bump's news.
  assert.equal(version("schema/oldest"), "codex-cli 0.169.0");
  assert.equal(version("schema"), "codex-cli 0.171.0");
  const printed = runDiff("schema/oldest/" + BUNDLE, "schema/" + BUNDLE);
  for (const line of [
    /^client requests \(ClientRequest\): 109 → 110, 1 added, 0 removed/m,
    /^ {2}\+ modelProvider\/default\/set$/m,
    /^server notifications \(ServerNotification\): 86 → 87, 1 added, 0 removed/m,
    /^ {2}\+ thread\/search\/partial$/m,
    /^ {2}~ AgentMessageDisplay: object with action, .* → oneOf on mode \(show, hide, block\)$/m,
    /^ {2}~ Project: property removed: position$/m,
    /^ {2}~ AccountUpdatedNotification: property added: reason$/m,
    /^ {2}~ CodexErrorInfo: variant added: bioPolicy$/m,
    /^ {2}~ McpServerStatus: property added: environmentId$/m,
    /^ {2}~ McpServerToolCallParams: property added: environmentId$/m,
    /^ {2}~ ThreadListParams: property added: includedThreadIds$/m,
    /^ {2}\+ ModelProviderDefaultSetParams$/m,
  ]) {
    assert.match(printed, line);
  }
});

test("CHANGELOG.md records the diff of the committed bundles, verbatim", () => {
  const printed = runDiff("schema/oldest", "schema");
  const changelog = readFileSync(join(ROOT, "CHANGELOG.md"), "utf8");
  assert.ok(
    changelog.includes(printed.trimEnd()),
    "run `npm run protocol:diff -- schema/oldest schema` and put its output in CHANGELOG.md",
  );
});

test("the diff of a bundle with itself is empty, and removals and changed params are reported", () => {
  const same = formatDiff(diffBundles(read("schema"), read("schema")), "a", "a");
  assert.match(same, /^client requests \(ClientRequest\): (\d+) → \1, 0 added, 0 removed, 0 with changed params$/m);
  assert.match(same, /^definitions: (\d+) → \1, 0 added, 0 removed, 0 changed$/m);

  const before = {
    definitions: {
      ClientRequest: { oneOf: [request("a/read", "AParams"), request("b/gone", "BParams")] },
      AParams: { type: "object", properties: { id: { type: "string" }, old: { type: "integer" } }, required: ["id"] },
      BParams: { type: "object" },
      Mode: { type: "string", enum: ["on", "off"] },
    },
  };
  const after = {
    definitions: {
      ClientRequest: { oneOf: [request("a/read", "AParamsV2")] },
      AParamsV2: { type: "object", properties: { id: { type: ["string", "null"] } } },
      Mode: { type: "string", enum: ["on"] },
    },
  };
  const printed = formatDiff(diffBundles(before, after), "old", "new");
  assert.match(printed, /^client requests \(ClientRequest\): 2 → 1, 0 added, 1 removed, 1 with changed params$/m);
  assert.match(printed, /^ {2}- b\/gone$/m);
  assert.match(printed, /^ {2}~ a\/read$/m);
  assert.match(printed, /^ {2}- AParams$/m);
  assert.match(printed, /^ {2}\+ AParamsV2$/m);
  assert.match(printed, /^ {2}~ Mode: value removed: "off"$/m);
});

test("protocol:diff refuses a wrong call with its usage and exit code 2", () => {
  assert.throws(
    () =>
      execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/protocol-diff.ts"), "schema"], {
        cwd: ROOT,
        stdio: "pipe",
      }),
    (error: { status?: number; stderr?: Buffer }) =>
      error.status === 2 && /needs two bundles/.test(String(error.stderr)),
  );
});

function request(method: string, params: string): object {
  return {
    type: "object",
    properties: { method: { type: "string", enum: [method] }, params: { $ref: `#/definitions/${params}` } },
    required: ["method", "params"],
  };
}
