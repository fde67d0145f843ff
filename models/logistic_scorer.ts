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

/**
 * A Scorer from a trained model in TypeScript, without ONNX: what training
 * and evaluation use to score, and what the ONNX graph must agree with.
 * Windows too short for the model go to the rule, as in the consumer.
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
  return {
    windowSize: features.window,
    async score(inputs) {
      const scores: Score[] = new Array(inputs.length);
      const rest: number[] = [];
      inputs.forEach((input, i) => {
        const model = models[input.profile];
        if (!model) return void rest.push(i);
        const row = new Float64Array(featureNames(input.profile).length);
        if (!writeFeatures(input, row, 0, features)) return void rest.push(i);
        const reading = input.window[input.window.length - 1]!;
        scores[i] = {
          probability: withStressedNowFloor(predictLogistic(model, row), reading, input.limits),
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
