import type { TSchema } from "typebox";
import { Compile } from "typebox/schema";
import { Settings } from "typebox/system";
import { describeErrors, type ValidationError } from "./describe-errors.js";

/**
 * What a check answers: valid, or invalid with readable errors; `known: false` when there is no schema for the name.
 *
 * @example
 * ```ts
 * const result: CheckResult = checkClientRequestParams("thread/start", { model: 5 });
 * if (!result.ok) console.error(result.known ? result.errors.join("\n") : "no such method");
 * ```
 */
export type CheckResult = { ok: true } | { ok: false; known: boolean; errors: string[] };

/** A schema to compile for a name, and whether `undefined` (an omitted value) is accepted without a check. */
export interface SchemaEntry {
  readonly schema: TSchema;
  readonly optional: boolean;
}

interface Compiled {
  readonly optional: boolean;
  readonly validator: {
    Check(value: unknown): boolean;
    Errors(value: unknown): [boolean, ValidationError[]];
  };
}

const OK: CheckResult = Object.freeze({ ok: true });
const ERRORS_GATHERED = 64;

/**
 * Validators compiled on first use, one per name (a method or a definition), and kept. A valid value costs a
 * `Map` lookup and the compiled check; errors are gathered and described only when the check fails.
 */
export class LazyValidators {
  readonly #compiled = new Map<string, Compiled>();

  /**
   * @param what - what a name is, for the error of an unknown one (`"notification method"`).
   * @param lookup - the schema for a name, or `undefined` when there is none.
   */
  constructor(
    private readonly what: string,
    private readonly lookup: (name: string) => SchemaEntry | undefined,
  ) {}

  /** Checks `value` against the schema of `name`, compiling it the first time. */
  check(name: string, value: unknown): CheckResult {
    const compiled = this.#compiled.get(name) ?? this.#compile(name);
    if (compiled === undefined) return { ok: false, known: false, errors: [`unknown ${this.what} ${JSON.stringify(name)}`] };
    if ((value === undefined && compiled.optional) || compiled.validator.Check(value)) return OK;
    return { ok: false, known: true, errors: describe(compiled, value) };
  }

  /** How many validators have been compiled so far. */
  get size(): number {
    return this.#compiled.size;
  }

  #compile(name: string): Compiled | undefined {
    const entry = this.lookup(name);
    if (entry === undefined) return undefined;
    const compiled: Compiled = { optional: entry.optional, validator: Compile(entry.schema) };
    this.#compiled.set(name, compiled);
    return compiled;
  }
}

function describe(compiled: Compiled, value: unknown): string[] {
  const settings = Settings.Get();
  const maxErrors = settings.maxErrors;
  Settings.Set({ maxErrors: Math.max(maxErrors, ERRORS_GATHERED) });
  try {
    return describeErrors(compiled.validator.Errors(value)[1]);
  } finally {
    Settings.Set({ maxErrors });
  }
}
