import type { Profile } from "../../shared/reading/mod.ts";
import type { DeviceSequence } from "../dataset.ts";
import { evaluateTraces, type Metrics, type ScoredTrace } from "../evaluate/metrics.ts";
import { scoreSequence } from "../evaluate/score_trace.ts";
import type { LogisticModel } from "../logistic_regression.ts";
import { createLogisticScorer } from "../logistic_scorer.ts";
import { ruleFloor } from "../../shared/scoring/rule_floor.ts";

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

/** Warned shares closer than this to the best count as equal (noise, not signal). */
export const WARNED_SHARE_TOLERANCE = 0.01;

export interface ThresholdChoice {
  threshold: number;
  /** The validation metrics at that threshold; null when validation had no episode. */
  metrics: Metrics | null;
}

export interface PickOptions {
  defaultThreshold: number;
  /** False alerts per device-day the target allows. */
  falseAlertBudget: number;
  /**
   * Share of the budget a threshold may use on validation data (a safety
   * margin: the rate differs from one fleet to the next). 1 = none.
   */
  margin: number;
  /**
   * The rule's threshold for a rule floor (see shared/scoring/rule_floor.ts):
   * each threshold tried is judged with the floor it would bring. Absent: no
   * floor.
   */
  ruleFloorThreshold?: number;
}

/**
 * A scored trace judged at `threshold`: every reading's threshold set, and
 * with `ruleFloorThreshold` its probabilities raised to the rule floor that
 * threshold brings (the trace must carry the rule's probabilities).
 */
export function atThreshold(
  trace: ScoredTrace,
  threshold: number,
  ruleFloorThreshold?: number,
): ScoredTrace {
  const thresholds = new Float64Array(trace.times.length).fill(threshold);
  if (ruleFloorThreshold === undefined) return { ...trace, thresholds };
  const rule = trace.ruleProbabilities;
  if (!rule) throw new RangeError("Cannot apply a rule floor: the trace has no rule probabilities");
  const probabilities = Float64Array.from(
    trace.probabilities as ArrayLike<number>,
    (p, i) => Math.max(p, ruleFloor(rule[i]!, ruleFloorThreshold, threshold)),
  );
  return { ...trace, thresholds, probabilities };
}

/**
 * Picks the alert threshold on scored validation traces (never on the
 * evaluation's held-out data): among the thresholds that raise at most
 * `margin × falseAlertBudget` false alerts per device-day (as the alert policy
 * would raise them), the highest whose share of episodes warned at least 30 s
 * ahead is within {@linkcode WARNED_SHARE_TOLERANCE} of the best. When every
 * threshold is over, the one with the fewest false alerts; without any
 * validation episode the default stays.
 */
export function pickThreshold(
  traces: readonly ScoredTrace[],
  options: PickOptions,
): ThresholdChoice {
  if (!(options.margin > 0 && options.margin <= 1)) {
    throw new RangeError(
      `Cannot pick a threshold: 'margin' must be in (0, 1], got ${options.margin}`,
    );
  }
  const allowed = options.falseAlertBudget * options.margin;
  const tried: { threshold: number; metrics: Metrics }[] = [];
  for (const threshold of THRESHOLD_GRID) {
    const metrics = evaluateTraces(
      traces.map((t) => atThreshold(t, threshold, options.ruleFloorThreshold)),
    );
    if (metrics.episodes === 0) return { threshold: options.defaultThreshold, metrics: null };
    tried.push({ threshold, metrics });
  }
  const within = tried.filter((c) => c.metrics.false_alerts_per_device_day <= allowed);
  if (within.length === 0) {
    // Over the budget everywhere: the fewest false alerts (the highest such threshold).
    return tried.reduce((a, b) =>
      b.metrics.false_alerts_per_device_day <= a.metrics.false_alerts_per_device_day ? b : a
    );
  }
  const best = Math.max(...within.map((c) => c.metrics.warned_30s_share));
  return within.filter((c) => c.metrics.warned_30s_share >= best - WARNED_SHARE_TOLERANCE).at(-1)!;
}

/** Per device, a trace of the readings from `from` on (plus a window before), scored by `model`. */
export async function scoreFrom(input: {
  model: LogisticModel;
  profile: Profile;
  sequences: readonly DeviceSequence[];
  /** Start of the validation range, ms. */
  from: number;
  window: number;
  intervalS: number;
  horizonS: number;
}): Promise<ScoredTrace[]> {
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
        horizonS: input.horizonS,
        threshold: 0.5,
      }),
    );
  }
  return traces;
}

/**
 * Chooses a model's alert threshold on its validation time range: the
 * readings from `from` on, scored by a model fitted before it.
 */
export async function chooseThreshold(
  input: Parameters<typeof scoreFrom>[0] & PickOptions,
): Promise<ThresholdChoice> {
  return pickThreshold(await scoreFrom(input), input);
}
