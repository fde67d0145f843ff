import {
  FEATURE_DEFAULTS,
  featureNames,
  type FeatureOptions,
  TIME_TO_LIMIT_CAP_S,
  timeToLimit,
  writeFeatures,
} from "../features.ts";
import { mainTemperature, stressReasons, withStressedNowFloor } from "../stressed.ts";
import { chooseModel } from "../choose_model.ts";
import type { LoadedModel } from "./onnx_model.ts";
import type { Score, ScoreInput, Scorer } from "../scorer.ts";

export interface OnnxScorerDeps {
  /**
   * The models in use, by registry name; {@linkcode chooseModel} picks the
   * one for each input (none: the fallback).
   */
  models: ReadonlyMap<string, LoadedModel>;
  /** Scores inputs without a model or with too short a window (the rule). */
  fallback: Scorer;
  features?: FeatureOptions;
}

/**
 * Scores with ONNX models: each input's model is chosen by
 * {@linkcode chooseModel}, the inputs of a batch are grouped by model and
 * each group is scored with one session run. A reading already stressed
 * scores at least `STRESSED_NOW_PROBABILITY` (persistence), as with the rule. Inputs without a model, or
 * whose window has too few readings (see ../features.ts), go to the
 * fallback, also in one call.
 */
export function createOnnxScorer(deps: OnnxScorerDeps): Scorer {
  const options = deps.features ?? FEATURE_DEFAULTS;
  return {
    windowSize: Math.max(options.window, deps.fallback.windowSize),
    async score(inputs) {
      const scores: Score[] = new Array(inputs.length);
      const groups = new Map<LoadedModel, { at: number[]; x: Float32Array; rows: number }>();
      const rest: number[] = [];
      inputs.forEach((input, i) => {
        const model = chooseModel(deps.models, input);
        if (!model) return void rest.push(i);
        const width = featureNames(input.profile).length;
        let group = groups.get(model);
        if (!group) {
          group = { at: [], x: new Float32Array(inputs.length * width), rows: 0 };
          groups.set(model, group);
        }
        if (!writeFeatures(input, group.x, group.rows * width, options)) return void rest.push(i);
        group.at.push(i);
        group.rows++;
      });
      await Promise.all([...groups].map(async ([model, group]) => {
        const width = model.metadata.features.length;
        const x = group.x.subarray(0, group.rows * width);
        const probabilities = await model.predict(x, group.rows);
        group.at.forEach((i, row) => {
          const input = inputs[i]!;
          const reasons = reasonsFor(input, x.subarray(row * width, (row + 1) * width), model);
          const reading = input.window[input.window.length - 1]!;
          scores[i] = {
            probability: clamp(withStressedNowFloor(probabilities[row]!, reading, input.limits)),
            model: `${model.ref.name}@${model.metadata.onnx_sha256.slice(0, 12)}`,
            reasons,
            threshold: model.metadata.threshold,
          };
        });
      }));
      if (rest.length > 0) {
        const fallback = await deps.fallback.score(rest.map((i) => inputs[i]!));
        rest.forEach((i, j) => (scores[i] = fallback[j]!));
      }
      return scores;
    },
  };
}

const clamp = (p: number) => Math.round(Math.min(1, Math.max(0, p)) * 1e6) / 1e6;

/** CPU load from which a reason mentions it, %. */
const HEAVY_LOAD_PERCENT = 80;

/** Plain-language reasons: stressed now, the temperature trend the model sees, heavy work. */
function reasonsFor(input: ScoreInput, features: Float32Array, model: LoadedModel): string[] {
  const reading = input.window[input.window.length - 1]!;
  const reasons = stressReasons(reading, input.limits);
  const names = model.metadata.features;
  const value = (name: string) => features[names.indexOf(name)]!;
  const limit = input.limits.hotLimitC;
  const temp = mainTemperature(reading);
  if (temp === null || temp >= limit) return reasons;
  // The steeper of the minute's and the last half-minute's trend.
  const slope = Math.max(value("temp_slope_c_per_min"), value("temp_slope_recent_c_per_min"));
  const eta = timeToLimit(limit - temp, slope);
  const what = input.profile === "pc" ? "CPU package" : "CPU";
  reasons.push(
    slope > 0.5 && eta < TIME_TO_LIMIT_CAP_S
      ? `${what} at ${temp.toFixed(1)} °C rising ${
        slope.toFixed(1)
      } °C/min: the ${limit} °C limit in about ${Math.round(eta)} s`
      : `${what} at ${temp.toFixed(1)} °C, ${
        (limit - temp).toFixed(1)
      } °C below the ${limit} °C limit`,
  );
  // Heavy work is what heats a device next (the model weighs load and power too).
  const load = value(input.profile === "pc" ? "load_last" : "cpu_load_last");
  const heavy = load >= HEAVY_LOAD_PERCENT;
  if (input.profile === "raspberry" && value("under_voltage_occurred") === 1) {
    reasons.push(
      `the Pi has seen under-voltage since boot (weak power supply)${
        heavy ? ` and is working hard (CPU ${Math.round(load)} %)` : ""
      }`,
    );
  } else if (heavy) {
    const power = input.profile === "pc" ? value("power_last") : NaN;
    reasons.push(
      `under heavy load: CPU ${Math.round(load)} %${
        Number.isFinite(power) ? `, ${Math.round(power)} W` : ""
      }`,
    );
  }
  return reasons;
}
