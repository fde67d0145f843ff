import { z } from "zod";
import { PROFILES } from "../reading/mod.ts";

/**
 * The JSON file published beside every ONNX model. The consumer refuses a
 * model whose metadata does not parse, or whose ONNX bytes do not hash to
 * `onnx_sha256`.
 */
export const ModelMetadataSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/)
    .meta({ description: "A profile (`pc`, `raspberry`) or a device name." }),
  scope: z.enum(["profile", "device"]),
  profile: z.enum(PROFILES),
  features: z.array(z.string()).min(1).meta({ description: "Feature names, in input order." }),
  window: z.number().int().min(1).meta({ description: "Readings per window." }),
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
  }),
  metrics: z.record(z.string(), z.number()),
  created_at: z.string(),
  onnx_sha256: z.string().regex(/^[0-9a-f]{64}$/),
}).meta({ id: "ModelMetadata" });

export type ModelMetadata = z.infer<typeof ModelMetadataSchema>;
