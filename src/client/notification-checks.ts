import type { Notification } from "../schema/index.js";
import type { Diagnose } from "./codex-events.js";
import { loadProtocolChecks, protocolChecks } from "./protocol-checks.js";

/**
 * Checks every server notification against its method's schema; a failure is a diagnostic
 * (`invalidNotification`, or `unknownNotification` for a method the pinned protocol does not know), never a
 * lost message. The schema checks load on first use: what arrives before they are loaded is delivered at once
 * and checked once they are.
 */
export class NotificationChecks {
  readonly #diagnose: Diagnose;
  /** Notifications that arrived before the schema checks were loaded; `null` once they are. */
  #early: Notification[] | null = [];

  constructor(diagnose: Diagnose) {
    this.#diagnose = diagnose;
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
    const check = protocolChecks()!.checkServerNotification(notification.method, notification.params);
    if (check.ok) return;
    this.#diagnose({
      kind: check.known ? "invalidNotification" : "unknownNotification",
      message: `${notification.method}: ${check.known ? check.errors.join("; ") : "not in the pinned protocol"}`,
      method: notification.method,
    });
  }
}
