import { type Dataset, selectRows } from "../dataset.ts";
import { fitLogistic, type LogisticModel, predictLogistic } from "../logistic_regression.ts";

export interface FitProfileOptions {
  /** Share of the latest windows held out for validation. Default 0.2. */
  validationShare: number;
  /** Windows this close (s) before the split are dropped, so no window or label spans it. */
  purgeS: number;
  l2: number;
  threshold: number;
}

export interface FittedModel {
  model: LogisticModel;
  /** The model fitted on the earlier windows only (for choosing a threshold on the later ones). */
  early: LogisticModel | null;
  metrics: Record<string, number>;
  /** Start of the validation range, ms; null when there was too little data to hold any out. */
  splitAt: number | null;
}

/**
 * Fits on the earlier windows, measures on the later ones (a split by time,
 * never by random rows: neighbouring windows overlap and would leak), then
 * refits on all windows for the model that ships.
 */
export function fitWithTimeSplit(dataset: Dataset, options: FitProfileOptions): FittedModel {
  const width = dataset.names.length;
  const matrix = (d: Dataset) => ({ rows: d.rows, width, x: d.x, y: d.y, weight: d.weight });
  const sorted = Float64Array.from(dataset.time).sort();
  const splitAt = sorted[Math.floor(sorted.length * (1 - options.validationShare))]!;
  const train = selectRows(dataset, (i) => dataset.time[i]! < splitAt - options.purgeS * 1000);
  const valid = selectRows(dataset, (i) => dataset.time[i]! >= splitAt);
  const canValidate = count(train.y) >= 5 && valid.rows >= 50 && train.rows - count(train.y) >= 5;
  const early = canValidate ? fitLogistic(matrix(train), { l2: options.l2 }).model : null;
  const final = fitLogistic(matrix(dataset), { l2: options.l2 });
  const metrics: Record<string, number> = {
    rows: dataset.rows,
    positives: count(dataset.y),
    iterations: final.iterations,
  };
  if (!early) return { model: final.model, early: null, metrics, splitAt: null };
  const p = Float64Array.from(
    { length: valid.rows },
    (_, i) => predictLogistic(early, valid.x, i * width),
  );
  return {
    model: final.model,
    early,
    metrics: {
      ...metrics,
      ...validationMetrics(p, valid.y, options.threshold),
      train_rows: train.rows,
    },
    splitAt,
  };
}

/** AUC, log loss, precision and recall of probabilities against labels. */
export function validationMetrics(
  p: ArrayLike<number>,
  y: ArrayLike<number>,
  threshold: number,
): Record<string, number> {
  let tp = 0, fp = 0, fn = 0, logLoss = 0;
  for (let i = 0; i < p.length; i++) {
    const predicted = p[i]! >= threshold;
    if (predicted && y[i] === 1) tp++;
    else if (predicted) fp++;
    else if (y[i] === 1) fn++;
    const q = Math.min(1 - 1e-12, Math.max(1e-12, p[i]!));
    logLoss -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return {
    validation_rows: p.length,
    validation_positives: count(y),
    validation_auc: auc(p, y),
    validation_log_loss: logLoss / Math.max(1, p.length),
    validation_precision: tp + fp === 0 ? 0 : tp / (tp + fp),
    validation_recall: tp + fn === 0 ? 0 : tp / (tp + fn),
  };
}

/** Area under the ROC curve (ties count half); NaN without both classes. */
export function auc(p: ArrayLike<number>, y: ArrayLike<number>): number {
  const order = Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[a]! - p[b]!);
  let positives = 0, rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && p[order[j]!] === p[order[i]!]) j++;
    const rank = (i + j + 1) / 2; // average 1-based rank of the tie group
    for (let k = i; k < j; k++) {
      if (y[order[k]!] === 1) {
        positives++;
        rankSum += rank;
      }
    }
    i = j;
  }
  const negatives = p.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function count(y: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < y.length; i++) n += y[i]!;
  return n;
}
