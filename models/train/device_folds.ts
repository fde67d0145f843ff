import { type Dataset, type DeviceSequence, selectRows } from "../dataset.ts";
import type { ScoredTrace } from "../evaluate/metrics.ts";
import { scoreSequence } from "../evaluate/score_trace.ts";
import { fitLogistic, type LogisticModel } from "../logistic_regression.ts";
import { createLogisticScorer } from "../logistic_scorer.ts";

export interface DeviceFoldOptions {
  /** Groups of devices; each is scored by a model that never saw it. */
  folds: number;
  /**
   * Fold models learn only from windows before this time, ms (the time
   * split), so the later range is held out in time as well as by device.
   */
  before: number;
  l2: number;
  window: number;
  horizonS: number;
  /** Where each fold's Newton's method starts (e.g. the model fitted before the split). */
  initial?: LogisticModel;
  /** One line per fold step (fits take minutes on large data). */
  progress?: (line: string) => void;
}

/**
 * Device-grouped cross-validation: the devices are dealt into `folds` groups
 * (in dataset order, round robin); each group's devices are scored, over their
 * whole time range, as the consumer would score them, by a model fitted on
 * the other groups' windows before `before`. Pools every device-day of the
 * training data into validation for choosing a threshold that must hold on
 * devices the model has not seen. Null when there are fewer devices than
 * folds or a fold has too few stressed windows to learn from.
 */
export async function outOfFoldTraces(
  dataset: Dataset,
  sequences: readonly DeviceSequence[],
  options: DeviceFoldOptions,
): Promise<ScoredTrace[] | null> {
  const { folds } = options;
  if (!Number.isInteger(folds) || folds < 2) {
    throw new RangeError(`Cannot cross-validate: 'folds' must be an integer >= 2, got ${folds}`);
  }
  if (dataset.devices.length < folds) return null;
  const width = dataset.names.length;
  const bySequence = new Map(sequences.map((s) => [s.device, s]));
  const traces: ScoredTrace[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const train = selectRows(
      dataset,
      (i) => dataset.deviceIndex[i]! % folds !== fold && dataset.time[i]! < options.before,
    );
    const positives = train.y.reduce((n, v) => n + v, 0);
    if (positives < 5 || train.rows - positives < 5) return null;
    const progress = options.progress ?? (() => {});
    progress(`cross-validation fold ${fold + 1}/${folds}: fitting on ${train.rows} windows`);
    const matrix = { rows: train.rows, width, x: train.x, y: train.y, weight: train.weight };
    let fit = fitLogistic(matrix, { l2: options.l2, initial: options.initial });
    // Newton's method from a far start can fail to settle on nearly separable data: start over.
    if (!fit.converged) fit = fitLogistic(matrix, { l2: options.l2 });
    const { model } = fit;
    const scorer = createLogisticScorer({ [dataset.profile]: model });
    progress(`cross-validation fold ${fold + 1}/${folds}: scoring its devices`);
    for (const [index, device] of dataset.devices.entries()) {
      const sequence = bySequence.get(device);
      if (index % folds !== fold || !sequence) continue;
      traces.push(
        await scoreSequence(sequence, scorer, {
          horizonS: options.horizonS,
          threshold: 0.5,
        }),
      );
    }
  }
  return traces;
}

/** The part of a scored trace from time `from` (ms) on. */
export function traceFrom(trace: ScoredTrace, from: number): ScoredTrace {
  let start = 0;
  while (start < trace.times.length && trace.times[start]! < from) start++;
  const cut = <T>(values: ArrayLike<T>): T[] => Array.prototype.slice.call(values, start);
  return {
    readings: trace.readings.slice(start),
    times: cut(trace.times),
    stressed: cut(trace.stressed),
    causes: trace.causes.slice(start),
    probabilities: cut(trace.probabilities),
    thresholds: cut(trace.thresholds),
    labels: cut(trace.labels),
    ...(trace.ruleProbabilities ? { ruleProbabilities: cut(trace.ruleProbabilities) } : {}),
  };
}
