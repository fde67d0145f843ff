import type { InlineKeyboardMarkup } from "grammy/types";
import { DEVICE_NAME, DEVICE_NAME_RULE } from "../shared/reading/mod.ts";
import type { DeviceSummary } from "../shared/store/records.ts";
import type { Store } from "../shared/store/store.ts";
import { type DeviceButtonAction, deviceKeyboard } from "./device_buttons.ts";
import { echo } from "./message_text.ts";

/** The device a command names, or what to answer instead (with buttons to pick one). */
export type FoundDevice =
  | { ok: true; summary: DeviceSummary }
  | { ok: false; text: string; reply_markup?: InlineKeyboardMarkup };

/** Devices named in an answer about an unknown device, or offered as buttons. */
const SHOWN = 24;

/**
 * Finds the device a command's argument names, with the one rule for device
 * names. No argument: the only device when there is one, else the question
 * "which one?" with a button per device. A name that cannot be a device, or
 * one the store does not know, gets an answer that lists the devices there
 * are; the argument is echoed only in part.
 */
export async function findDevice(
  store: Pick<Store, "getDevice" | "listDevices">,
  argument: string,
  ask: { command: string; action: DeviceButtonAction },
): Promise<FoundDevice> {
  const name = argument.trim();
  if (name === "") {
    const page = await store.listDevices({ limit: SHOWN });
    if (page.items.length === 1 && page.next_cursor === null) {
      return { ok: true, summary: page.items[0]! };
    }
    if (page.items.length === 0) return { ok: false, text: NO_DEVICES };
    const names = page.items.map((d) => d.device);
    return {
      ok: false,
      text: `Which device? Send /${ask.command} <device>, or press one:\n${
        listed(names, page.next_cursor)
      }`,
      reply_markup: deviceKeyboard(names, ask.action),
    };
  }
  if (!DEVICE_NAME.test(name)) {
    return {
      ok: false,
      text: `'${echo(name)}' cannot be a device name: names are ${DEVICE_NAME_RULE}.`,
    };
  }
  const summary = await store.getDevice(name);
  if (summary) return { ok: true, summary };
  const page = await store.listDevices({ limit: SHOWN });
  if (page.items.length === 0) {
    return { ok: false, text: `I know no device '${name}'. ${NO_DEVICES}` };
  }
  const names = page.items.map((d) => d.device);
  return {
    ok: false,
    text: `I know no device '${name}'. Your devices: ${listed(names, page.next_cursor)}`,
    reply_markup: deviceKeyboard(names, ask.action),
  };
}

export const NO_DEVICES =
  "No device has sent a reading yet. Start the producer on a machine (see the README), " +
  "and it appears here within seconds.";

function listed(names: readonly string[], more: string | null): string {
  return `${names.join(", ")}${more ? ", … (/devices lists them all)" : ""}`;
}
