import { z } from "zod";
import { DEVICE_NAME, PROFILES } from "../reading/mod.ts";

/**
 * One model input as training saw it: its range, the standardisation the
 * ONNX graph applies and the weight on the standardised value.
 */
export const InputStatsSchema = z.object({
  min: z.number().meta({ description: "Least value in training (missing values aside)." }),
  max: z.number().meta({ description: "Greatest value in training." }),
  mean: z.number().meta({ description: "Training mean; also what a missing value is taken as." }),
  sd: z.number().positive().meta({ description: "Training standard deviation (1 if constant)." }),
  weight: z.number().meta({
    description: "Coefficient on (value - mean) / sd in the logit: its contribution per deviation.",
  }),
}).meta({ id: "ModelInputStats" });

export type InputStats = z.infer<typeof InputStatsSchema>;

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
  inputs: z.record(z.string(), InputStatsSchema).optional().meta({
    description:
      "Per feature: its range in training, mean, sd and weight. The consumer clips inputs to the range, scores a prediction whose inputs lay far outside at least as the plain rule, and orders reasons by each input's contribution to the logit. Models without it are refused: retrain them.",
  }),
  rule_floor_threshold: z.number().gt(0).max(1).optional().meta({
    description:
      "The plain rule's threshold held to the model's false-alert budget on its training data. When set, the model's score is never below the rule's mapped onto its own scale: it never warns later than that rule. Absent: no floor.",
  }),
  intercept: z.number().optional().meta({
    description:
      "The logit's constant: with `inputs`, the graph's logit is intercept + sum of contributions.",
  }),
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
