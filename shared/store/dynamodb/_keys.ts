import type { AttributeValue } from "@aws-sdk/client-dynamodb";

/**
 * The keys of each kind of item in the store's table. Times in sort keys
 * are ISO 8601 UTC with milliseconds (`2026-01-31T12:00:05.000Z`), which
 * sort as the times do and read well in the console.
 */

type Key = Record<string, AttributeValue>;
const s = (value: string): AttributeValue => ({ S: value });

/** Years 0000 to 9999, the times an ISO stamp of four-digit years can hold. */
const MIN_TIME = -62_167_219_200_000;
const MAX_TIME = 253_402_300_799_999;

/** A time (ms) as a sort-key prefix; times out of range are clamped. */
export function timeKey(ms: number): string {
  return new Date(Math.min(MAX_TIME, Math.max(MIN_TIME, Math.trunc(ms)))).toISOString();
}

/** `<time>#<id>`: the sort key of an item listed by time. */
export const timeId = (ms: number, id: string) => `${timeKey(ms)}#${id}`;

export const DEVICES = "DEVICES";
export const ALERTS = "ALERTS";
export const FEEDBACK = "FEEDBACK";
export const PENDING = "PENDING";
export const DEAD_LETTERS = "DEAD_LETTERS";

export const keys = {
  reading: (device: string, ms: number, uuid: string): Key => ({
    pk: s(`R#${device}`),
    sk: s(timeId(ms, uuid)),
  }),
  readingsOf: (device: string) => `R#${device}`,
  summary: (device: string): Key => ({ pk: s(`D#${device}`), sk: s("SUMMARY") }),
  owner: (device: string): Key => ({ pk: s(`D#${device}`), sk: s("OWNER") }),
  deviceOf: (device: string) => `D#${device}`,
  alertState: (device: string): Key => ({ pk: s(`D#${device}`), sk: s("ALERT_STATE") }),
  alert: (id: string): Key => ({ pk: s(`A#${id}`), sk: s("ALERT") }),
  alertsOf: (device: string) => `ALERTS#${device}`,
  feedback: (alertId: string): Key => ({ pk: s(`F#${alertId}`), sk: s("FEEDBACK") }),
  feedbackOf: (device: string) => `FEEDBACK#${device}`,
  deadLetter: (ms: number, id: string): Key => ({ pk: s(DEAD_LETTERS), sk: s(timeId(ms, id)) }),
  chat: (chatId: number): Key => ({ pk: s(`C#${chatId}`), sk: s("CHAT") }),
  chatOf: (chatId: number) => `C#${chatId}`,
  subscription: (chatId: number, device: string): Key => ({
    pk: s(`C#${chatId}`),
    sk: s(`SUB#${device}`),
  }),
  subscribersOf: (device: string) => `SUBSCRIBERS#${device}`,
  ping: (): Key => ({ pk: s("PING"), sk: s("PING") }),
};

/** `g1sk` of a device's items in the device list: its name, then S (summary) or O (owner). */
export const deviceListKey = (device: string, part: "S" | "O") => `${device}#${part}`;
