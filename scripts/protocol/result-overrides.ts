/**
 * Client requests whose result is not named after their params (`XParams → XResponse`), mostly because they
 * take no params. Kept by hand from the `response:` entries of `client_request_definitions!` in
 * `codex-rs/app-server-protocol/src/protocol/common.rs` (openai/codex); the generator fails when an entry
 * is unused or names a missing definition, so a stale entry is noticed.
 */
export const RESULT_OVERRIDES: Readonly<Record<string, string>> = {
  "account/gatewayOAuth/cancel": "GatewayOAuthCancelResponse",
  "account/logout": "LogoutAccountResponse",
  "account/securitySetup/read": "GetAccountSecuritySetupResponse",
  "account/workspaceMessages/read": "GetWorkspaceMessagesResponse",
  "config/batchWrite": "ConfigWriteResponse",
  "config/mcpServer/reload": "McpServerRefreshResponse",
  "config/value/write": "ConfigWriteResponse",
  "configRequirements/read": "ConfigRequirementsReadResponse",
  "externalAgentConfig/import/readHistories": "ExternalAgentConfigImportHistoriesReadResponse",
  "modelProvider/default/set": "ConfigWriteResponse",
  "windowsSandbox/readiness": "WindowsSandboxReadinessResponse",
};

/**
 * Results of experimental client requests (the `--experimental` schema) that are not named after their params.
 * Each is the only `…Response` definition that fits the method's name, and each is confirmed by openai/codex's
 * public code (checked 2026-12-04): `memory/reset` and `remoteControl/status/read` by the response conversions of
 * `codex-rs/app-server/tests/common`, `accountSession/list` by the app-server's account-session tests (which
 * read its answer as `AccountSessionsResponse`), `rollout/compress` by its request processor. The generator
 * fails when one is unused or missing, as for {@link RESULT_OVERRIDES}.
 */
export const EXPERIMENTAL_RESULT_OVERRIDES: Readonly<Record<string, string>> = {
  "accountSession/list": "AccountSessionsResponse",
  "memory/reset": "MemoryResetResponse",
  "remoteControl/status/read": "RemoteControlStatusReadResponse",
  "rollout/compress": "RolloutCompressResponse",
};
