import * as errors from "../errors/index.js";

/** An error as it crosses the worker boundary: its class name, message, stack, own fields and cause. */
export interface WireError {
  readonly kind: "error";
  /** The class's `name` (`InvalidParamsError`, `TypeError`, `TimeoutError`…). */
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** Own enumerable fields (`code`, `data`, `rpcMessage`, `reason`, `turn`…), each made cloneable. */
  readonly fields: Readonly<Record<string, WireValue>>;
  readonly cause?: WireValue | undefined;
  /** Whether it was a `DOMException` (an `AbortSignal`'s `AbortError` or `TimeoutError`). */
  readonly domException: boolean;
}

/** A value that crosses the worker boundary: a cloneable value, or an error rebuilt on the other side. */
export type WireValue =
  | WireError
  | { readonly kind: "value"; readonly value: unknown }
  /** A list holding errors (e.g. `RestartsExhaustedError.causes`): each rebuilt on the other side. */
  | { readonly kind: "list"; readonly items: readonly WireValue[] };

type ErrorClass = abstract new (...args: never[]) => Error;

/** The classes an error is rebuilt as, by name: every error class of this library (read from its errors module, so a new class crosses without being listed here) and the built-in ones. */
const CLASSES: ReadonlyMap<string, ErrorClass> = new Map<string, ErrorClass>(
  (
    [
      ...Object.values(errors),
      Error,
      TypeError,
      RangeError,
      SyntaxError,
      ReferenceError,
      EvalError,
      URIError,
    ] as unknown[]
  )
    .filter(
      (value): value is ErrorClass =>
        value === Error || (typeof value === "function" && value.prototype instanceof Error),
    )
    .map((errorClass) => [errorClass.name, errorClass] as const),
);

const MAX_DEPTH = 4;

function cloneable(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return String(value);
  }
}

/**
 * Turns anything thrown into a {@link WireValue} that survives `postMessage`: errors keep their class name,
 * message, stack, own fields and cause (to a depth of 4); other values are cloned, or turned into text.
 */
export function toWire(thrown: unknown, depth = 0): WireValue {
  const isDomException = typeof DOMException !== "undefined" && thrown instanceof DOMException;
  if (!(thrown instanceof Error) && !isDomException) return { kind: "value", value: cloneable(thrown) };
  const error = thrown as Error;
  const fields: Record<string, WireValue> = {};
  if (depth < MAX_DEPTH) {
    for (const key of Object.keys(error)) {
      const value = (error as unknown as Record<string, unknown>)[key];
      fields[key] =
        value instanceof Error
          ? toWire(value, depth + 1)
          : Array.isArray(value) && value.some((item) => item instanceof Error)
            ? { kind: "list", items: value.map((item: unknown) => toWire(item, depth + 1)) }
            : { kind: "value", value: cloneable(value) };
    }
  }
  return {
    kind: "error",
    name: error.name,
    message: error.message,
    stack: error.stack,
    fields,
    cause: error.cause === undefined || depth >= MAX_DEPTH ? undefined : toWire(error.cause, depth + 1),
    domException: isDomException,
  };
}

/**
 * Rebuilds what {@link toWire} sent, on this side: an error of the same class (`instanceof` holds for this
 * library's errors and the built-in ones), with the same message, fields and cause; its stack is the
 * worker's, followed by `callerStack` (where the call was made).
 */
export function fromWire(wire: WireValue, callerStack?: string): unknown {
  if (wire.kind === "value") return wire.value;
  if (wire.kind === "list") return wire.items.map((item) => fromWire(item));
  if (wire.domException) {
    const error = new DOMException(wire.message, wire.name);
    if (wire.stack !== undefined)
      Object.defineProperty(error, "stack", {
        value: joinStacks(wire.stack, callerStack),
        configurable: true,
        writable: true,
      });
    return error;
  }
  const errorClass = CLASSES.get(wire.name) ?? Error;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- a class prototype is typed any
  const error = Object.create(errorClass.prototype) as Error;
  const hidden = (value: unknown): PropertyDescriptor => ({
    value,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  Object.defineProperty(error, "message", hidden(wire.message));
  Object.defineProperty(error, "stack", hidden(joinStacks(wire.stack, callerStack)));
  if (wire.cause !== undefined) Object.defineProperty(error, "cause", hidden(fromWire(wire.cause)));
  for (const [key, value] of Object.entries(wire.fields)) {
    Object.defineProperty(error, key, { value: fromWire(value), writable: true, configurable: true, enumerable: true });
  }
  if (errorClass === Error && wire.name !== "Error" && !Object.hasOwn(error, "name")) {
    Object.defineProperty(error, "name", hidden(wire.name));
  }
  return error;
}

function joinStacks(workerStack: string | undefined, callerStack: string | undefined): string | undefined {
  if (callerStack === undefined) return workerStack;
  const callerFrames = callerStack.split("\n").slice(1).join("\n");
  return `${workerStack ?? ""}\n    --- in the sync client's worker thread; called from: ---\n${callerFrames}`;
}
