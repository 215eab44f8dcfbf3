import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LoginAttempt, type LoginServerGone, type LoginSession } from "../../src/client/login.js";
import { LoginFailedError, TransportClosedError } from "../../src/errors/index.js";
import type { AccountLoginCompletedNotification } from "../../src/schema/index.js";

// The orders the real app-server produces only sometimes (its completion before or after its answer to the
// cancel), and the ends of its connection, made certain with a session whose timing the test holds.

const FAILED: AccountLoginCompletedNotification = {
  loginId: "login-1",
  success: false,
  error: "Login was not completed",
};

function attemptWith(options: { cancelAnswer?: "canceled" | "notFound" } = {}) {
  const completion = Promise.withResolvers<AccountLoginCompletedNotification>();
  const gone = Promise.withResolvers<LoginServerGone>();
  const cancelAnswered = Promise.withResolvers<void>();
  const session: LoginSession = {
    request: async () => {
      await cancelAnswered.promise;
      return { status: options.cancelAnswer ?? "canceled" };
    },
    start: () => Promise.reject(new Error("not used")),
    onLoginCompleted: () => () => undefined,
  };
  const attempt = new LoginAttempt(session, "login-1", completion.promise, gone.promise);
  return { attempt, completion, gone, cancelAnswered };
}

const reasonOf = (expected: string) => (error: unknown) => {
  assert.ok(error instanceof LoginFailedError, String(error));
  assert.equal(error.reason, expected);
  return true;
};

describe("a login attempt's outcome", () => {
  it("a failed completion that arrives after cancel() is sent, before its answer, is the cancel's", async () => {
    const { attempt, completion, cancelAnswered } = attemptWith();
    const cancelling = attempt.cancel();
    completion.resolve(FAILED);
    await assert.rejects(attempt.wait({}), reasonOf("cancelled"));
    cancelAnswered.resolve();
    assert.deepEqual(await cancelling, { status: "canceled" });
    await assert.rejects(attempt.wait({}), reasonOf("cancelled"));
  });

  it("a failed completion before any cancel is a failure, whatever a later cancel answers", async () => {
    const { attempt, completion, cancelAnswered } = attemptWith({ cancelAnswer: "notFound" });
    completion.resolve(FAILED);
    await assert.rejects(attempt.wait({}), (error: unknown) => {
      assert.ok(error instanceof LoginFailedError);
      assert.equal(error.reason, "failed");
      assert.equal(error.serverMessage, "Login was not completed");
      return true;
    });
    cancelAnswered.resolve();
    assert.deepEqual(await attempt.cancel(), { status: "notFound" });
    await assert.rejects(attempt.wait({}), reasonOf("failed"));
  });

  it("its app-server lost: LoginFailedError (lost) with the connection's end as cause; closed by the client: TransportClosedError", async () => {
    const lost = attemptWith();
    const cause = TransportClosedError.from({ reason: "exited", exitCode: null, signal: "SIGKILL", stderrTail: "" });
    lost.gone.resolve({ closedByClient: false, error: cause });
    await assert.rejects(lost.attempt.wait({}), (error: unknown) => {
      assert.ok(error instanceof LoginFailedError);
      assert.equal(error.reason, "lost");
      assert.equal(error.cause, cause);
      assert.match(error.message, /lost with its app-server \(killed by SIGKILL/);
      return true;
    });

    const closed = attemptWith();
    closed.gone.resolve({ closedByClient: true, error: TransportClosedError.clientClosed("AsyncCodex") });
    await assert.rejects(
      closed.attempt.wait({}),
      (error: unknown) => error instanceof TransportClosedError && !(error instanceof LoginFailedError),
    );
  });

  it("a completion that came first wins over a later end of the app-server", async () => {
    const { attempt, completion, gone } = attemptWith();
    completion.resolve({ loginId: "login-1", success: true, error: null });
    await new Promise((resolve) => setImmediate(resolve));
    gone.resolve({ closedByClient: false, error: TransportClosedError.clientClosed("AsyncCodex") });
    assert.equal((await attempt.wait({})).success, true);
  });
});
