import { createRuleScorer } from "../../shared/scoring/rule_scorer.ts";
import type { Scorer } from "../../shared/scoring/scorer.ts";
import { type Profile, PROFILES } from "../../shared/reading/mod.ts";
import type { DeviceSequence } from "../dataset.ts";
import { type PickOptions, pickThreshold } from "../train/choose_threshold.ts";
import type { ScoredTrace } from "./metrics.ts";
import { scoreSequence } from "./score_trace.ts";

/**
 * The plain rule with its threshold (so its margin below the hot limit)
 * chosen per profile on the training data exactly as a model's is (most
 * episodes warned within the false-alert budget): the rule held to the same
 * false-alert budget, so leads can be compared like for like. Never tuned on
 * held-out data.
 */
export async function createBudgetRuleScorer(input: {
  train: readonly DeviceSequence[];
  pick: PickOptions;
  horizonS: number;
}): Promise<{ scorer: Scorer; thresholds: Partial<Record<Profile, number>> }> {
  const rule = createRuleScorer();
  const thresholds: Partial<Record<Profile, number>> = {};
  for (const profile of PROFILES) {
    const traces: ScoredTrace[] = [];
    for (const sequence of input.train) {
      if (sequence.profile !== profile) continue;
      traces.push(
        await scoreSequence(sequence, rule, {
          horizonS: input.horizonS,
          threshold: input.pick.defaultThreshold,
        }),
      );
    }
    if (traces.length > 0) thresholds[profile] = pickThreshold(traces, input.pick).threshold;
  }
  return { thresholds, scorer: createRuleScorerAt(thresholds) };
}

/**
 * The plain rule judged at the given threshold per profile (e.g. the budget
 * rule's, as an earlier evaluation chose them); a profile without one keeps
 * the configured threshold.
 */
export function createRuleScorerAt(thresholds: Partial<Record<Profile, number>>): Scorer {
  const rule = createRuleScorer();
  return {
    windowSize: rule.windowSize,
    async score(inputs) {
      const scores = await rule.score(inputs);
      return scores.map((s, i) => ({ ...s, threshold: thresholds[inputs[i]!.profile] }));
    },
  };
}
