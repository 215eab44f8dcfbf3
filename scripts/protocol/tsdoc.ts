/**
 * Turns a schema `description` (and a non-null `default`) into the lines of a TSDoc comment; `undefined` when there is
 * nothing to say. `*\/` and leading `@` are escaped so the text cannot end the comment or start a tag.
 *
 * @example
 * ```ts
 * tsdoc("Process exit code."); // ["/** Process exit code. *\/"]
 * ```
 */
export function tsdoc(description: unknown, defaultValue?: unknown): string[] | undefined {
  const lines: string[] = [];
  if (typeof description === "string" && description.trim() !== "") {
    for (const line of description.trim().split("\n")) lines.push(escape(line.trimEnd()));
  }
  if (defaultValue !== undefined && defaultValue !== null) {
    if (lines.length > 0) lines.push("");
    lines.push(`@defaultValue \`${escape(JSON.stringify(defaultValue))}\``);
  }
  if (lines.length === 0) return undefined;
  if (lines.length === 1 && lines[0] !== undefined && lines[0].length <= 90) return [`/** ${lines[0]} */`];
  return ["/**", ...lines.map((line) => (line === "" ? " *" : ` * ${line}`)), " */"];
}

function escape(text: string): string {
  return text.replaceAll("*/", "*\\/").replace(/(^|\s)@/g, "$1\\@");
}
