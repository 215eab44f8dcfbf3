/**
 * 22 · Login and account (the Python SDK's `login_api_key`, `login_chatgpt`, `account`, `logout`): log in with
 * an API key, read the account, log out; start a ChatGPT login, show its URL, and cancel it.
 *
 * Offline, the scripted model's provider says it needs OpenAI auth (`requires_openai_auth`), which is when codex
 * reports an account. The ChatGPT login works up to the URL (codex listens for the browser's callback on
 * 127.0.0.1:1455); the device-code login needs the network, so offline it fails at once.
 *
 * Run it with `npm run example -- 22`.
 */
import { AsyncCodex, InternalRpcError, LoginFailedError } from "../src/index.js";
import { startExampleRuntime } from "./offline/runtime.js";

await using runtime = await startExampleRuntime("22-login-and-account");
await using codex = new AsyncCodex(runtime.config);

console.log(`account before: ${JSON.stringify((await codex.account()).account ?? null)}`);
await codex.loginApiKey(runtime.live ? (process.env.OPENAI_API_KEY ?? "") : "sk-example-not-a-real-key");
console.log(`account after API key login: ${JSON.stringify((await codex.account()).account)}`);
await codex.logout();
console.log(`account after logout: ${JSON.stringify((await codex.account()).account ?? null)}`);

const login = await codex.loginChatgpt();
console.log(`open in a browser: ${new URL(login.authUrl).origin}${new URL(login.authUrl).pathname}`);
const waiting = login.wait({ timeoutMs: 60_000 });
waiting.catch(() => undefined);
console.log(`cancel: ${(await login.cancel()).status}`);
try {
  await waiting;
} catch (error) {
  if (!(error instanceof LoginFailedError)) throw error;
  console.log(`login ended: ${error.reason}`);
}

try {
  const device = await codex.loginChatgptDeviceCode();
  console.log(`enter ${device.userCode} at ${device.verificationUrl}`);
  await device.cancel();
} catch (error) {
  if (!(error instanceof InternalRpcError)) throw error;
  console.log(`device code: ${error.name} (${error.rpcMessage})`);
}
