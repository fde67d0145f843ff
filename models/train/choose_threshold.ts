import type { Profile } from "../../shared/reading/mod.ts";
import type { DeviceSequence } from "../dataset.ts";
import { evaluateTraces, type Metrics, type ScoredTrace } from "../evaluate/metrics.ts";
import { scoreSequence } from "../evaluate/score_trace.ts";
import type { LogisticModel } from "../logistic_regression.ts";
import { createLogisticScorer } from "../logistic_scorer.ts";

/** Thresholds tried, from eager to cautious. */
export const THRESHOLD_GRID = [
  0.05,
  0.1,
  0.15,
  0.2,
  0.25,
  0.3,
  0.35,
  0.4,
  0.45,
  0.5,
  0.55,
  0.6,
  0.65,
  0.7,
  0.75,
  0.8,
  0.85,
  0.9,
  0.95,
];

export interface ThresholdChoice {
  threshold: number;
  /** The validation metrics at that threshold; null when validation had no episode. */
  metrics: Metrics | null;
}

/**
 * Chooses a model's alert threshold on its validation range (never on the
 * evaluation's held-out data): the one that warns the most episodes at least
 * 30 s ahead while raising at most `falseAlertBudget` false alerts per
 * device-day (as the alert policy would raise them); among equals the
 * highest. When every threshold is over budget, the one with the fewest
 * false alerts; without any validation episode the default stays.
 */
export async function chooseThreshold(input: {
  model: LogisticModel;
  profile: Profile;
  sequences: readonly DeviceSequence[];
  /** Start of the validation range, ms. */
  from: number;
  window: number;
  intervalS: number;
  horizonS: number;
  defaultThreshold: number;
  falseAlertBudget: number;
}): Promise<ThresholdChoice> {
  const scorer = createLogisticScorer({ [input.profile]: input.model });
  const context = input.from - input.window * input.intervalS * 1000;
  const traces: ScoredTrace[] = [];
  for (const sequence of input.sequences) {
    const start = sequence.readings.findIndex((r) => Date.parse(r.timestamp) >= context);
    if (start === -1 || sequence.readings.length - start < input.window) continue;
    const part: DeviceSequence = {
      ...sequence,
      readings: sequence.readings.slice(start),
      stressed: sequence.stressed?.slice(start),
    };
    traces.push(
      await scoreSequence(part, scorer, {
        window: input.window,
        horizonS: input.horizonS,
        threshold: input.defaultThreshold,
      }),
    );
  }
  let best: ThresholdChoice | null = null;
  let quietest: ThresholdChoice | null = null;
  for (const threshold of THRESHOLD_GRID) {
    const metrics = evaluateTraces(
      traces.map((t) => ({ ...t, thresholds: new Float64Array(t.times.length).fill(threshold) })),
    );
    if (metrics.episodes === 0) return { threshold: input.defaultThreshold, metrics: null };
    if (
      !quietest ||
      metrics.false_alerts_per_device_day <= quietest.metrics!.false_alerts_per_device_day
    ) {
      quietest = { threshold, metrics };
    }
    if (metrics.false_alerts_per_device_day > input.falseAlertBudget) continue;
    if (!best || metrics.warned_30s_share >= best.metrics!.warned_30s_share) {
      best = { threshold, metrics };
    }
  }
  // Over budget everywhere: the threshold with the fewest false alerts.
  return best ?? quietest!;
}
