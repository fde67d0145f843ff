import { mainTemperature, stressReasons, withStressedNowFloor } from "./stressed.ts";
import type { Score, ScoreInput, Scorer } from "./scorer.ts";
import type { StressLimits } from "./stressed.ts";
import type { Reading } from "../reading/mod.ts";

/** The rule's name and version, as it appears in predictions. */
export const RULE_MODEL = "rule/v1";
/**
 * Probability at which the rule's score counts as "stressed soon" unless
 * configured otherwise (`ALERT_THRESHOLD`); a trained model brings its own.
 */
export const RULE_THRESHOLD = 0.5;
/** The rule's probability is 0.5 at this many °C below the hot limit. */
export const RULE_MARGIN_C = 5;
/** °C over which the rule's probability goes from 0.27 to 0.73 around the margin. */
const RULE_SPREAD_C = 1;

/**
 * The plain rule used when no trained model is available:
 *
 * - the probability is a logistic curve of the main CPU temperature that
 *   passes 0.5 at 5 °C below the hot limit (0.12 at 7 °C below, 0.98 at 1 °C
 *   below);
 * - a reading that is already stressed (a Pi throttling bit set now, clock
 *   throttled under load, at or above the hot limit) scores at least
 *   `STRESSED_NOW_PROBABILITY` (0.99), as with the models;
 * - a device without a temperature sensor scores 0 unless it is stressed.
 */
export function createRuleScorer(): Scorer {
  return {
    windowSize: 1,
    score(inputs) {
      return Promise.resolve(inputs.map(scoreOne));
    },
  };
}

function scoreOne(input: ScoreInput): Score {
  const reading = input.window.at(-1);
  if (!reading) throw new RangeError("Cannot score: the window is empty");
  const stressedNow = stressReasons(reading, input.limits);
  const reasons = [...stressedNow];
  const temp = mainTemperature(reading);
  let probability = 0;
  if (temp !== null) {
    const margin = input.limits.hotLimitC - RULE_MARGIN_C;
    probability = ruleProbability(reading, input.limits);
    if (reasons.length === 0 && temp >= margin) {
      reasons.push(
        `CPU at ${
          temp.toFixed(1)
        } °C, within ${RULE_MARGIN_C} °C of the ${input.limits.hotLimitC} °C hot limit`,
      );
    }
  } else if (reasons.length === 0) {
    reasons.push("no CPU temperature sensor: only throttling can be detected");
  }
  probability = withStressedNowFloor(probability, reading, input.limits);
  return { probability: round(probability), model: RULE_MODEL, reasons };
}

/**
 * The rule's probability for one reading before the stressed-now floor: a
 * logistic curve of the main temperature, 0.5 at {@linkcode RULE_MARGIN_C}
 * below the hot limit; 0 without a temperature.
 */
export function ruleProbability(reading: Reading, limits: StressLimits): number {
  const temp = mainTemperature(reading);
  if (temp === null) return 0;
  return 1 / (1 + Math.exp(-(temp - (limits.hotLimitC - RULE_MARGIN_C)) / RULE_SPREAD_C));
}

const round = (p: number) => Math.round(p * 1e6) / 1e6;
