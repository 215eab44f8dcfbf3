import { refName, type FlatBundle, type JsonSchema } from "./bundle.js";
import { header, tidy } from "./emit-definitions.js";
import { group, render, renderExpanded, type Member } from "./layout.js";
import { RESULT_OVERRIDES } from "./result-overrides.js";
import { translate, type Translation } from "./translate.js";
import { tsdoc } from "./tsdoc.js";

interface Method {
  readonly method: string;
  readonly description: string | undefined;
  readonly params: Translation;
  readonly paramsOptional: boolean;
  readonly result: Translation | undefined;
}

interface Direction {
  /** The definition holding the method union, e.g. `ClientRequest`. */
  readonly union: string;
  /** Prefix of the generated names, e.g. `ClientRequest` → `ClientRequestMap`, `clientRequests`. */
  readonly prefix: string;
  readonly table: string;
  readonly what: string;
  readonly hasResult: boolean;
}

const DIRECTIONS: readonly Direction[] = [
  {
    union: "ClientRequest",
    prefix: "ClientRequest",
    table: "clientRequests",
    what: "Requests the client sends",
    hasResult: true,
  },
  {
    union: "ServerRequest",
    prefix: "ServerRequest",
    table: "serverRequests",
    what: "Requests the server sends",
    hasResult: true,
  },
  {
    union: "ServerNotification",
    prefix: "ServerNotification",
    table: "serverNotifications",
    what: "Notifications the server sends",
    hasResult: false,
  },
  {
    union: "ClientNotification",
    prefix: "ClientNotification",
    table: "clientNotifications",
    what: "Notifications the client sends",
    hasResult: false,
  },
];

/** Options of {@link emitMethods}. */
export interface MethodEmitOptions {
  /** The bundle's path in the repository, named in the header. Default: the stable bundle. */
  readonly source?: string | undefined;
  /** Results not named after their params. Default {@link RESULT_OVERRIDES}. */
  readonly resultOverrides?: Readonly<Record<string, string>> | undefined;
}

const SECTION_MARKER = /^(NEW APIs|NEW NOTIFICATIONS|DEPRECATED APIs below)\s*/;

/**
 * Writes `src/schema/generated-methods.ts`: for each of the four method unions (`ClientRequest`,
 * `ServerRequest`, `ServerNotification`, `ClientNotification`) a `…Map` interface (method → params/result
 * types), the `…Method`/`…Params<M>`/`…Result<M>` types and a runtime table (method → schemas). A request's
 * result is `XResponse` for params `XParams`, else the hand-kept {@link RESULT_OVERRIDES}.
 *
 * @throws {Error} when a union arm has an unexpected shape, a result cannot be found, or an override is stale.
 * @example
 * ```ts
 * writeFileSync("src/schema/generated-methods.ts", emitMethods(flattenBundle(bundle), "codex-cli 0.169.0"));
 * ```
 */
export function emitMethods(bundle: FlatBundle, version: string, options: MethodEmitOptions = {}): string {
  const overrides = options.resultOverrides ?? RESULT_OVERRIDES;
  const usedOverrides = new Set<string>();
  const ref = (name: string): string => {
    if (!bundle.definitions.has(name)) throw new Error(`$ref to unknown definition ${name}`);
    return `defs.${name}`;
  };
  const sections: string[] = [];
  let usesType = false;
  for (const direction of DIRECTIONS) {
    const methods = readMethods(bundle, direction, ref, usedOverrides, overrides);
    usesType ||= methods.some((m) => render(m.params.value).includes("Type."));
    sections.push(emitDirection(direction, methods));
  }
  const stale = Object.keys(overrides).filter((method) => !usedOverrides.has(method));
  if (stale.length > 0) throw new Error(`RESULT_OVERRIDES entries not used: ${stale.join(", ")}`);
  const imports = [
    ...(usesType ? ['import { Type } from "typebox";'] : []),
    'import * as defs from "./generated.js";',
  ].join("\n");
  const notification = [
    "/** A notification from the server, discriminated by `method`. */",
    "export type Notification = {",
    "  [M in ServerNotificationMethod]: { method: M; params: ServerNotificationParams<M> };",
    "}[ServerNotificationMethod];",
  ].join("\n");
  return tidy([header(version, options.source), imports, ...sections, notification].join("\n\n"));
}

function readMethods(
  bundle: FlatBundle,
  direction: Direction,
  ref: (name: string) => string,
  usedOverrides: Set<string>,
  overrides: Readonly<Record<string, string>>,
): Method[] {
  const union = bundle.definitions.get(direction.union);
  if (typeof union !== "object" || union.oneOf === undefined) throw new Error(`${direction.union} is not a oneOf`);
  return union.oneOf.map((arm) => {
    if (typeof arm !== "object" || arm.properties === undefined)
      throw new Error(`${direction.union} arm without properties`);
    const methodSchema = arm.properties["method"];
    const method = typeof methodSchema === "object" ? methodSchema.enum?.[0] : undefined;
    if (typeof method !== "string" || (typeof methodSchema === "object" && methodSchema.enum?.length !== 1)) {
      throw new Error(`${direction.union} arm without a single-valued method`);
    }
    const paramsSchema: JsonSchema | undefined = arm.properties["params"];
    const paramsOptional = !(arm.required ?? []).includes("params");
    const params: Translation =
      paramsSchema === undefined
        ? { value: "Type.Unknown()", type: "undefined", precedence: "atom" }
        : translate(paramsSchema, ref);
    let result: Translation | undefined;
    if (direction.hasResult) {
      const name = resultName(bundle, method, paramsSchema, usedOverrides, overrides);
      result = translate({ $ref: `#/definitions/${name}` }, ref);
    }
    const description = typeof arm.description === "string" ? arm.description.replace(SECTION_MARKER, "") : undefined;
    return { method, description, params, paramsOptional, result };
  });
}

function resultName(
  bundle: FlatBundle,
  method: string,
  params: JsonSchema | undefined,
  usedOverrides: Set<string>,
  overrides: Readonly<Record<string, string>>,
): string {
  const override = overrides[method];
  if (override !== undefined) {
    usedOverrides.add(method);
    if (!bundle.definitions.has(override)) throw new Error(`result ${override} of ${method} is not defined`);
    return override;
  }
  const paramsName = paramsRefName(params);
  const byName = paramsName?.replace(/Params$/, "Response");
  if (byName === undefined || byName === paramsName || !bundle.definitions.has(byName)) {
    throw new Error(`no result for ${method}: add it to scripts/protocol/result-overrides.ts`);
  }
  return byName;
}

function paramsRefName(params: JsonSchema | undefined): string | undefined {
  if (typeof params !== "object") return undefined;
  if (params.$ref !== undefined) return refName(params.$ref);
  const arms = params.anyOf ?? params.oneOf;
  const refs = (arms ?? []).flatMap((arm) => (typeof arm === "object" && arm.$ref !== undefined ? [arm.$ref] : []));
  return refs.length === 1 && refs[0] !== undefined ? refName(refs[0]) : undefined;
}

function emitDirection(direction: Direction, methods: readonly Method[]): string {
  const { prefix } = direction;
  const typeMembers: Member[] = methods.map((m) => {
    const params =
      m.paramsOptional && m.params.type !== "undefined"
        ? group("", "", "|", [m.params.type, "undefined"])
        : m.params.type;
    const fields: Member[] = [{ head: "params: ", body: params }];
    if (m.result !== undefined) fields.push({ head: "result: ", body: m.result.type });
    return {
      comment: tsdoc(m.description),
      head: `${JSON.stringify(m.method)}: `,
      body: group("{", "}", ";", fields, true),
    };
  });
  const valueMembers: Member[] = methods.map((m) => {
    const fields: Member[] = [{ head: "params: ", body: m.params.value }];
    if (m.result !== undefined) fields.push({ head: "result: ", body: m.result.value });
    fields.push({ head: "paramsOptional: ", body: String(m.paramsOptional) });
    return { head: `${JSON.stringify(m.method)}: `, body: group("{", "}", ",", fields, true) };
  });
  const map = `${prefix}Map`;
  const lines = [
    `/** ${direction.what}, by method: the types of their params${direction.hasResult ? " and result" : ""}. */`,
    `export interface ${map} ${renderExpanded(group("{", "}", ";", typeMembers, true))}`,
    "",
    `/** A method of {@link ${map}}. */`,
    `export type ${prefix}Method = keyof ${map};`,
    `/** The params of a ${firstWord(direction.what)} \`M\`; \`undefined\` in the union when they may be omitted. */`,
    `export type ${prefix}Params<M extends ${prefix}Method> = ${map}[M]["params"];`,
  ];
  if (direction.hasResult) {
    lines.push(
      `/** The result the ${direction.union.startsWith("Client") ? "server" : "client"} answers a ${firstWord(direction.what)} \`M\` with. */`,
      `export type ${prefix}Result<M extends ${prefix}Method> = ${map}[M]["result"];`,
    );
  }
  lines.push(
    "",
    `/** ${direction.what}, by method: the TypeBox schemas of their params${direction.hasResult ? " and result" : ""}, and whether the params may be omitted. */`,
    `export const ${direction.table} = ${renderExpanded(group("{", "}", ",", valueMembers, true))};`,
  );
  return lines.join("\n");
}

function firstWord(what: string): string {
  return what.split(" ")[0]?.toLowerCase().replace(/s$/, "") ?? what;
}
