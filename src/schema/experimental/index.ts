/**
 * The experimental protocol (`codex-app-server/protocol/experimental`): the types, TypeBox schemas and method
 * tables of the `codex app-server generate-json-schema --experimental` bundle of the pinned codex — the stable
 * protocol plus the methods and fields the server accepts only from a client that asked for the
 * `experimentalApi` capability — and {@link experimentalRequests}, which types a client's `request()` by it.
 * Definitions identical to the stable ones are the very same values as in `codex-app-server/protocol`.
 *
 * @example
 * ```ts
 * import { AsyncCodex } from "codex-app-server";
 * import { experimentalRequests, type ClientRequestResult } from "codex-app-server/protocol/experimental";
 *
 * await using codex = new AsyncCodex({ experimentalApi: true });
 * const modes: ClientRequestResult<"collaborationMode/list"> = await experimentalRequests(codex).request("collaborationMode/list", {});
 * ```
 *
 * @module codex-app-server/protocol/experimental
 */
export * from "./generated.js";
export * from "./generated-methods.js";
export { experimentalRequests, type Answer, type ExperimentalRequests, type RequestOptionsOf, type RequestSender } from "./typed-requests.js";
