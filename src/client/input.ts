import { statSync } from "node:fs";
import { resolve } from "node:path";
import { InvalidInputError } from "../errors/invalid-input-error.js";
import type { UserInput } from "../schema/index.js";

/**
 * Text for the model.
 *
 * @example
 * ```ts
 * await thread.run(new TextInput("Say hello in one sentence."));
 * ```
 */
export class TextInput {
  readonly type = "text";
  constructor(readonly text: string) {}
}

/**
 * An image by URL. codex 0.169.0 accepts only `data:` URLs here (it answers a remote `https:` URL with
 * "remote image URLs are not supported"); for a file on disk use {@link LocalImageInput}.
 *
 * @example
 * ```ts
 * const png = readFileSync("cat.png").toString("base64");
 * await thread.run([new TextInput("What is in this picture?"), new ImageInput(`data:image/png;base64,${png}`)]);
 * ```
 */
export class ImageInput {
  readonly type = "image";
  constructor(readonly url: string) {}
}

/**
 * An image file on the machine that runs the app-server. The path must exist when the turn is sent.
 *
 * @example
 * ```ts
 * await thread.run([new TextInput("Describe this diagram."), new LocalImageInput("./diagram.png")]);
 * ```
 */
export class LocalImageInput {
  readonly type = "localImage";
  constructor(readonly path: string) {}
}

/**
 * A skill, by name and the path of its `SKILL.md`.
 *
 * @example
 * ```ts
 * await thread.run([new SkillInput("release-notes", "/repo/.codex/skills/release-notes/SKILL.md"), "Draft them."]);
 * ```
 */
export class SkillInput {
  readonly type = "skill";
  constructor(
    readonly name: string,
    readonly path: string,
  ) {}
}

/**
 * A mention of a file or resource, by name and path.
 *
 * @example
 * ```ts
 * await thread.run([new MentionInput("package.json", "/repo/package.json"), "Which scripts are there?"]);
 * ```
 */
export class MentionInput {
  readonly type = "mention";
  constructor(
    readonly name: string,
    readonly path: string,
  ) {}
}

/**
 * One piece of user input: an input object, or a plain string for text.
 *
 * @example
 * ```ts
 * const items: InputItem[] = ["Which one loads faster?", new LocalImageInput("./before.png"), new LocalImageInput("./after.png")];
 * await thread.run(items);
 * ```
 */
export type InputItem = TextInput | ImageInput | LocalImageInput | SkillInput | MentionInput | string;

/**
 * What a turn takes: one input item or a list of them.
 *
 * @example
 * ```ts
 * async function ask(thread: AsyncThread, input: Input): Promise<string | null> {
 *   return (await thread.run(input)).finalResponse;
 * }
 * await ask(thread, "Say hello.");
 * await ask(thread, [new TextInput("What is in this picture?"), new LocalImageInput("./cat.png")]);
 * ```
 */
export type Input = InputItem | readonly InputItem[];

function requireString(value: unknown, what: string): string {
  if (typeof value !== "string" || value.length === 0) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checked at run time too: callers may be plain JavaScript or pass what the types forbid
    throw new InvalidInputError(`${what} must be a non-empty string, got ${JSON.stringify(value) ?? String(value)}.`);
  }
  return value;
}

function toUserInput(item: InputItem, index: number): UserInput {
  const at = `input[${index}]`;
  if (typeof item === "string") return { type: "text", text: item, text_elements: [] };
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checked at run time too: callers may be plain JavaScript or pass what the types forbid
  switch (item?.type) {
    case "text":
      if (typeof item.text !== "string") throw new InvalidInputError(`${at}.text must be a string.`);
      return { type: "text", text: item.text, text_elements: [] };
    case "image":
      return { type: "image", url: requireString(item.url, `${at}.url (ImageInput)`) };
    case "localImage": {
      const path = resolve(requireString(item.path, `${at}.path (LocalImageInput)`));
      // eslint-disable-next-line no-useless-assignment -- the default is what the catch leaves
      let isFile = false;
      try {
        isFile = statSync(path).isFile();
      } catch {
        throw new InvalidInputError(`${at}: local image ${JSON.stringify(path)} does not exist; check the path.`);
      }
      if (!isFile) throw new InvalidInputError(`${at}: local image ${JSON.stringify(path)} is not a file.`);
      return { type: "localImage", path };
    }
    case "skill":
    case "mention":
      return {
        type: item.type,
        name: requireString(item.name, `${at}.name`),
        path: requireString(item.path, `${at}.path`),
      };
    default:
      throw new InvalidInputError(
        `${at} is not an input: pass a string, TextInput, ImageInput, LocalImageInput, SkillInput or MentionInput.`,
      );
  }
}

/**
 * Turns user input into the wire's `UserInput[]`, rejecting bad input before anything is sent.
 *
 * @throws {InvalidInputError} for an empty list, an unknown item, or a local image that does not exist.
 */
export function toUserInputs(input: Input): UserInput[] {
  const items: readonly InputItem[] = Array.isArray(input) ? input : [input as InputItem];
  if (items.length === 0) {
    throw new InvalidInputError("input is empty: pass a string or at least one input item.");
  }
  return items.map(toUserInput);
}
