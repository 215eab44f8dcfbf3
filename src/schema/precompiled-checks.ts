import { serverNotificationParams, serverRequestParams, serverRequestResults } from "./generated-checks.js";

/** One generated entry: whether an omitted value passes, and a function that makes the check. */
type Entry = readonly [optional: boolean, make: () => (value: unknown) => boolean];

/**
 * Checks compiled ahead of time (generated-checks.ts, from the TypeBox models, by `npm run generate`): no
 * TypeBox at run time and no compilation on first use. They answer only whether a value fits; what is wrong
 * with one that does not is for the TypeBox validators of validate.ts, which load only then.
 */
class PrecompiledTable {
  readonly #entries: Readonly<Record<string, Entry>>;
  readonly #made = new Map<string, (value: unknown) => boolean>();

  constructor(entries: object) {
    this.#entries = entries as Readonly<Record<string, Entry>>;
  }

  fits(name: string, value: unknown): boolean | undefined {
    let check = this.#made.get(name);
    if (check === undefined) {
      if (!Object.hasOwn(this.#entries, name)) return undefined;
      const [optional, make] = this.#entries[name]!;
      const compiled = make();
      check = optional ? (value) => value === undefined || compiled(value) : compiled;
      this.#made.set(name, check);
    }
    return check(value);
  }
}

const notifications = new PrecompiledTable(serverNotificationParams);
const requests = new PrecompiledTable(serverRequestParams);
const results = new PrecompiledTable(serverRequestResults);

/**
 * Whether a server notification's params fit its method's schema; `undefined` for a method not in the pinned
 * protocol. For the reasons of a misfit, ask `checkServerNotification` (validate.ts, TypeBox).
 */
export function fitsServerNotification(method: string, params: unknown): boolean | undefined {
  return notifications.fits(method, params);
}

/**
 * Whether a server request's params fit its method's schema; `undefined` for an unknown method.
 */
export function fitsServerRequest(method: string, params: unknown): boolean | undefined {
  return requests.fits(method, params);
}

/**
 * Whether an answer to a server request fits the method's result schema; `undefined` for an unknown method.
 */
export function fitsServerRequestResult(method: string, result: unknown): boolean | undefined {
  return results.fits(method, result);
}
