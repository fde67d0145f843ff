import { z } from "zod";
import { DEVICE_NAME, PROFILES, ReadingSchema } from "../reading/mod.ts";

/**
 * What the system keeps besides readings: predictions, device summaries,
 * alerts, dead letters and owner feedback. API responses are documented from these schemas,
 * so each exists once.
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
}).meta({ id: "DeviceSummary" });

export const AlertSchema = z.object({
  id: z.string(),
  device: deviceName(),
  profile: z.enum(PROFILES),
  raised_at: isoTime(),
  timestamp: isoTime().meta({ description: "Time of the reading that raised it." }),
  reading_uuid: z.string(),
  probability: z.number().min(0).max(1),
  threshold: z.number().min(0).max(1),
  model: z.string(),
  reasons: z.array(z.string()),
  message: z.string().meta({ description: "What the owner is told." }),
  simulated: z.boolean().optional(),
}).meta({ id: "Alert" });

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

export type Prediction = z.infer<typeof PredictionSchema>;
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;
export type DeviceSummary = z.infer<typeof DeviceSummarySchema>;
export type Alert = z.infer<typeof AlertSchema>;
export type DeadLetter = z.infer<typeof DeadLetterSchema>;
export type Feedback = z.infer<typeof FeedbackSchema>;
