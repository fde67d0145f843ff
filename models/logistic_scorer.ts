import type { Score, Scorer } from "../shared/scoring/scorer.ts";
import { createRuleScorer } from "../shared/scoring/rule_scorer.ts";
import type { Profile } from "../shared/reading/mod.ts";
import {
  FEATURE_DEFAULTS,
  featureNames,
  type FeatureOptions,
  writeFeatures,
} from "../shared/scoring/features.ts";
import { type LogisticModel, predictLogistic } from "./logistic_regression.ts";
import { withStressedNowFloor } from "../shared/scoring/stressed.ts";
import { clipToTraining, withOutOfRangeFloor } from "../shared/scoring/model_inputs.ts";
import { inputStatsList } from "./input_stats.ts";

/**
 * A Scorer from a trained model in TypeScript, without ONNX: what training
 * and evaluation use to score, and what the ONNX graph must agree with.
 * Inputs are clipped to the model's training range and a key input far
 * outside it keeps the rule's score as a floor, as in the consumer's ONNX
 * scorer; windows too short for the model go to the rule, as there. No
 * reasons (training does not read them).
 */
export function createLogisticScorer(
  models: Partial<Record<Profile, LogisticModel>>,
  options: {
    name?: string;
    features?: FeatureOptions;
    thresholds?: Partial<Record<Profile, number>>;
  } = {},
): Scorer {
  const features = options.features ?? FEATURE_DEFAULTS;
  const rule = createRuleScorer();
  const stats = Object.fromEntries(
    Object.entries(models).map(([profile, model]) => [profile, inputStatsList(model!)]),
  );
  return {
    windowSize: features.window,
    async score(inputs) {
      const scores: Score[] = new Array(inputs.length);
      const rest: number[] = [];
      inputs.forEach((input, i) => {
        const model = models[input.profile];
        if (!model) return void rest.push(i);
        const names = featureNames(input.profile);
        const row = new Float64Array(names.length);
        if (!writeFeatures(input, row, 0, features)) return void rest.push(i);
        const reading = input.window[input.window.length - 1]!;
        const clipped = clipToTraining(row, 0, names, stats[input.profile]!);
        const probability = withOutOfRangeFloor(
          predictLogistic(model, row),
          clipped,
          reading,
          input.limits,
        );
        scores[i] = {
          probability: withStressedNowFloor(probability, reading, input.limits),
          model: options.name ?? `logistic/${input.profile}`,
          reasons: [],
          threshold: options.thresholds?.[input.profile],
        };
      });
      if (rest.length > 0) {
        const fallback = await rule.score(rest.map((i) => inputs[i]!));
        rest.forEach((i, j) => (scores[i] = fallback[j]!));
      }
      return scores;
    },
  };
}
