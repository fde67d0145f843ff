import type { InlineKeyboardMarkup } from "grammy/types";
import type { Alert } from "../store/records.ts";
import { isAlertId } from "../alerts/alert_id.ts";
import { alertKeyboard, parseAlertButton } from "../telegram/alert_buttons.ts";

/**
 * The buttons of an alert's message: verdict and mute on a stress alert (the
 * verdict labels the model's prediction), mute alone on the others
 * (under-voltage, offline, online, recovered: no prediction to judge). An
 * alert stored before ids became button keys (`isAlertId`) goes without
 * buttons: its id does not fit in a button.
 */
export function keyboardFor(alert: Alert): InlineKeyboardMarkup | undefined {
  if (!isAlertId(alert.id)) return undefined;
  const keyboard = alertKeyboard(alert.id);
  if (alert.kind === "stress") return keyboard;
  return {
    inline_keyboard: keyboard.inline_keyboard.map((row) =>
      row.filter((button) => {
        const parsed = "callback_data" in button ? parseAlertButton(button.callback_data) : null;
        return parsed?.ok === true && parsed.action === "mute_1h";
      })
    ),
  };
}
