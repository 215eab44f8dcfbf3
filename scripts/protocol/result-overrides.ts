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
  "windowsSandbox/readiness": "WindowsSandboxReadinessResponse",
};
