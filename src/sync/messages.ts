import type { ClientDiagnostic } from "../client/client-diagnostic.js";
import type { ServerRequest, ServerRequestAnswer } from "../client/server-request.js";
import type { OperationName } from "./operations.js";
import type { WireConfig } from "./wire-config.js";
import type { WireValue } from "./wire-error.js";

/** A server request as handed to the caller's thread: everything but its signal, which cannot cross. */
export type WireServerRequest = Omit<ServerRequest, "signal">;

/** What the caller's approval handler decided, sent back to the worker. */
export type WireAnswer =
  /** The handler returned `undefined` (or there is none): the fail-closed default. */
  | { readonly kind: "default" }
  | { readonly kind: "answer"; readonly value: ServerRequestAnswer }
  /** The handler threw, returned a Promise, or an answer that cannot be sent: declined, and reported. */
  | { readonly kind: "failed"; readonly error: WireValue };

/** One call from the caller's thread to the worker. Every call is answered within the wait slice. */
export type BridgeRequest =
  | { readonly kind: "open"; readonly config: WireConfig }
  | {
      readonly kind: "invoke";
      readonly clientId: number;
      readonly name: OperationName;
      /** The operation's arguments after the host (see `OperationArgs`). */
      readonly args: readonly unknown[];
      /** Turns whose handles the caller no longer holds: the worker forgets them. */
      readonly releasedTurns?: readonly string[] | undefined;
    }
  | {
      readonly kind: "poll";
      readonly opId: number;
      /** The answer to the server request the previous call handed over. */
      readonly answer?: { readonly key: number; readonly answer: WireAnswer } | undefined;
    }
  | { readonly kind: "cancel"; readonly opId: number };

/** How an operation stands when a call returns. */
export type Outcome =
  | { readonly kind: "value"; readonly value: unknown }
  | { readonly kind: "error"; readonly error: WireValue }
  /** Not settled within the slice: poll again. */
  | { readonly kind: "waiting"; readonly opId: number }
  /** A server request waits for the caller's approval handler; answer it with the next poll. */
  | {
      readonly kind: "serverRequest";
      readonly opId: number;
      readonly key: number;
      readonly request: WireServerRequest;
    };

/** What happened to a client since its last call, besides the outcome. */
export interface ClientNews {
  readonly diagnostics?: readonly WireDiagnostic[] | undefined;
  /** Restart events (`restarting`, `restarted`, `threadResumed`, `turnLost`), errors made cloneable. */
  readonly restartEvents?: readonly WireRestartEvent[] | undefined;
  /** App-server processes of this client that were started (the first, and one per restart). */
  readonly startedPids?: readonly number[] | undefined;
  /** App-server processes of this client that have exited. */
  readonly exitedPids?: readonly number[] | undefined;
}

/** A restart event as it crosses: its name, and its data with every error made cloneable. */
export interface WireRestartEvent {
  readonly name: "restarting" | "restarted" | "threadResumed" | "turnLost";
  readonly data: WireValue;
}

/** A diagnostic as it crosses: its `error` made cloneable. */
export type WireDiagnostic = ClientDiagnostic extends infer D
  ? D extends ClientDiagnostic
    ? Omit<D, "error"> & { readonly error?: WireValue | undefined }
    : never
  : never;

/** The worker's answer to a {@link BridgeRequest}. */
export interface BridgeResponse {
  readonly outcome: Outcome;
  readonly news?: ClientNews | undefined;
}
