import { z } from "zod";
import { DEVICE_NAME, PROFILES } from "../reading/mod.ts";

/**
 * The JSON file published beside every ONNX model. The consumer refuses a
 * model whose metadata does not parse, or whose ONNX bytes do not hash to
 * `onnx_sha256`.
 */
export const ModelMetadataSchema = z.object({
  name: z.string().regex(DEVICE_NAME)
    .meta({ description: "A profile (`pc`, `raspberry`) or a device name." }),
  scope: z.enum(["profile", "device"]),
  profile: z.enum(PROFILES),
  features: z.array(z.string()).min(1).meta({ description: "Feature names, in input order." }),
  window: z.number().int().min(1).meta({ description: "Readings per window." }),
  interval_s: z.number().positive().optional().meta({
    description: "Seconds between readings the window assumes.",
  }),
  min_readings: z.number().int().min(1).optional().meta({
    description:
      "Fewest readings with a temperature a window needs; shorter ones are scored by the rule.",
  }),
  horizon_s: z.number().positive().meta({
    description: "How far ahead 'stressed soon' looks, seconds.",
  }),
  threshold: z.number().min(0).max(1),
  training: z.object({
    from: z.string(),
    to: z.string(),
    rows: z.number().int().min(0),
    positives: z.number().int().min(0),
    devices: z.array(z.string()),
    feedback_rows: z.number().int().min(0).optional().meta({
      description: "Windows labelled by the owner's feedback (weighted above derived labels).",
    }),
    split_at: z.string().optional().meta({
      description:
        "Validation metrics are on windows from this time on; the model was refitted on all.",
    }),
  }),
  metrics: z.record(z.string(), z.number()),
  created_at: z.string(),
  onnx_sha256: z.string().regex(/^[0-9a-f]{64}$/),
}).meta({ id: "ModelMetadata" });

export type ModelMetadata = z.infer<typeof ModelMetadataSchema>;
