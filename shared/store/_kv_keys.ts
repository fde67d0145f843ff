import type { Reading } from "../reading/mod.ts";
import type { Prediction } from "./records.ts";
import type { ScoredReading } from "./store.ts";

/** The keys of each kind of record in the Deno KV store. */
export const key = {
  /** A reading and its prediction, as a {@linkcode StoredReading}. */
  reading: (device: string, time: number, uuid: string) => ["readings", device, time, uuid],
  readings: (device: string) => ["readings", device],
  device: (device: string) => ["devices", device],
  devices: () => ["devices"],
  alert: (id: string) => ["alerts_by_id", id],
  alertByTime: (time: number, id: string) => ["alerts", time, id],
  alerts: () => ["alerts"],
  deviceAlert: (device: string, time: number, id: string) => ["alerts_by_device", device, time, id],
  deviceAlerts: (device: string) => ["alerts_by_device", device],
  pendingAlert: (time: number, id: string) => ["alerts_pending", time, id],
  pendingAlerts: () => ["alerts_pending"],
  alertState: (device: string) => ["alert_states", device],
  deadLetter: (time: number, id: string) => ["dead_letters", time, id],
  deadLetters: () => ["dead_letters"],
  feedback: (time: number, alertId: string) => ["feedback", time, alertId],
  feedbacks: () => ["feedback"],
  deviceFeedback: (device: string, time: number, alertId: string) => [
    "feedback_by_device",
    device,
    time,
    alertId,
  ],
  deviceFeedbacks: (device: string) => ["feedback_by_device", device],
  /** Where an alert's feedback is filed, so a second verdict replaces the first. */
  alertFeedback: (alertId: string) => ["feedback_by_alert", alertId],
  chat: (chatId: number) => ["chats", chatId],
  subscriber: (device: string, chatId: number) => ["subscribers", device, chatId],
  subscribers: (device: string) => ["subscribers", device],
  subscription: (chatId: number, device: string) => ["subscriptions", chatId, device],
  subscriptions: (chatId: number) => ["subscriptions", chatId],
} satisfies Record<string, (...args: never[]) => Deno.KvKey>;

/** What one reading key holds: the reading and the prediction made for it. */
export interface StoredReading {
  reading: Reading;
  prediction: Prediction;
}

/** A reading with its parsed time, so the time is parsed once per save. */
export interface Timed {
  item: ScoredReading;
  time: number;
}

export function readingKeyOf({ item, time }: Timed): Deno.KvKey {
  return key.reading(item.reading.device, time, item.reading.uuid);
}
