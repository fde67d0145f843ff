import { FEATURE_DEFAULTS, featureNames, type FeatureOptions, writeFeatures } from "../features.ts";
import { withStressedNowFloor } from "../stressed.ts";
import { chooseModel } from "../choose_model.ts";
import { explainPrediction } from "../explain.ts";
import {
  type ClippedInput,
  clipToTraining,
  contributions,
  withOutOfRangeFloor,
} from "../model_inputs.ts";
import { ruleFloor } from "../rule_floor.ts";
import { ruleProbability } from "../rule_scorer.ts";
import type { LoadedModel } from "./onnx_model.ts";
import type { Score, Scorer } from "../scorer.ts";

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
 * each group is scored with one session run. Every input is first clipped to
 * the model's training range; a prediction whose key inputs lay far outside
 * it scores at least as the plain rule (see ../model_inputs.ts). A model with
 * a `rule_floor_threshold` scores at least as the rule held to its
 * false-alert budget (see ../rule_floor.ts). A reading
 * already stressed scores at least `STRESSED_NOW_PROBABILITY` (persistence),
 * as with the rule. The reasons are ordered by what drove this prediction
 * (see ../explain.ts). Inputs without a model, or whose window has too few
 * readings (see ../features.ts), go to the fallback, also in one call.
 */
export function createOnnxScorer(deps: OnnxScorerDeps): Scorer {
  const options = deps.features ?? FEATURE_DEFAULTS;
  return {
    windowSize: Math.max(options.window, deps.fallback.windowSize),
    async score(inputs) {
      const scores: Score[] = new Array(inputs.length);
      const groups = new Map<
        LoadedModel,
        { at: number[]; x: Float32Array; rows: number; clipped: (readonly ClippedInput[])[] }
      >();
      const rest: number[] = [];
      inputs.forEach((input, i) => {
        const model = chooseModel(deps.models, input);
        if (!model) return void rest.push(i);
        const names = featureNames(input.profile);
        const width = names.length;
        let group = groups.get(model);
        if (!group) {
          group = { at: [], x: new Float32Array(inputs.length * width), rows: 0, clipped: [] };
          groups.set(model, group);
        }
        const offset = group.rows * width;
        if (!writeFeatures(input, group.x, offset, options)) return void rest.push(i);
        group.clipped.push(clipToTraining(group.x, offset, names, model.inputs));
        group.at.push(i);
        group.rows++;
      });
      await Promise.all([...groups].map(async ([model, group]) => {
        const names = model.metadata.features;
        const width = names.length;
        const x = group.x.subarray(0, group.rows * width);
        const probabilities = await model.predict(x, group.rows);
        const name = `${model.ref.name}@${model.metadata.onnx_sha256.slice(0, 12)}`;
        group.at.forEach((i, row) => {
          const input = inputs[i]!;
          const reading = input.window[input.window.length - 1]!;
          const clipped = group.clipped[row]!;
          const own = probabilities[row]!;
          const floored = withOutOfRangeFloor(own, clipped, reading, input.limits);
          const ruleThreshold = model.metadata.rule_floor_threshold;
          const held = ruleThreshold === undefined ? 0 : ruleFloor(
            ruleProbability(reading, input.limits),
            ruleThreshold,
            model.metadata.threshold,
          );
          const features = x.subarray(row * width, (row + 1) * width);
          scores[i] = {
            probability: clamp(
              withStressedNowFloor(Math.max(floored, held), reading, input.limits),
            ),
            model: name,
            reasons: explainPrediction({
              input,
              names,
              features,
              contributions: contributions(features, 0, model.inputs),
              inputs: model.inputs,
              clipped,
              floored: floored > own,
              ruleFloored: held > floored,
            }),
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
