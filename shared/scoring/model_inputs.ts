import type { InputStats } from "../models/model_metadata.ts";
import type { Reading } from "../reading/mod.ts";
import { ruleProbability } from "./rule_scorer.ts";
import type { StressLimits } from "./stressed.ts";

/**
 * What a model knows about its own inputs (their range in training, mean, sd
 * and weight; see `inputs` in the model metadata), and the three things the
 * scorers do with it, the ONNX scorer in the consumer and training's own
 * scorer alike:
 *
 * - **clip** every input to its training range before the model sees it
 *   ({@linkcode clipToTraining}): a linear model extrapolates without limit,
 *   and one input far outside what it learned from (a Pi 4 at 0.946 V when
 *   training never went above 0.89 V) can outweigh every other;
 * - **never quieter than the rule** when a key input was far out of range
 *   ({@linkcode withOutOfRangeFloor}): the model's answer there is a guess,
 *   the plain rule's is not;
 * - **explain** a prediction by each input's contribution to its logit
 *   ({@linkcode contributions}), so the reasons name what drove it.
 */

/** One model input outside its training range, clipped to it. */
export interface ClippedInput {
  /** Its position among the model's features. */
  index: number;
  feature: string;
  /** What the window gave. */
  value: number;
  /** What the model was fed: the nearer end of the training range. */
  clippedTo: number;
  /** How much the clipped-off part would have moved the logit (signed, in log-odds). */
  logitShift: number;
}

/**
 * An input is "far" out of range when its clipped-off part alone would have
 * moved the logit by at least this much (a factor e on the odds): a key input
 * (one the model weighs) beyond what training vouched for, not a small
 * overshoot of a minor one.
 */
export const FAR_OUT_OF_RANGE_LOGIT = 1;

const NONE: readonly ClippedInput[] = Object.freeze([]);

/**
 * Clips `row[offset + j]` to `[inputs[j].min, inputs[j].max]` in place for
 * every feature j (NaN, a missing sensor, stays NaN) and returns what was
 * clipped; an empty (shared) array when nothing was.
 */
export function clipToTraining(
  row: Float32Array | Float64Array,
  offset: number,
  names: readonly string[],
  inputs: readonly InputStats[],
): readonly ClippedInput[] {
  let clipped: ClippedInput[] | null = null;
  for (let j = 0; j < inputs.length; j++) {
    const value = row[offset + j]!;
    const { min, max, sd, weight } = inputs[j]!;
    if (!(value < min || value > max)) continue; // in range, or NaN
    const to = value < min ? min : max;
    row[offset + j] = to;
    (clipped ??= []).push({
      index: j,
      feature: names[j]!,
      value,
      clippedTo: to,
      logitShift: (weight * (value - to)) / sd,
    });
  }
  return clipped ?? NONE;
}

/** True when some clipped input would have moved the logit by {@linkcode FAR_OUT_OF_RANGE_LOGIT} or more. */
export function isFarOutOfRange(clipped: readonly ClippedInput[]): boolean {
  return clipped.some((c) => Math.abs(c.logitShift) >= FAR_OUT_OF_RANGE_LOGIT);
}

/**
 * The model's probability, raised to at least the plain rule's when a key
 * input was far out of range: the model is never quieter than the rule on
 * readings unlike any it learned from.
 */
export function withOutOfRangeFloor(
  probability: number,
  clipped: readonly ClippedInput[],
  reading: Reading,
  limits: StressLimits,
): number {
  if (clipped.length === 0 || !isFarOutOfRange(clipped)) return probability;
  return Math.max(probability, ruleProbability(reading, limits));
}

/**
 * Each feature's contribution to the logit, `weight × (value − mean) / sd`
 * (0 for a missing value, which the model takes as the mean): the logit is
 * the model's intercept plus their sum.
 */
export function contributions(
  row: ArrayLike<number>,
  offset: number,
  inputs: readonly InputStats[],
): Float64Array {
  const out = new Float64Array(inputs.length);
  for (let j = 0; j < inputs.length; j++) {
    const v = row[offset + j]!;
    const s = inputs[j]!;
    out[j] = Number.isNaN(v) ? 0 : (s.weight * (v - s.mean)) / s.sd;
  }
  return out;
}

/**
 * A model's input statistics in feature order, from its metadata's `inputs`;
 * null when the metadata has none or lacks one of `features`.
 */
export function inputStatsInOrder(
  features: readonly string[],
  inputs: Readonly<Record<string, InputStats>> | undefined,
): InputStats[] | null {
  if (!inputs) return null;
  const ordered: InputStats[] = [];
  for (const name of features) {
    const s = inputs[name];
    if (!s) return null;
    ordered.push(s);
  }
  return ordered;
}
