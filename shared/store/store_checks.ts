import { DEVICE_NAME } from "../reading/mod.ts";
import { ALL_DEVICES } from "./records.ts";
import { MAX_ALERT_STATE_BYTES } from "./store.ts";

/**
 * Argument checks shared by the adapters, so a bad argument gets the same
 * clear RangeError from each (`Cannot mute: 'until' must be ...`).
 */

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function checkDevice(action: string, device: string, options: { all?: boolean } = {}) {
  if (options.all && device === ALL_DEVICES) return;
  if (typeof device !== "string" || !DEVICE_NAME.test(device)) {
    throw new RangeError(
      `Cannot ${action}: 'device' must be 1-64 letters, digits, '.', '_' or '-'` +
        `${options.all ? ` (or '${ALL_DEVICES}')` : ""}, got '${String(device).slice(0, 80)}'`,
    );
  }
}

/** An ISO 8601 UTC time with milliseconds, as the records keep them. */
export function checkTime(action: string, name: string, value: string): number {
  const time = typeof value === "string" && ISO_TIME.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(time)) {
    throw new RangeError(
      `Cannot ${action}: '${name}' must be an ISO time like 2026-01-31T12:00:00.000Z, ` +
        `got '${String(value).slice(0, 80)}'`,
    );
  }
  return time;
}

export function checkChatId(action: string, chatId: number): void {
  if (!Number.isSafeInteger(chatId)) {
    throw new RangeError(`Cannot ${action}: 'chat_id' must be a whole number, got ${chatId}`);
  }
}

/** The JSON of one device's alert state, checked for type and size. */
export function alertStateJson(device: string, state: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(state);
  } catch (error) {
    throw new RangeError(
      `Cannot save: the alert state of '${device}' is not JSON (${(error as Error).message})`,
    );
  }
  if (json === undefined) {
    throw new RangeError(`Cannot save: the alert state of '${device}' is not JSON`);
  }
  const bytes = new TextEncoder().encode(json).length;
  if (bytes > MAX_ALERT_STATE_BYTES) {
    throw new RangeError(
      `Cannot save: the alert state of '${device}' is ${bytes} bytes of JSON, ` +
        `at most ${MAX_ALERT_STATE_BYTES} allowed`,
    );
  }
  return json;
}
