import {
  execCommandReply,
  failedReply,
  inputItems,
  inputTexts,
  textReply,
  type OfflineEnvironmentOptions,
  type RecordedRequest,
} from "../../src/testing/index.js";

// What the scripted model answers in each example, in the order the example asks. A function answers from
// the request itself (the texts the user sent). Nothing here is seen by the example code: it talks to Codex
// as it would to the real service.

/** The scripted model of one example: its replies in order, what it answers after them, and Codex settings. */
export type ExampleScript = Pick<OfflineEnvironmentOptions, "replies" | "fallback" | "config">;

const lastUserText = (request: RecordedRequest): string => inputTexts(request).at(-1) ?? "";
const hasImage = (request: RecordedRequest): boolean =>
  inputItems(request).some(
    (item) =>
      Array.isArray(item.content) && item.content.some((part: { type?: string }) => part.type === "input_image"),
  );
const outputSchemaOf = (request: RecordedRequest): unknown =>
  (request.body as { text?: { format?: { schema?: unknown } } } | undefined)?.text?.format?.schema;
const count = (to: number): string => Array.from({ length: to }, (_, index) => String(index + 1)).join(", ");
const slowly = { deltaDelayMs: 25 };
const escalated = { sandbox_permissions: "require_escalated", justification: "The report goes next to the project." };

export const exampleScripts = {
  "01-quickstart": {
    replies: [textReply("Hello! I'm Codex, and I'm ready to help with your code.", { deltas: 4 })],
  },
  "02-turn-run": {
    replies: [
      textReply(
        "- SIMD runs one instruction on several values at once.\n" +
          "- Compilers vectorise simple loops over arrays into SIMD instructions.\n" +
          "- Data laid out contiguously and aligned gets the most out of it.",
        { usage: { inputTokens: 1_200, cachedInputTokens: 800, outputTokens: 48 } },
      ),
      textReply("SIMD: one instruction, many values, when the data sits side by side."),
    ],
  },
  "03-stream-events": {
    replies: [
      textReply(
        "A notification is a JSON-RPC message that expects no answer. The app-server sends them to report " +
          "progress: a turn started, an item streamed, a turn completed.",
        { deltas: 6, ...slowly },
      ),
    ],
  },
  "04-models-and-metadata": {},
  "05-existing-thread": {
    fallback: (request) =>
      textReply(
        inputTexts(request).includes("Tell me one fact about Saturn.")
          ? lastUserText(request) === "Tell me one fact about Saturn."
            ? "Saturn's rings are made mostly of water ice."
            : "Saturn's largest moon, Titan, has a thick nitrogen atmosphere."
          : "I have no earlier conversation to continue.",
      ),
  },
  "06-thread-lifecycle": {
    replies: [
      textReply("Structured planning breaks a goal into ordered steps you can check."),
      textReply("Plan the work as small steps, and tick each one off when it is done."),
      textReply("Give every step an owner and a clear definition of done."),
      textReply("Or plan backwards from the release date and cut scope to fit."),
      textReply("Summary: the user asked about planning; we suggested small, checkable steps."),
    ],
  },
  "07-remote-image": {
    fallback: (request) =>
      textReply(
        hasImage(request)
          ? "- A yellow sun in a clear blue sky.\n- A small red house with a brown roof.\n- Green grass below."
          : "I see no image in your message.",
      ),
  },
  "08-local-image": {
    fallback: (request) =>
      textReply(
        hasImage(request)
          ? "- A red house with a brown roof stands on green grass.\n- The sun shines in a blue sky."
          : "I see no image in your message.",
      ),
  },
  "09-async-parity": {
    replies: [textReply("Hello from the synchronous client."), textReply("Hello from the asynchronous client.")],
  },
  "10-retry-and-errors": {
    replies: [
      failedReply("The model is temporarily unavailable.", { code: "server_error" }),
      textReply(
        "- Retry only what is safe to repeat.\n- Back off exponentially, with jitter.\n- Give up after a few attempts and say why.",
      ),
    ],
  },
  "11-cli-chat": {
    fallback: (request) => {
      const text = lastUserText(request);
      if (/^(hi|hello)\b/i.test(text)) return textReply("Hello! What shall we build today?", slowly);
      if (/what can you do/i.test(text)) {
        return textReply("I can read code, run commands you approve, and explain what I find.", slowly);
      }
      return textReply(`You said: "${text}". (This is the scripted model of the offline examples.)`, slowly);
    },
  },
  "12-kitchen-sink": {
    // The JSON comes only when Codex passed the turn's outputSchema on to the model.
    fallback: (request) =>
      textReply(
        outputSchemaOf(request) === undefined
          ? "No output schema reached the model."
          : JSON.stringify({
              summary: "Enable the flag for internal users, then 5 %, 25 % and 100 % of traffic, watching error rates.",
              actions: ["Ship the code dark", "Enable for staff", "Ramp up in steps", "Keep a kill switch ready"],
            }),
        { deltas: 8 },
      ),
  },
  "13-model-select": {
    replies: [
      textReply("Release small changes often, behind flags, and watch the metrics after each one."),
      textReply(
        JSON.stringify({
          summary: "Roll the flag out in stages and stop at the first sign of trouble.",
          actions: ["Enable for staff", "Ramp to 10 %", "Ramp to 100 %"],
        }),
      ),
    ],
  },
  "14-steer-and-interrupt": {
    replies: [
      textReply(`${count(40)}. That was forty numbers.`, { deltas: 40, deltaDelayMs: 40 }),
      textReply(`${count(10)}. Ten numbers, as you asked.`, { deltas: 10 }),
      textReply(`${count(200)}. That was two hundred numbers.`, { deltas: 200, deltaDelayMs: 40 }),
    ],
  },
  "15-approvals": {
    replies: [
      execCommandReply("ls -a"),
      execCommandReply("rm -rf build"),
      textReply("I listed the folder. Deleting build/ was not approved, so I left it alone."),
    ],
  },
  "16-many-threads": {
    fallback: (request) => {
      const text = lastUserText(request);
      const answer = /prime/i.test(text)
        ? "Seven is a prime number."
        : /colour|color/i.test(text)
          ? "Teal is a colour between blue and green."
          : /planet/i.test(text)
            ? "Neptune is the farthest planet from the Sun."
            : "I am not sure.";
      return textReply(answer, { deltas: 4, deltaDelayMs: 30 });
    },
  },
  "17-watching-machines": {
    replies: [textReply("Machines make the state of a client and of each turn visible.", { deltas: 3, ...slowly })],
  },
  "18-approval-modes": {
    replies: [
      execCommandReply("touch ../report.txt", { arguments: escalated }),
      textReply("I may not write outside the workspace, so the report is not written."),
      execCommandReply("touch ../report.txt", { arguments: escalated }),
      textReply(
        JSON.stringify({
          outcome: "allow",
          risk_level: "low",
          user_authorization: "high",
          rationale: "The user asked for it.",
        }),
      ),
      textReply("The report is written."),
      textReply("Looked around; nothing changed."),
    ],
  },
  "19-experimental-api": {},
  "20-remote-app-server": {
    replies: [
      textReply("Hello from an app-server you connected to over a WebSocket.", { deltas: 3 }),
      textReply("Hello from the same kind of server, over a unix socket.", { deltas: 3 }),
    ],
  },
  "21-restarts": {
    replies: [
      textReply("Noted: the word is pelican."),
      textReply("one two three four five six seven eight nine ten eleven twelve", { deltas: 12, deltaDelayMs: 100 }),
      textReply("The word was pelican."),
    ],
  },
  "22-login-and-account": {
    config: { model_providers: { fake: { requires_openai_auth: true } } },
  },
  "23-goals": {
    replies: [
      textReply("Step 1: collected the changes since 1.1.", { usage: { inputTokens: 120, outputTokens: 12 } }),
      textReply("Step 2: grouped them into features and fixes.", { usage: { inputTokens: 150, outputTokens: 15 } }),
      { kind: "stream", output: [{ type: "function_call", name: "update_goal", arguments: { status: "complete" } }] },
      textReply("Release notes drafted: 3 features, 5 fixes.", { usage: { inputTokens: 180, outputTokens: 18 } }),
    ],
    fallback: textReply("Still polishing.", { usage: { inputTokens: 10, outputTokens: 2 } }),
  },
} satisfies Record<string, ExampleScript>;

/** The examples that have a scripted model. */
export type ExampleName = keyof typeof exampleScripts;
