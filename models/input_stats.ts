import type { InputStats } from "../shared/models/model_metadata.ts";
import type { LogisticModel } from "./logistic_regression.ts";

/**
 * A logistic model's per-feature statistics as its metadata keeps them
 * (`inputs`: range, mean, sd, weight, by feature name), for the consumer to
 * clip inputs to the training range and explain predictions. A model without
 * a range (fitted before ranges were kept) gets the widest float32 range.
 */
export function inputStatsOf(
  model: LogisticModel,
  names: readonly string[],
): Record<string, InputStats> {
  if (names.length !== model.weights.length) {
    throw new RangeError(
      `Cannot describe inputs: ${names.length} feature names for ${model.weights.length} weights`,
    );
  }
  return Object.fromEntries(names.map((name, j) => [name, {
    min: model.min?.[j] ?? -FLOAT32_MAX,
    max: model.max?.[j] ?? FLOAT32_MAX,
    mean: model.mean[j]!,
    sd: model.scale[j]!,
    weight: model.weights[j]!,
  }]));
}

/** The same, in feature order, for a scorer. */
export function inputStatsList(model: LogisticModel): InputStats[] {
  return model.weights.map((weight, j) => ({
    min: model.min?.[j] ?? -FLOAT32_MAX,
    max: model.max?.[j] ?? FLOAT32_MAX,
    mean: model.mean[j]!,
    sd: model.scale[j]!,
    weight,
  }));
}

const FLOAT32_MAX = 3.4028234663852886e38;
