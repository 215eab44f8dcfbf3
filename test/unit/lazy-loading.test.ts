import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

// What the first start costs is mostly what is loaded (issue 17): TypeBox (the validators, ≈ 540 modules) only
// to explain a message that does not fit its schema, synckit only on the first call of the sync client,
// @opentelemetry/api (44 modules) only once a tracer provider is registered. Counted
// in a fresh process, since this one has loaded both.
const probe = fileURLToPath(new URL("../support/loaded-packages-probe.ts", import.meta.url));

interface Loaded {
  afterImport: string[];
  afterFittingNotification: string[];
  diagnosticsAfterFitting: string[];
  afterMisfit: string[];
  diagnostics: string[];
}

const loaded = JSON.parse(
  execFileSync(process.execPath, ["--import", "tsx", probe], { encoding: "utf8", timeout: 60_000 })
    .trim()
    .split("\n")
    .at(-1)!,
) as Loaded;

test("importing the package loads neither TypeBox nor synckit", () => {
  assert.deepEqual(loaded.afterImport, []);
});

test("a started client checks a fitting notification with the checks compiled ahead of time, without TypeBox, and loads no @opentelemetry/api while no tracer provider is registered", () => {
  assert.deepEqual(loaded.diagnosticsAfterFitting, []);
  assert.deepEqual(loaded.afterFittingNotification, []);
});

test("a notification that does not fit loads TypeBox to say why, in a diagnostic", () => {
  assert.deepEqual(loaded.diagnostics, ["invalidNotification"]);
  assert.deepEqual(loaded.afterMisfit, ["typebox"]);
});
