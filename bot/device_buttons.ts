import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { DEVICE_NAME } from "../shared/reading/mod.ts";

/**
 * Buttons that name a device (the device list of `/start` and `/devices`,
 * "which device?" questions): callback data `d<action>:<device>`, where the
 * action is `l` (latest readings), `s` (status) or `c` (chart of the last
 * hour). Telegram allows 64 bytes of callback data, so a device whose name
 * is longer than 61 characters gets no button; its name is still in the
 * message text, and commands take it.
 */
export const DEVICE_BUTTON_ACTIONS = { latest: "l", status: "s", chart: "c" } as const;
export type DeviceButtonAction = keyof typeof DEVICE_BUTTON_ACTIONS;

const CALLBACK_DATA_MAX_BYTES = 64;
const DATA = /^d([lsc]):(.+)$/;

/** The callback data of a device button, or null when the name is too long for one. */
export function deviceButtonData(action: DeviceButtonAction, device: string): string | null {
  const data = `d${DEVICE_BUTTON_ACTIONS[action]}:${device}`;
  return data.length <= CALLBACK_DATA_MAX_BYTES ? data : null;
}

/** What a device button asks for, or null when the data is not a device button's. */
export function parseDeviceButton(
  data: unknown,
): { action: DeviceButtonAction; device: string } | null {
  if (typeof data !== "string") return null;
  const match = DATA.exec(data);
  if (!match || !DEVICE_NAME.test(match[2]!)) return null;
  const action = (Object.keys(DEVICE_BUTTON_ACTIONS) as DeviceButtonAction[])
    .find((a) => DEVICE_BUTTON_ACTIONS[a] === match[1]);
  return action ? { action, device: match[2]! } : null;
}

/** One button per device (`label` gives its text), three to a row; devices without a button are left out. */
export function deviceKeyboard(
  devices: readonly string[],
  action: DeviceButtonAction,
  label: (device: string) => string = (device) => device,
): InlineKeyboardMarkup {
  const buttons: InlineKeyboardButton[] = devices.flatMap((device) => {
    const data = deviceButtonData(action, device);
    return data ? [{ text: label(device), callback_data: data }] : [];
  });
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += 3) rows.push(buttons.slice(i, i + 3));
  return { inline_keyboard: rows };
}
