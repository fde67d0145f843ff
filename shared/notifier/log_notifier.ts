import type { Logger } from "../log.ts";
import type { Notifier } from "./notifier.ts";

export interface LogNotifierOptions {
  log: Logger;
}

/** The embedded Notifier: one warning line per alert (a message's lines joined with " | "). */
export function createLogNotifier(options: LogNotifierOptions): Notifier {
  return {
    notify(alert) {
      options.log.warn(`ALERT ${alert.message.replaceAll("\n", " | ")}`, {
        device: alert.device,
        ...(alert.probability !== null ? { probability: alert.probability.toFixed(2) } : {}),
        ...(alert.model !== null ? { model: alert.model } : {}),
      });
      return Promise.resolve();
    },
  };
}
