import { FEATURE_DEFAULTS, featureNames } from "../shared/scoring/features.ts";
import type { LogisticModel } from "../models/logistic_regression.ts";
import { exportOnnx } from "../models/onnx_export.ts";
import type { ModelMetadata } from "../shared/models/model_metadata.ts";
import { type ModelFiles, sha256Hex } from "../shared/models/model_registry.ts";
import type { Profile } from "../shared/reading/mod.ts";

/**
 * A small logistic model over a profile's features that rises as the
 * temperature nears the hot limit: p = 0.5 at `halfAtHeadroomC` below it
 * (`bias` shifts it, to tell versions apart).
 */
export function aLogisticModel(
  profile: Profile,
  options: { halfAtHeadroomC?: number } = {},
): LogisticModel {
  const names = featureNames(profile);
  const half = options.halfAtHeadroomC ?? 5;
  const weights = new Array(names.length).fill(0);
  weights[names.indexOf("temp_headroom_last")] = -1; // per °C (scale 1)
  return {
    mean: new Array(names.length).fill(0),
    scale: new Array(names.length).fill(1),
    weights,
    bias: half,
  };
}

/** The files of an exported model, as a registry would hand them out; override metadata fields. */
export async function aModelFiles(
  profile: Profile,
  options: {
    name?: string;
    model?: LogisticModel;
    metadata?: Partial<ModelMetadata>;
    onnx?: Uint8Array;
  } = {},
): Promise<ModelFiles> {
  const name = options.name ?? profile;
  const onnx = options.onnx ??
    exportOnnx(options.model ?? aLogisticModel(profile), { features: featureNames(profile), name });
  const hash = await sha256Hex(onnx);
  const metadata: ModelMetadata = {
    name,
    scope: name === profile ? "profile" : "device",
    profile,
    features: [...featureNames(profile)],
    window: FEATURE_DEFAULTS.window,
    interval_s: FEATURE_DEFAULTS.intervalS,
    horizon_s: 60,
    threshold: 0.5,
    training: {
      from: "2026-01-01T00:00:00.000Z",
      to: "2026-01-02T00:00:00.000Z",
      rows: 100,
      positives: 10,
      devices: ["sim-pc-1"],
    },
    metrics: {},
    created_at: "2026-01-03T00:00:00.000Z",
    onnx_sha256: hash,
    ...options.metadata,
  };
  return { ref: { name, version: hash }, onnx, metadata };
}
