import { z } from "zod";
import { DEVICE_NAME, PROFILES, ReadingSchema } from "../reading/mod.ts";

/**
 * What the system keeps besides readings: predictions, device summaries,
 * alerts and their delivery, dead letters, owner feedback, paired chats and
 * their subscriptions. API responses are documented from these schemas, so
 * each exists once.
 */
const isoTime = () => z.iso.datetime({ precision: 3 });
const deviceName = () => z.string().regex(DEVICE_NAME);

export const PredictionSchema = z.object({
  device: deviceName(),
  reading_uuid: z.string(),
  timestamp: isoTime().meta({ description: "Time of the reading the prediction is for." }),
  scored_at: isoTime().meta({ description: "When the consumer scored it." }),
  probability: z.number().min(0).max(1)
    .meta({ description: "Probability that the device is stressed within the horizon." }),
  threshold: z.number().min(0).max(1).meta({
    description: "Probability at which an alert is raised.",
  }),
  stressed_soon: z.boolean().meta({ description: "probability >= threshold." }),
  stressed_now: z.boolean().meta({
    description: "The reading itself is stressed (see models/README.md).",
  }),
  model: z.string().meta({
    description: "What scored it: `rule/v1`, or a model name and version.",
  }),
  reasons: z.array(z.string()).meta({
    description: "Plain-language reasons, most important first.",
  }),
  simulated: z.boolean().optional(),
}).meta({ id: "Prediction" });

export const DeviceStatusSchema = z.object({
  prediction: PredictionSchema,
  reading: ReadingSchema,
}).meta({ id: "DeviceStatus" });

/** How many of a device's newest gaps between readings its summary keeps. */
export const RECENT_GAPS = 8;

export const DeviceSummarySchema = z.object({
  device: deviceName(),
  profile: z.enum(PROFILES),
  simulated: z.boolean().optional(),
  first_seen: isoTime(),
  last_seen: isoTime().meta({ description: "Time of the newest reading stored." }),
  readings: z.number().int().min(0).meta({ description: "Readings stored." }),
  latest: z.object({
    timestamp: isoTime(),
    probability: z.number(),
    stressed_soon: z.boolean(),
    stressed_now: z.boolean(),
    model: z.string(),
  }).nullable().meta({ description: "The newest prediction, null before the first one." }),
  recent_gaps_s: z.array(z.number().min(0)).max(RECENT_GAPS).meta({
    description:
      `Seconds between the device's newest readings (up to ${RECENT_GAPS}, oldest first): ` +
      "its median is the device's sampling interval, which tells when it went silent.",
  }),
  muted_until: isoTime().nullable().meta({
    description: "Alerts of the device are stored but not sent until this time; null: not muted.",
  }),
  decommissioned_at: isoTime().nullable().meta({
    description: "When the owner retired the device (no offline alerts; its data stays until " +
      "it expires). A reading taken after it brings the device back.",
  }),
}).meta({ id: "DeviceSummary" });

export const ALERT_KINDS = ["stress", "under_voltage", "offline", "online", "recovered"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * Where an alert is on its way to the owner: `pending` (stored, not yet sent
 * to every subscribed chat), `sent`, `failed` (gave up after retries) or
 * `muted` (the device was muted: stored, never sent).
 */
export const DELIVERY_STATES = ["pending", "sent", "failed", "muted"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** A Telegram chat id: a whole number (negative for groups). */
export const chatId = () => z.number().int();

export const AlertDeliverySchema = z.object({
  chat_id: chatId(),
  message_id: z.number().int().meta({ description: "Telegram's id of the message sent." }),
  sent_at: isoTime(),
}).meta({ id: "AlertDelivery" });

export const AlertSchema = z.object({
  id: z.string().min(1).max(200),
  device: deviceName(),
  profile: z.enum(PROFILES),
  kind: z.enum(ALERT_KINDS).meta({
    description: "stress: the model expects stress; under_voltage: the power supply is too " +
      "weak now; offline / online: the device went silent / came back; recovered: a stress " +
      "episode ended.",
  }),
  raised_at: isoTime(),
  timestamp: isoTime().meta({
    description: "Time of the reading that raised it (offline: the last reading before the " +
      "silence).",
  }),
  reading_uuid: z.string().nullable().meta({ description: "The reading that raised it, if one." }),
  probability: z.number().min(0).max(1).nullable()
    .meta({ description: "The model's probability; null for alerts the model did not raise." }),
  threshold: z.number().min(0).max(1).nullable(),
  model: z.string().nullable(),
  reasons: z.array(z.string()),
  message: z.string().meta({ description: "What the owner is told." }),
  simulated: z.boolean().optional(),
  state: z.enum(DELIVERY_STATES),
  deliveries: z.array(AlertDeliverySchema).meta({
    description: "The message sent to each chat, so the bot can edit it when the owner answers.",
  }),
  attempts: z.number().int().min(0).meta({ description: "Delivery attempts that failed." }),
  last_error: z.string().nullable().meta({ description: "Why the last attempt failed." }),
}).meta({ id: "Alert" });

/**
 * An alert as the consumer raises it: the store adds the delivery bookkeeping
 * (`pending`, or `muted` when the caller says so; no deliveries, no attempts).
 */
export type NewAlert =
  & Omit<Alert, "state" | "deliveries" | "attempts" | "last_error">
  & { state?: "pending" | "muted" };

export const DeadLetterSchema = z.object({
  id: z.string(),
  received_at: isoTime(),
  topic: z.string(),
  partition: z.number().int().nullable(),
  offset: z.string().nullable(),
  key: z.string().nullable(),
  error: z.string(),
  value_base64: z.string().meta({ description: "The original bytes, base64." }),
}).meta({ id: "DeadLetter" });

export const FeedbackSchema = z.object({
  alert_id: z.string().min(1).max(200).meta({ description: "The alert the owner answered." }),
  device: deviceName(),
  timestamp: isoTime().meta({ description: "Time of the reading the alert was raised for." }),
  verdict: z.enum(["right", "wrong"]).meta({
    description: "right: it was about to be stressed; wrong: it was not (or it did not matter).",
  }),
  given_at: isoTime().meta({ description: "When the owner answered." }),
}).meta({ id: "Feedback" });

export const ChatSchema = z.object({
  chat_id: chatId(),
  paired_at: isoTime().meta({ description: "When the chat paired with the bot." }),
  name: z.string().max(200).nullable().meta({
    description: "The chat's title or the user's name, for lists; null when unknown.",
  }),
}).meta({ id: "Chat" });

/** Subscribing to this name means every device, new ones included. */
export const ALL_DEVICES = "*";

export type Prediction = z.infer<typeof PredictionSchema>;
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;
export type DeviceSummary = z.infer<typeof DeviceSummarySchema>;
export type Alert = z.infer<typeof AlertSchema>;
export type DeadLetter = z.infer<typeof DeadLetterSchema>;
export type Feedback = z.infer<typeof FeedbackSchema>;
export type AlertDelivery = z.infer<typeof AlertDeliverySchema>;
export type Chat = z.infer<typeof ChatSchema>;
