import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { clientNotifications, clientRequests, definitions, serverNotifications, serverRequests } from "../../src/schema/index.js";

// A count of the protocol written into prose ("all 770 definitions", "the 109 client requests") goes stale
// silently when the protocol is regenerated. Docs and code comments either leave such numbers out or state
// the ones the generated tables have: this test finds every such phrase and checks it.

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const COUNTS: Readonly<Record<string, number>> = {
  definitions: Object.keys(definitions).length,
  "client requests": Object.keys(clientRequests).length,
  "client request": Object.keys(clientRequests).length,
  "client methods": Object.keys(clientRequests).length,
  "server requests": Object.keys(serverRequests).length,
  "server notifications": Object.keys(serverNotifications).length,
  notifications: Object.keys(serverNotifications).length,
  "client notifications": Object.keys(clientNotifications).length,
};
const PHRASE = /\b(\d[\d,]*) (?:generated |protocol |TypeBox )?(definitions|client requests|client request(?= methods)|client methods|server requests|server notifications|client notifications|notifications)\b/g;
/** Counts that are about something else than the pinned protocol (a benchmark's run, a test's sample). */
const NOT_THE_PROTOCOL = /(?:bench|per second|\/s\b|samples|over \d|of \d+ kinds|sent|received|burst|buffered)/i;

function files(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" || name === "api" ? [] : files(path, keep);
    return keep(path) ? [path] : [];
  });
}

test("every count of protocol methods or definitions in the docs and code comments is the generated tables' count", () => {
  const checked = [
    join(ROOT, "README.md"),
    join(ROOT, "CHANGELOG.md"),
    ...files(join(ROOT, "docs"), (path) => path.endsWith(".md") && !path.endsWith("benchmarks.md")),
    ...files(join(ROOT, "src"), (path) => path.endsWith(".ts") && !/[\\/]generated(-methods)?\.ts$/.test(path)),
  ];
  const wrong: string[] = [];
  let found = 0;
  for (const file of checked) {
    const lines = readFileSync(file, "utf8").split("\n");
    lines.forEach((line, index) => {
      for (const match of line.matchAll(PHRASE)) {
        if (NOT_THE_PROTOCOL.test(line)) continue;
        found += 1;
        const stated = Number(match[1]?.replaceAll(",", ""));
        const actual = COUNTS[match[2] ?? ""];
        if (stated !== actual) wrong.push(`${relative(ROOT, file)}:${index + 1}: "${match[0]}" but the tables have ${actual}`);
      }
    });
  }
  assert.deepEqual(wrong, [], `write the tables' numbers or none:\n${wrong.join("\n")}`);
  assert.ok(checked.length > 20, `${checked.length} files checked`);
  assert.ok(found >= 0);
});

test("the phrase finder catches a stale count", () => {
  const line = "typed protocol models for all 770 definitions, the 109 client requests, all 109 client request methods";
  const matches = [...line.matchAll(PHRASE)].map((match) => [Number(match[1]), match[2]]);
  assert.deepEqual(matches, [
    [770, "definitions"],
    [109, "client requests"],
    [109, "client request"],
  ]);
  assert.notEqual(COUNTS["definitions"], 770, "the tables moved past 0.169.0's count");
});
