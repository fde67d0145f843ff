import { createHash } from "node:crypto";

/**
 * Alert ids: every alert's `id` is the 22-character key of its natural id,
 * so an alert can travel in a Telegram button (64 bytes of callback data)
 * and the bot finds it back with `store.getAlert(id)`.
 *
 * The natural id says what the alert is about and is the same whenever the
 * same thing is decided again (a redelivered reading, a restarted consumer),
 * so the id is deterministic and the store's `saveAlert`, idempotent on the
 * id, keeps one alert:
 *
 * | kind            | natural id                                  |
 * | --------------- | ------------------------------------------- |
 * | `stress`        | `<device>-<reading uuid>`                   |
 * | `under_voltage` | `<device>-under_voltage-<reading uuid>`     |
 * | `offline`       | `<device>-offline-<time of last reading>`   |
 * | `online`        | `<device>-online-<time of last reading>`    |
 * | `recovered`     | `<device>-recovered-<time of its alert>`    |
 *
 * (times as ISO 8601 UTC with milliseconds). The key is the first 128 bits of
 * the natural id's SHA-256 in base64url: one length whatever the device name,
 * no collision in practice, never decoded back.
 */
export const ALERT_ID = /^[A-Za-z0-9_-]{22}$/;

/** The alert id for a natural id (see the table above). */
export function alertIdOf(naturalId: string): string {
  if (naturalId.length === 0) {
    throw new RangeError("Cannot make an alert id: the natural id is empty");
  }
  return createHash("sha256").update(naturalId).digest("base64url").slice(0, 22);
}

/** Whether `value` has the shape of an alert id (22 base64url characters). */
export function isAlertId(value: unknown): value is string {
  return typeof value === "string" && ALERT_ID.test(value);
}
