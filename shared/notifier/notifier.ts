import type { Alert } from "../store/records.ts";

/**
 * The Notifier port: tells the owner about an alert. Embedded: a log line
 * (the alert is also in the API's alert list). Real: Telegram.
 *
 * The consumer stores every alert before it notifies, so a notifier that
 * fails never loses one.
 */
export interface Notifier {
  notify(alert: Alert): Promise<void>;
}
