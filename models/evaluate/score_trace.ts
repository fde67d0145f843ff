import type { Score, ScoreInput, Scorer } from "../../shared/scoring/scorer.ts";
import { type DeviceSequence, horizonLabels, stressedFlags } from "../dataset.ts";
import { limitsFor, stressCauses, type StressLimits } from "../../shared/scoring/stressed.ts";
import { ruleProbability } from "../../shared/scoring/rule_scorer.ts";
import type { ScoredTrace } from "./metrics.ts";

const CHUNK = 1000;

/**
 * Scores every reading of a device as the consumer would (the window of the
 * last `scorer.windowSize` readings ending with it, the highest clock seen so
 * far), in batches, and pairs the probabilities with what really happened
 * (and with the plain rule's, for a rule floor chosen with a threshold).
 */
export async function scoreSequence(
  sequence: DeviceSequence,
  scorer: Scorer,
  options: { horizonS: number; threshold: number },
): Promise<ScoredTrace> {
  const { readings } = sequence;
  const stressed = stressedFlags(sequence);
  const probabilities = new Float64Array(readings.length);
  const thresholds = new Float64Array(readings.length);
  let maxClock = 0;
  const limits: StressLimits[] = [];
  const inputs: ScoreInput[] = readings.map((reading, i) => {
    if (reading.profile === "pc" && reading.ClockCPUCoreOne != null) {
      maxClock = Math.max(maxClock, reading.ClockCPUCoreOne);
    }
    limits.push({
      ...limitsFor(sequence.profile, sequence.hotLimitC),
      observedMaxClockMhz: maxClock > 0 ? maxClock : null,
    });
    return {
      device: sequence.device,
      profile: sequence.profile,
      window: readings.slice(Math.max(0, i - scorer.windowSize + 1), i + 1),
      limits: limits[i]!,
    };
  });
  for (let start = 0; start < inputs.length; start += CHUNK) {
    const scores: Score[] = await scorer.score(inputs.slice(start, start + CHUNK));
    scores.forEach((s, j) => {
      probabilities[start + j] = s.probability;
      thresholds[start + j] = s.threshold ?? options.threshold;
    });
  }
  return {
    readings,
    causes: readings.map((r, i) => (stressed[i] ? stressCauses(r, limits[i]!) : [])),
    times: Float64Array.from(readings, (r) => Date.parse(r.timestamp)),
    stressed,
    probabilities,
    thresholds,
    labels: horizonLabels(readings, stressed, options.horizonS),
    ruleProbabilities: Float64Array.from(readings, (r, i) => ruleProbability(r, limits[i]!)),
  };
}
