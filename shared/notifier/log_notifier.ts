import type { Logger } from "../log.ts";
import type { Store } from "../store/store.ts";
import type { Notifier } from "./notifier.ts";

export interface LogNotifierOptions {
  log: Logger;
  /**
   * When given, a pending alert is marked `sent` once logged: the log is
   * where it goes, so it does not wait in the outbox (and a Telegram bot set
   * up later does not send a backlog of old alerts).
   */
  store?: Store;
}

/** The embedded Notifier: one warning line per alert (a message's lines joined with " | "). */
export function createLogNotifier(options: LogNotifierOptions): Notifier {
  const { log, store } = options;
  return {
    async notify(alert) {
      if (alert.state === "muted") {
        log.info("alert held back: its device is muted", { alert: alert.id, device: alert.device });
        return;
      }
      log.warn(`ALERT ${alert.message.replaceAll("\n", " | ")}`, {
        device: alert.device,
        ...(alert.probability !== null ? { probability: alert.probability.toFixed(2) } : {}),
        ...(alert.model !== null ? { model: alert.model } : {}),
      });
      if (store && alert.state === "pending") {
        await store.updateAlertDelivery(alert.id, { state: "sent" });
      }
    },
  };
}
