/**
 * A standardised, L2-regularised logistic regression, fitted by Newton's
 * method (iteratively reweighted least squares). Deterministic: the same data
 * gives the same coefficients, bit for bit.
 *
 * The model is `p = sigmoid(b + sum_j w_j * (x_j - mean_j) / scale_j)`, with a
 * missing value (NaN) replaced by `mean_j` first. The exported ONNX graph does
 * exactly this, so the consumer feeds raw features.
 */
export interface LogisticModel {
  /** Per feature: training mean (also the fill for a missing value). */
  mean: number[];
  /** Per feature: training standard deviation (1 for a constant feature). */
  scale: number[];
  /** Per feature: coefficient on the standardised value. */
  weights: number[];
  bias: number;
  /**
   * Per feature: the least and greatest value in training (NaN aside), the
   * range the scorers clip inputs to. Absent: no clipping.
   */
  min?: number[];
  max?: number[];
}

export interface FitOptions {
  /** L2 penalty on the standardised weights (not the bias). Default 1. */
  l2: number;
  /** Newton steps at most. Default 30. */
  maxIterations: number;
  /** Stop when no coefficient moves more than this. Default 1e-7. */
  tolerance: number;
  /**
   * Where Newton's method starts (a model fitted on overlapping data, e.g.
   * all folds): the same optimum in fewer steps when it is near. From a far
   * start on nearly separable data it may not settle: check `converged`.
   * Default: all zero.
   */
  initial?: LogisticModel;
}

export const FIT_DEFAULTS: FitOptions = { l2: 1, maxIterations: 30, tolerance: 1e-7 };

export interface TrainingMatrix {
  rows: number;
  /** Features per row. */
  width: number;
  /** rows × width, row-major. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Per-row weight; 1 each when absent. */
  weight?: ArrayLike<number>;
}

export interface FitResult {
  model: LogisticModel;
  iterations: number;
  converged: boolean;
}

/** Fits the model; throws a RangeError for options or data it cannot use. */
export function fitLogistic(data: TrainingMatrix, options: Partial<FitOptions> = {}): FitResult {
  const opts = { ...FIT_DEFAULTS, ...options };
  if (!(opts.l2 >= 0)) throw new RangeError(`Cannot fit: 'l2' must be >= 0, got ${opts.l2}`);
  const { rows, width, x, y } = data;
  if (rows < 2) throw new RangeError(`Cannot fit: need at least 2 rows, got ${rows}`);
  if (x.length !== rows * width) {
    throw new RangeError(
      `Cannot fit: x has ${x.length} values, expected rows × width = ${rows * width}`,
    );
  }
  const weight = data.weight ?? new Float64Array(rows).fill(1);
  const { mean, scale, min, max } = standardisation(data, weight);
  const k = width + 1; // bias last
  const z = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < width; j++) {
      const v = x[i * width + j]!;
      z[i * k + j] = Number.isNaN(v) ? 0 : (v - mean[j]!) / scale[j]!;
    }
    z[i * k + width] = 1;
  }
  const beta = startingPoint(opts.initial, { mean, scale }, width);
  let iterations = 0;
  let converged = false;
  const hessian = new Float64Array(k * k);
  const gradient = new Float64Array(k);
  while (iterations < opts.maxIterations && !converged) {
    iterations++;
    hessian.fill(0);
    gradient.fill(0);
    for (let i = 0; i < rows; i++) {
      const row = i * k;
      let logit = 0;
      for (let j = 0; j < k; j++) logit += z[row + j]! * beta[j]!;
      const p = sigmoid(logit);
      const w = weight[i]!;
      const r = w * (p - y[i]!);
      const h = w * Math.max(p * (1 - p), 1e-12);
      for (let a = 0; a < k; a++) {
        const za = z[row + a]!;
        if (za === 0) continue;
        gradient[a] = gradient[a]! + r * za;
        const ha = h * za;
        for (let b = 0; b <= a; b++) hessian[a * k + b] = hessian[a * k + b]! + ha * z[row + b]!;
      }
    }
    for (let a = 0; a < width; a++) {
      gradient[a] = gradient[a]! + opts.l2 * beta[a]!;
      hessian[a * k + a] = hessian[a * k + a]! + opts.l2;
    }
    hessian[width * k + width] = hessian[width * k + width]! + 1e-9;
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) hessian[a * k + b] = hessian[b * k + a]!;
    }
    const step = solveSymmetric(hessian, gradient, k);
    let largest = 0;
    for (let j = 0; j < k; j++) {
      beta[j] = beta[j]! - step[j]!;
      largest = Math.max(largest, Math.abs(step[j]!));
    }
    converged = largest < opts.tolerance;
  }
  // Rounded to float32, the precision the ONNX graph stores, so the two predict alike.
  const f32 = (values: ArrayLike<number>) => Array.from(values, (v) => Math.fround(v));
  return {
    model: {
      mean: f32(mean),
      scale: f32(scale),
      weights: f32(beta.subarray(0, width)),
      bias: Math.fround(beta[width]!),
      min: f32(min),
      max: f32(max),
    },
    iterations,
    converged,
  };
}

/** The model's probability for one row of raw features (NaN = missing). */
export function predictLogistic(model: LogisticModel, row: ArrayLike<number>, offset = 0): number {
  let logit = model.bias;
  for (let j = 0; j < model.weights.length; j++) {
    const v = row[offset + j]!;
    if (Number.isNaN(v)) continue;
    logit += model.weights[j]! * ((v - model.mean[j]!) / model.scale[j]!);
  }
  return sigmoid(logit);
}

export function sigmoid(logit: number): number {
  return logit >= 0 ? 1 / (1 + Math.exp(-logit)) : Math.exp(logit) / (1 + Math.exp(logit));
}

/**
 * `initial`'s coefficients on this fit's standardisation (the same function
 * of the raw features), bias last; all zero without one.
 */
function startingPoint(
  initial: LogisticModel | undefined,
  own: { mean: number[]; scale: number[] },
  width: number,
): Float64Array {
  const beta = new Float64Array(width + 1);
  if (!initial) return beta;
  if (initial.weights.length !== width) {
    throw new RangeError(
      `Cannot fit: 'initial' has ${initial.weights.length} weights, the data ${width} features`,
    );
  }
  let bias = initial.bias;
  for (let j = 0; j < width; j++) {
    const perUnit = initial.weights[j]! / initial.scale[j]!;
    beta[j] = perUnit * own.scale[j]!;
    bias += perUnit * (own.mean[j]! - initial.mean[j]!);
  }
  beta[width] = bias;
  return beta;
}

/** The largest finite float32, the ONNX graph's precision. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** Weighted mean and standard deviation per feature, and its range, ignoring NaN. */
function standardisation(
  data: TrainingMatrix,
  weight: ArrayLike<number>,
): { mean: number[]; scale: number[]; min: number[]; max: number[] } {
  const { rows, width, x } = data;
  const mean: number[] = [];
  const scale: number[] = [];
  const min: number[] = [];
  const max: number[] = [];
  for (let j = 0; j < width; j++) {
    let sw = 0, sum = 0, lo = Infinity, hi = -Infinity;
    for (let i = 0; i < rows; i++) {
      const v = x[i * width + j]!;
      if (Number.isNaN(v)) continue;
      sw += weight[i]!;
      sum += weight[i]! * v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    // A feature never present in training: no range to hold it to (the model fills it anyway).
    min.push(lo <= hi ? lo : -FLOAT32_MAX);
    max.push(lo <= hi ? hi : FLOAT32_MAX);
    const m = sw > 0 ? sum / sw : 0;
    let ss = 0;
    for (let i = 0; i < rows; i++) {
      const v = x[i * width + j]!;
      if (!Number.isNaN(v)) ss += weight[i]! * (v - m) ** 2;
    }
    const sd = sw > 0 ? Math.sqrt(ss / sw) : 0;
    mean.push(m);
    scale.push(sd > 1e-9 ? sd : 1);
  }
  return { mean, scale, min, max };
}

/** Solves A s = g for a symmetric positive definite A (k × k) by Cholesky. */
function solveSymmetric(a: Float64Array, g: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * k + j]!;
      for (let m = 0; m < j; m++) sum -= l[i * k + m]! * l[j * k + m]!;
      if (i === j) {
        if (!(sum > 0)) {
          throw new RangeError(
            "Cannot fit: the problem is not positive definite; add an L2 penalty",
          );
        }
        l[i * k + i] = Math.sqrt(sum);
      } else {
        l[i * k + j] = sum / l[j * k + j]!;
      }
    }
  }
  const v = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let sum = g[i]!;
    for (let m = 0; m < i; m++) sum -= l[i * k + m]! * v[m]!;
    v[i] = sum / l[i * k + i]!;
  }
  const s = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let sum = v[i]!;
    for (let m = i + 1; m < k; m++) sum -= l[m * k + i]! * s[m]!;
    s[i] = sum / l[i * k + i]!;
  }
  return s;
}
