import assert from "node:assert/strict";
import { test } from "node:test";
import { finalResponseOf } from "../../src/index.js";
import type { ThreadItem } from "../../src/schema/index.js";

const message = (
  id: string,
  text: string,
  phase?: "commentary" | "final_answer" | "partial_answer" | null,
): ThreadItem => ({ type: "agentMessage", id, text, ...(phase === undefined ? {} : { phase }) });
const user: ThreadItem = { type: "userMessage", id: "u", content: [] } as unknown as ThreadItem;

test("a final_answer message wins wherever it stands", () => {
  assert.equal(finalResponseOf([message("1", "answer", "final_answer"), message("2", "later, no phase")]), "answer");
});

test("the latest final_answer wins over an earlier one", () => {
  assert.equal(
    finalResponseOf([message("1", "first", "final_answer"), message("2", "second", "final_answer")]),
    "second",
  );
});

test("without a final_answer, the latest message with no phase wins", () => {
  assert.equal(
    finalResponseOf([user, message("1", "one"), message("2", "two", null), message("3", "thinking", "commentary")]),
    "two",
  );
});

test("commentary never counts: commentary only gives null", () => {
  assert.equal(
    finalResponseOf([message("1", "looking", "commentary"), message("2", "still looking", "commentary")]),
    null,
  );
});

test("an empty unphased message stays an empty string, not null", () => {
  assert.equal(finalResponseOf([message("1", "")]), "");
});

test("a phase this client does not know does not count as final", () => {
  assert.equal(finalResponseOf([message("1", "unphased"), message("2", "partial", "partial_answer")]), "unphased");
});

test("no agent message at all gives null", () => {
  assert.equal(finalResponseOf([user]), null);
  assert.equal(finalResponseOf([]), null);
});
