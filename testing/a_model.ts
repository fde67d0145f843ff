import { FEATURE_DEFAULTS, featureNames } from "../shared/scoring/features.ts";
import type { LogisticModel } from "../models/logistic_regression.ts";
import { exportOnnx } from "../models/onnx_export.ts";
import { inputStatsOf } from "../models/input_stats.ts";
import type { ModelMetadata } from "../shared/models/model_metadata.ts";
import { type ModelFiles, sha256Hex } from "../shared/models/model_registry.ts";
import type { Profile } from "../shared/reading/mod.ts";

/**
 * A small logistic model over a profile's features that rises as the
 * temperature nears the hot limit: p = 0.5 at `halfAtHeadroomC` below it
 * (`bias` shifts it, to tell versions apart). `weights` adds weights per
 * feature name (on the raw value: mean 0, sd 1), `ranges` gives features a
 * training range ([min, max]); the others have none (never clipped).
 */
export function aLogisticModel(
  profile: Profile,
  options: {
    halfAtHeadroomC?: number;
    weights?: Record<string, number>;
    ranges?: Record<string, [number, number]>;
  } = {},
): LogisticModel {
  const names = featureNames(profile);
  const half = options.halfAtHeadroomC ?? 5;
  const index = (name: string) => {
    const at = names.indexOf(name);
    if (at === -1) throw new RangeError(`aLogisticModel: no feature '${name}' in ${profile}`);
    return at;
  };
  const weights = new Array(names.length).fill(0);
  weights[index("temp_headroom_recent")] = -1; // per °C (scale 1)
  for (const [name, w] of Object.entries(options.weights ?? {})) weights[index(name)] = w;
  const min = new Array(names.length).fill(-WIDE);
  const max = new Array(names.length).fill(WIDE);
  for (const [name, [lo, hi]] of Object.entries(options.ranges ?? {})) {
    min[index(name)] = lo;
    max[index(name)] = hi;
  }
  return {
    mean: new Array(names.length).fill(0),
    scale: new Array(names.length).fill(1),
    weights,
    bias: half,
    min,
    max,
  };
}

/** A range wider than any feature's: never clips. */
const WIDE = 1e9;

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
  const model = options.model ?? aLogisticModel(profile);
  const onnx = options.onnx ?? exportOnnx(model, { features: featureNames(profile), name });
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
    inputs: inputStatsOf(model, featureNames(profile)),
    intercept: model.bias,
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
