/**
 * 12 · Turn parameters, kitchen sink: one turn using most of the optional `turn()` options, with structured
 * output — an `outputSchema` the final answer must match — parsed as JSON.
 *
 * Every option is a field of the protocol's `turn/start` params (`TurnOptions`), typed from the pinned
 * schema; an option set on a turn also applies to the thread's later turns.
 *
 * Run it with `npm run example -- 12`.
 */
import { AsyncCodex, type TurnOptions } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

const OUTPUT_SCHEMA = {
  type: "object",
  properties: {
    summary: { type: "string" },
    actions: { type: "array", items: { type: "string" } },
  },
  required: ["summary", "actions"],
  additionalProperties: false,
} as const;

interface RolloutPlan {
  summary: string;
  actions: string[];
}

await using runtime = await startExampleRuntime("12-kitchen-sink");
await using codex = new AsyncCodex(runtime.config);

const defaultModel = (await codex.models()).data.find((model) => model.isDefault);
const thread = await codex.threadStart();

const options: TurnOptions = {
  approvalPolicy: "never",
  cwd: runtime.cwd,
  effort: "medium",
  model: defaultModel?.model ?? null,
  outputSchema: OUTPUT_SCHEMA,
  sandboxPolicy: { type: "readOnly", networkAccess: false },
  summary: "concise",
};
const result = await thread.run(
  "Analyze a safe rollout plan for enabling a feature flag in production. Return JSON matching the requested schema.",
  options,
);

const plan = JSON.parse(result.finalResponse ?? "null") as RolloutPlan;
console.log("model:", options.model);
console.log("summary:", plan.summary);
for (const action of plan.actions) console.log("action:", action);
console.log("usage.total:", result.usage?.total.totalTokens);
