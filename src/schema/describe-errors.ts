/** The part of a TypeBox validation error that {@link describeErrors} reads. */
export interface ValidationError {
  readonly keyword: string;
  readonly schemaPath: string;
  readonly instancePath: string;
  readonly params: object;
  readonly message: string;
}

/** How many lines {@link describeErrors} returns at most. */
export const MAX_DESCRIBED_ERRORS = 5;

const MAX_LISTED_VALUES = 12;

/** What a value at one path could have been: JSON types and literal values. */
interface Expected {
  readonly types: Set<string>;
  readonly literals: unknown[];
}

/**
 * Turns the raw errors of a failed check into a few readable `path: message` lines. Arms of a union that
 * were rejected by their discriminator (a `const` property such as `type: "agentMessage"`) are left out, so
 * a bad `item/completed` reports what is wrong with the kind of item it claims to be rather than with every
 * other kind; when no arm's discriminator matched, the line lists the values that would have. Type and
 * literal mismatches at one path merge into one `must be "a", "b" or null` line.
 */
export function describeErrors(errors: readonly ValidationError[]): string[] {
  const rejectedArms = errors.flatMap((error) => discriminatedArm(error) ?? []);
  const kept = errors.filter(
    (error) =>
      !rejectedArms.some((arm) => error.schemaPath === arm || inside(error, arm)) &&
      !(error.keyword === "boolean" && error.schemaPath.endsWith("/additionalProperties")),
  );
  const lines: (string | { path: string })[] = [];
  const expected = new Map<string, Expected>();
  for (const error of kept) {
    if (isUnion(error)) {
      if (!kept.some((other) => !isUnion(other) && inside(other, error.schemaPath))) lines.push(unmatchedUnion(error, errors));
    } else if (error.keyword === "type" || error.keyword === "const") {
      let entry = expected.get(error.instancePath);
      if (entry === undefined) {
        entry = { types: new Set(), literals: [] };
        expected.set(error.instancePath, entry);
        lines.push({ path: error.instancePath });
      }
      if (error.keyword === "type") entry.types.add(String((error.params as { type?: unknown }).type));
      else entry.literals.push(constValue(error));
    } else {
      lines.push(`${where(error.instancePath)}: ${message(error)}`);
    }
  }
  const described = [
    ...new Set(lines.map((line) => (typeof line === "string" ? line : mustBe(line.path, expected.get(line.path))))),
  ];
  if (described.length === 0) return ["value does not match the schema"];
  if (described.length <= MAX_DESCRIBED_ERRORS) return described;
  const shown = described.slice(0, MAX_DESCRIBED_ERRORS - 1);
  return [...shown, `… and ${described.length - shown.length} more`];
}

function unmatchedUnion(union: ValidationError, errors: readonly ValidationError[]): string {
  const discriminators = errors.filter((other) => discriminatedArm(other) !== undefined && inside(other, union.schemaPath));
  const paths = new Set(discriminators.map((other) => other.instancePath));
  const first = discriminators[0];
  if (paths.size !== 1 || first === undefined) return `${where(union.instancePath)}: ${union.message}`;
  const values = [...new Set(discriminators.map((other) => JSON.stringify(constValue(other))))];
  if (values.length > MAX_LISTED_VALUES) values.splice(MAX_LISTED_VALUES, Infinity, "…");
  return `${where(first.instancePath)}: must be one of ${values.join(", ")}`;
}

function mustBe(path: string, expected: Expected | undefined): string {
  const literalTypes = new Set(expected?.literals.map((value) => typeof value));
  const options = [
    ...new Set(expected?.literals.map((value) => JSON.stringify(value))),
    ...[...(expected?.types ?? [])].filter((type) => !literalTypes.has(type as "string")),
  ];
  const last = options.pop();
  return `${where(path)}: must be ${options.length > 0 ? `${options.join(", ")} or ` : ""}${last}`;
}

function discriminatedArm(error: ValidationError): string | undefined {
  if (error.keyword !== "const") return undefined;
  return /^(.*\/anyOf\/\d+)(?:\/allOf\/\d+)*\/properties\/[^/]+$/.exec(error.schemaPath)?.[1];
}

function inside(error: ValidationError, schemaPath: string): boolean {
  return error.schemaPath.startsWith(`${schemaPath}/`);
}

function isUnion(error: ValidationError): boolean {
  return error.keyword === "anyOf" || error.keyword === "oneOf";
}

function constValue(error: ValidationError): unknown {
  return (error.params as { allowedValue?: unknown }).allowedValue;
}

function message(error: ValidationError): string {
  const params = error.params as { additionalProperties?: unknown };
  if (error.keyword === "additionalProperties" && Array.isArray(params.additionalProperties)) {
    return `must not have additional properties (${params.additionalProperties.join(", ")})`;
  }
  return error.message;
}

function where(instancePath: string): string {
  return instancePath === "" ? "(root)" : instancePath;
}
