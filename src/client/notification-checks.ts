import type { Notification } from "../schema/index.js";
import type { Diagnose } from "./codex-events.js";
import { explainMisfit, loadOldestProtocolChecks, loadProtocolChecks, protocolChecks } from "./protocol-checks.js";
import { belowRangeMessage } from "./supported-range.js";

/**
 * Checks every server notification against its method's schema; one that fails it but fits the oldest
 * supported codex's schema is accepted (an older server's shape). A failure is a diagnostic
 * (`invalidNotification`, or `unknownNotification` for a method the pinned protocol does not know) naming the
 * method, the fields and the server's version, never a lost message. The schema checks load on first use: what
 * arrives before they are loaded is delivered at once and checked once they are. Also reports, once, a server
 * older than the supported range (`unsupportedServer`).
 */
export class NotificationChecks {
  readonly #diagnose: Diagnose;
  readonly #serverVersion: () => string | undefined;
  /** Notifications that arrived before the schema checks were loaded; `null` once they are. */
  #early: Notification[] | null = [];
  /** Whether the diagnostic for a server older than the supported range was given (once per client). */
  #reportedOldServer = false;

  constructor(diagnose: Diagnose, serverVersion: () => string | undefined = () => undefined) {
    this.#diagnose = diagnose;
    this.#serverVersion = serverVersion;
  }

  /** A server older than the supported range gets one diagnostic per client, and the client goes on. */
  checkServerVersion(serverVersion: string): void {
    if (this.#reportedOldServer) return;
    const message = belowRangeMessage(serverVersion);
    if (message === undefined) return;
    this.#reportedOldServer = true;
    this.#diagnose({ kind: "unsupportedServer", message, serverVersion });
  }

  /** Loads the schema checks, then checks what arrived before. */
  async load(): Promise<void> {
    await loadProtocolChecks();
    const early = this.#early ?? [];
    this.#early = null;
    for (const notification of early) this.#check(notification);
  }

  /** Checks one notification now, or once the checks are loaded. */
  check(notification: Notification): void {
    if (this.#early === null) this.#check(notification);
    else this.#early.push(notification);
  }

  #check(notification: Notification): void {
    const { method, params } = notification;
    // The checks compiled ahead of time say whether it fits; the TypeBox validators, loaded only for a misfit,
    // say why (so that diagnostic comes a little after the notification).
    if (protocolChecks()!.fitsServerNotification(method, params) === true) return;
    const olderShape = loadOldestProtocolChecks()
      .then((oldest) => oldest.checkOldestServerNotification(method, params).ok)
      .catch(() => false);
    void Promise.all([explainMisfit("checkServerNotification", method, params), olderShape]).then(
      ([check, olderShape]) => {
        if (olderShape || check.ok) return;
        const serverVersion = this.#serverVersion() ?? "unknown";
        this.#diagnose({
          kind: check.known ? "invalidNotification" : "unknownNotification",
          message: `${method} from codex ${serverVersion}: ${check.known ? check.errors.join("; ") : "not in the pinned protocol"}`,
          method,
          serverVersion,
        });
      },
    );
  }
}
