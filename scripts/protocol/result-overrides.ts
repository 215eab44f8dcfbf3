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
 * Inferred as the only `…Response` definition that fits the method's name; the generator fails when one is
 * unused or missing, as for {@link RESULT_OVERRIDES}.
 */
export const EXPERIMENTAL_RESULT_OVERRIDES: Readonly<Record<string, string>> = {
  "accountSession/list": "AccountSessionsResponse",
  "memory/reset": "MemoryResetResponse",
  "remoteControl/status/read": "RemoteControlStatusReadResponse",
  "rollout/compress": "RolloutCompressResponse",
};
