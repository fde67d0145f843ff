import { isStressed, type StressLimits } from "../shared/scoring/stressed.ts";
import type { Scorer } from "../shared/scoring/scorer.ts";
import type { Reading } from "../shared/reading/mod.ts";
import type { Prediction } from "../shared/store/records.ts";

export interface ScoreReadingsOptions {
  scorer: Scorer;
  /** The threshold of scores that bring none of their own (the rule). */
  threshold: number;
  /** A reading's stress limits: its profile's, the device's own hot limit, its observed clock. */
  limitsOf: (reading: Reading) => StressLimits;
  /** Scoring time, ms since the epoch. */
  now: number;
}

/** Scores readings, each with its window, in one call to the scorer: a prediction per reading. */
export async function scoreReadings(
  items: readonly { reading: Reading; window: readonly Reading[] }[],
  options: ScoreReadingsOptions,
): Promise<Prediction[]> {
  const { scorer, limitsOf, now } = options;
  if (items.length === 0) return [];
  const inputs = items.map(({ reading, window }) => ({
    device: reading.device,
    profile: reading.profile,
    window,
    limits: limitsOf(reading),
  }));
  const scores = await scorer.score(inputs);
  const scoredAt = new Date(now).toISOString();
  return items.map(({ reading }, i) => {
    const { probability, model, reasons } = scores[i]!;
    // A trained model brings the threshold chosen for it; the rule uses the configured one.
    const threshold = scores[i]!.threshold ?? options.threshold;
    return {
      device: reading.device,
      reading_uuid: reading.uuid,
      timestamp: reading.timestamp,
      scored_at: scoredAt,
      probability,
      threshold,
      stressed_soon: probability >= threshold,
      stressed_now: isStressed(reading, inputs[i]!.limits),
      model,
      reasons,
      ...(reading.simulated ? { simulated: true } : {}),
    };
  });
}

/** Whether a prediction scored again says the same (its time of scoring aside). */
export function samePrediction(before: Prediction | null, after: Prediction): boolean {
  return before !== null && before.probability === after.probability &&
    before.stressed_now === after.stressed_now && before.model === after.model &&
    before.threshold === after.threshold && before.reasons.join("\n") === after.reasons.join("\n");
}
