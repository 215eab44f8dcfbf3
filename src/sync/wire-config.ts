import type { AppServerConfig } from "../client/config.js";
import type { CodexConfig } from "./config.js";

/** What the worker needs to start a client: the data options, the caller's environment, and what to forward. */
export interface WireConfig {
  /** The config's data options (no functions). */
  readonly options: Omit<AppServerConfig, "approvalHandler" | "transport" | "trace" | "inspect" | "onStderr">;
  /** The caller's `process.env` when the client was created (the worker's copy is older, and differs). */
  readonly callerEnv: Readonly<Record<string, string | undefined>>;
  /** Whether the caller has a client-wide approval handler: server requests go to it. */
  readonly forwardServerRequests: boolean;
}

/**
 * The cloneable part of a {@link CodexConfig}, for the worker.
 */
export function toWireConfig(config: CodexConfig): WireConfig {
  const { approvalHandler, ...options } = config;
  return {
    options,
    callerEnv: { ...process.env },
    forwardServerRequests: approvalHandler !== undefined,
  };
}

/**
 * The environment to start the app-server with, seen from the worker: the caller's environment with the
 * config's `env` over it, and every variable only the worker has (synckit's `NODE_OPTIONS`) removed.
 */
export function workerSideEnv(wire: WireConfig): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const key of Object.keys(process.env)) if (!(key in wire.callerEnv)) env[key] = undefined;
  return { ...env, ...wire.callerEnv, ...wire.options.env };
}
