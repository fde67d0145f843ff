import type { InlineKeyboardMarkup } from "grammy/types";
import { ALERT_ID, alertIdOf } from "../alerts/alert_id.ts";

/**
 * The buttons an alert message carries, and the callback data they send back:
 * defined once here, used by the consumer's Telegram notifier (which sends the
 * alert) and by the bot (which answers the press).
 *
 * Callback data is `alert:<action>:<alert id>`, at most 36 bytes:
 *
 * - `action` is `right`, `wrong` or `mute_1h`;
 * - the alert id itself: every alert's id is a 22-character key (see
 *   `shared/alerts/alert_id.ts`: the first 128 bits of the SHA-256 of its
 *   natural id, such as `<device>-<reading uuid>`, in base64url), so it fits
 *   Telegram's 64 bytes whatever the device name. The bot finds the alert
 *   with `store.getAlert(key)`.
 *
 * A later change of format gets a new prefix (`alert2:`), so buttons on old
 * messages are still recognised.
 */
export const ALERT_BUTTON_ACTIONS = ["right", "wrong", "mute_1h"] as const;
export type AlertButtonAction = typeof ALERT_BUTTON_ACTIONS[number];

/** How long "🔕 1 h" mutes the alert's device, ms. */
export const MUTE_BUTTON_MS = 60 * 60_000;

/** Telegram's limit on a button's callback data, in bytes (UTF-8). */
export const CALLBACK_DATA_MAX_BYTES = 64;

const PREFIX = "alert";
const utf8 = new TextEncoder();

const LABELS: Record<AlertButtonAction, string> = {
  right: "✅ right",
  wrong: "❌ wrong",
  mute_1h: "🔕 1 h",
};

/**
 * The 22-character key of a natural id (`<device>-<reading uuid>`, ...): what
 * every alert's `id` is (the same function as `alertIdOf()`), so a button
 * carries the id itself.
 */
export function alertButtonKey(naturalId: string): string {
  return alertIdOf(naturalId);
}

/** The callback data of one alert button; `alertId` is the alert's `id` (a 22-character key). */
export function alertButtonData(action: AlertButtonAction, alertId: string): string {
  if (!ALERT_ID.test(alertId)) {
    throw new RangeError(
      `Cannot make alert button data: 'alertId' must be an alert id (22 base64url characters, ` +
        `see alertIdOf()), got '${alertId.slice(0, 80)}'`,
    );
  }
  if (!ALERT_BUTTON_ACTIONS.includes(action)) {
    throw new RangeError(
      `Cannot make alert button data: 'action' must be one of ${
        ALERT_BUTTON_ACTIONS.join(", ")
      }, got '${action}'`,
    );
  }
  return `${PREFIX}:${action}:${alertId}`;
}

export interface AlertKeyboardOptions {
  /** The owner's answer so far: its button is marked «…», so a second press visibly changes it. */
  verdict?: "right" | "wrong";
}

/** The inline keyboard of an alert message: "✅ right", "❌ wrong", "🔕 1 h" in one row. */
export function alertKeyboard(
  alertId: string,
  options: AlertKeyboardOptions = {},
): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      ALERT_BUTTON_ACTIONS.map((action) => ({
        text: action === options.verdict ? `«${LABELS[action]}»` : LABELS[action],
        callback_data: alertButtonData(action, alertId),
      })),
    ],
  };
}

/**
 * What a press on an alert button asks for, or why the data is not one.
 * `key` is the alert's id: `store.getAlert(key)` finds it.
 */
export type ParsedAlertButton =
  | { ok: true; action: AlertButtonAction; key: string }
  | { ok: false; reason: string };

/**
 * Reads the callback data of a pressed button. Never throws: data from
 * Telegram is user input (an old message, another button of the bot, a forged
 * query), so anything that is not an alert button gets `ok: false` with a
 * reason for the log.
 */
export function parseAlertButton(data: unknown): ParsedAlertButton {
  if (typeof data !== "string") return { ok: false, reason: "no callback data" };
  if (utf8.encode(data).length > CALLBACK_DATA_MAX_BYTES) {
    return { ok: false, reason: `callback data longer than ${CALLBACK_DATA_MAX_BYTES} bytes` };
  }
  const parts = data.split(":");
  if (parts.length !== 3 || parts[0] !== PREFIX) {
    return { ok: false, reason: `not an alert button: '${data}'` };
  }
  const [, action, key] = parts;
  if (!isAction(action)) {
    return { ok: false, reason: `unknown alert button action '${action}'` };
  }
  if (!ALERT_ID.test(key)) return { ok: false, reason: `malformed alert key '${key}'` };
  return { ok: true, action, key };
}

function isAction(value: string): value is AlertButtonAction {
  return (ALERT_BUTTON_ACTIONS as readonly string[]).includes(value);
}
