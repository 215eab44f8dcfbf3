/** One member of a {@link Group}: an optional doc comment, a head (e.g. `name: `) and a body. */
export interface Member {
  readonly comment?: readonly string[] | undefined;
  readonly head?: string | undefined;
  readonly body: Doc;
}

/**
 * A bracketed or operator-separated sequence that is printed on one line when it fits, else one member per
 * line: `,` lists get trailing commas, `;` members end with `;`, `|`/`&` operands start their line.
 */
export interface Group {
  readonly open: string;
  readonly close: string;
  readonly separator: "," | ";" | "|" | "&";
  /** Spaces inside the brackets when printed on one line (`{ a }` rather than `[a]`). */
  readonly padded?: boolean | undefined;
  readonly members: readonly Member[];
}

/** Source text to lay out: an atom or a {@link Group}. */
export type Doc = string | Group;

const WIDTH = 110;
const INDENT = "  ";

/**
 * Builds a {@link Group}.
 *
 * @example
 * ```ts
 * render(group("Type.Union([", "])", ",", ["A", "B"])); // "Type.Union([A, B])"
 * ```
 */
export function group(
  open: string,
  close: string,
  separator: Group["separator"],
  members: readonly (Member | Doc)[],
  padded = false,
): Group {
  return {
    open,
    close,
    separator,
    padded,
    members: members.map((m) => (typeof m === "string" || "members" in m ? { body: m } : m)),
  };
}

/**
 * Lays a {@link Doc} out at the given indentation, breaking groups that do not fit in the line width.
 *
 * @example
 * ```ts
 * render(group("{", "}", ";", [{ head: "a: ", body: "string" }], true)); // "{ a: string }"
 * ```
 */
export function render(doc: Doc, indent = "", column = indent.length): string {
  if (typeof doc === "string") return doc;
  const flat = renderFlat(doc);
  if (flat !== undefined && column + flat.length <= WIDTH) return flat;
  const only = doc.members.length === 1 ? doc.members[0] : undefined;
  if (doc.separator === "," && only !== undefined && only.head === undefined && only.comment === undefined) {
    const body = only.body;
    if (typeof body !== "string" && (body.separator === "," || body.separator === ";")) {
      return doc.open + render(body, indent, column + doc.open.length) + doc.close;
    }
  }
  return renderBroken(doc, indent);
}

function renderFlat(doc: Doc): string | undefined {
  if (typeof doc === "string") return doc.includes("\n") ? undefined : doc;
  const parts: string[] = [];
  for (const member of doc.members) {
    if (member.comment !== undefined && member.comment.length > 0) return undefined;
    const body = renderFlat(member.body);
    if (body === undefined) return undefined;
    parts.push((member.head ?? "") + body);
  }
  if (doc.separator === "|" || doc.separator === "&") return doc.open + parts.join(` ${doc.separator} `) + doc.close;
  if (parts.length === 0) return doc.open + doc.close;
  const pad = doc.padded === true ? " " : "";
  const joiner = doc.separator === "," ? ", " : "; ";
  return doc.open + pad + parts.join(joiner) + pad + doc.close;
}

/**
 * Lays a {@link Group} out one member per line even when it would fit on one.
 *
 * @example
 * ```ts
 * renderExpanded(group("{", "}", ",", [{ head: "a: ", body: "1" }])); // "{\n  a: 1,\n}"
 * ```
 */
export function renderExpanded(doc: Group, indent = ""): string {
  return renderBroken(doc, indent);
}

function renderBroken(doc: Group, indent: string): string {
  const inner = indent + INDENT;
  const lines: string[] = [];
  for (const member of doc.members) {
    for (const line of member.comment ?? []) lines.push(inner + line);
    const operator = doc.separator === "|" || doc.separator === "&" ? `${doc.separator} ` : "";
    const head = operator + (member.head ?? "");
    const terminator = doc.separator === "," ? "," : doc.separator === ";" ? ";" : "";
    lines.push(inner + head + render(member.body, inner, inner.length + head.length) + terminator);
  }
  if (doc.separator === "|" || doc.separator === "&") {
    const body = `\n${lines.join("\n")}`;
    return doc.open === "" ? body : `${doc.open}${body}\n${indent}${doc.close}`;
  }
  return `${doc.open}\n${lines.join("\n")}\n${indent}${doc.close}`;
}
