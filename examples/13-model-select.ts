/**
 * 13 · Model select: list the models, pick the preferred one (or the newest visible one), pick its highest
 * reasoning effort, and run turns with them — a plain one and one with structured output.
 *
 * Run it with `npm run example -- 13`.
 */
import { AsyncCodex } from "../src/index.js";
import type { Model, ReasoningEffort } from "../src/schema/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

const PREFERRED_MODEL = "gpt-5.5";
const EFFORT_RANKING: readonly string[] = ["none", "minimal", "low", "medium", "high", "xhigh", "max", "ultra"];

const OUTPUT_SCHEMA = {
  type: "object",
  properties: { summary: { type: "string" }, actions: { type: "array", items: { type: "string" } } },
  required: ["summary", "actions"],
  additionalProperties: false,
};

await using runtime = await startExampleRuntime("13-model-select");
await using codex = new AsyncCodex(runtime.config);

const { data: models } = await codex.models({ includeHidden: true });
const model = pickModel(models);
const effort = pickHighestEffort(model);
console.log("selected.model:", model.model);
console.log("selected.effort:", effort);

const thread = await codex.threadStart({ model: model.model, config: { model_reasoning_effort: effort } });

const first = await thread.run("Give one short sentence about reliable production releases.", {
  model: model.model,
  effort,
});
console.log("agent.message:", first.finalResponse);
console.log("usage:", first.usage?.last.totalTokens);

const second = await thread.run("Return JSON for a safe feature-flag rollout plan.", {
  model: model.model,
  effort,
  approvalPolicy: "never",
  cwd: runtime.cwd,
  outputSchema: OUTPUT_SCHEMA,
  sandboxPolicy: { type: "readOnly" },
  summary: "concise",
});
console.log("agent.message.params:", second.finalResponse);
console.log("usage.params:", second.usage?.last.totalTokens);

/** The preferred model if offered; else the last visible model that nothing upgrades to something newer. */
function pickModel(all: readonly Model[]): Model {
  const visible = all.filter((candidate) => !candidate.hidden);
  const pool = visible.length > 0 ? visible : all;
  const preferred = pool.find((candidate) => candidate.model === PREFERRED_MODEL || candidate.id === PREFERRED_MODEL);
  if (preferred !== undefined) return preferred;
  const names = new Set(pool.flatMap((candidate) => [candidate.id, candidate.model]));
  const current = pool.filter((candidate) => !(candidate.upgrade && names.has(candidate.upgrade)));
  const chosen = (current.length > 0 ? current : pool).toSorted((a, b) => a.model.localeCompare(b.model)).at(-1);
  if (chosen === undefined) throw new Error("the app-server offers no models");
  return chosen;
}

/** The highest effort the model supports, by a known ranking (its default when it lists none). */
function pickHighestEffort(chosen: Model): ReasoningEffort {
  const rank = (effort: ReasoningEffort) => EFFORT_RANKING.indexOf(effort);
  const efforts = chosen.supportedReasoningEfforts.map((option) => option.reasoningEffort);
  return efforts.toSorted((a, b) => rank(a) - rank(b)).at(-1) ?? chosen.defaultReasoningEffort;
}
