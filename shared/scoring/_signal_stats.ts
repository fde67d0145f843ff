/**
 * Summary statistics of one signal over a window, for features.ts. Times are
 * seconds relative to the window's last reading (so the last is at 0).
 */

export interface SignalStats {
  last: number;
  /** The least-squares line's value at the last reading: the last value with less noise. */
  fittedLast: number;
  mean: number;
  min: number;
  max: number;
  slopePerMin: number;
}

const MISSING: SignalStats = {
  last: NaN,
  fittedLast: NaN,
  mean: NaN,
  min: NaN,
  max: NaN,
  slopePerMin: NaN,
};

/** Last, mean, min, max and least-squares slope (per minute) of the present values. */
export function stats(
  times: readonly number[],
  values: readonly (number | null | undefined)[],
): SignalStats {
  let n = 0, sumT = 0, sumV = 0, min = Infinity, max = -Infinity, last = NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v == null) continue;
    n++;
    sumT += times[i]!;
    sumV += v;
    if (v < min) min = v;
    if (v > max) max = v;
    last = v;
  }
  if (n === 0) return MISSING;
  const meanT = sumT / n, mean = sumV / n;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v == null) continue;
    const dt = times[i]! - meanT;
    sxx += dt * dt;
    sxy += dt * (v - mean);
  }
  const slopePerMin = sxx > 0 ? (sxy / sxx) * 60 : 0;
  // Times are relative to the last reading (0), so the line's value there is:
  const fittedLast = sxx > 0 ? mean - (sxy / sxx) * meanT : mean;
  return { last, fittedLast, mean, min, max, slopePerMin };
}

export function putStats(put: (v: number) => void, s: SignalStats, extreme: "min" | "max"): void {
  put(s.last);
  put(s.mean);
  put(extreme === "min" ? s.min : s.max);
  put(s.slopePerMin);
}

/**
 * {@linkcode SignalStats} that a single odd reading does not throw, for
 * sensors that jump (a package that reads ±10 °C from one reading to the
 * next) and loads that pause for seconds. `stress` says which way the signal
 * goes when the device works harder ("high" for load and power, "low" for
 * headroom below the hot limit). Besides the plain ones (last, mean, min,
 * max):
 *
 * - `recent`: the last value, or the median of the last three when that is
 *   further toward stress: a rise counts at once, a one-reading pause does
 *   not (it takes two readings to call work over);
 * - `peak` and `low`: the second highest and second lowest value (the highest
 *   and lowest with fewer than three): the window remembers a hot moment or a
 *   busy one, without taking a lone spike for it;
 * - `slopePerMin` and `fittedLast` from a least-squares line that leaves out
 *   (1) the last value when it lies away from stress, further than `cut`
 *   from the line through the others (a pause just now: wait for the next
 *   reading), and (2) the one interior value furthest from the line when
 *   further than `cut` (a lone spike or a past pause). `cut` is three robust
 *   deviations (1.4826 × the median absolute residual) or `floor` (the
 *   signal's resolution and ordinary noise), whichever is larger. A fresh
 *   step toward stress at the end of the window is never left out.
 */
export interface RobustStats extends SignalStats {
  recent: number;
  peak: number;
  low: number;
}

const MISSING_ROBUST: RobustStats = { ...MISSING, recent: NaN, peak: NaN, low: NaN };

export function robustStats(
  times: readonly number[],
  values: readonly (number | null | undefined)[],
  options: { floor: number; stress: "high" | "low" },
): RobustStats {
  const t: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value == null) continue;
    t.push(times[i]!);
    v.push(value);
  }
  const n = v.length;
  if (n === 0) return MISSING_ROBUST;
  const sign = options.stress === "high" ? 1 : -1;
  const sorted = [...v].sort((a, b) => a - b);
  const last = v[n - 1]!;
  const tail = v.slice(-3).sort((a, b) => a - b);
  const median3 = tail[Math.floor((tail.length - 1) / 2)]!;
  const keep = new Array<boolean>(n).fill(true);
  if (n >= 4) {
    // (1) The last value, away from stress and off the line through the others: a pause.
    keep[n - 1] = false;
    const others = fit(t, v, keep);
    const cut = cutFor(t, v, keep, others, options.floor);
    const off = (last - (others.atZero + others.slope * t[n - 1]!)) * sign;
    keep[n - 1] = off >= -cut;
    // (2) The interior value furthest off the line, when far off: a lone spike or dip.
    const line = fit(t, v, keep);
    const cut2 = cutFor(t, v, keep, line, options.floor);
    let worst = -1, worstOff = cut2;
    for (let i = 0; i < n - 1; i++) {
      if (!keep[i]) continue;
      const residual = Math.abs(v[i]! - (line.atZero + line.slope * t[i]!));
      if (residual > worstOff) {
        worst = i;
        worstOff = residual;
      }
    }
    if (worst !== -1) keep[worst] = false;
  }
  const line = fit(t, v, keep);
  return {
    last,
    // Where the line puts the value now (t = 0), or the last value when the line left it out.
    fittedLast: line.atZero,
    mean: v.reduce((s, x) => s + x, 0) / n,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    slopePerMin: line.slope * 60,
    recent: sign * Math.max(sign * last, sign * median3),
    peak: n >= 3 ? sorted[n - 2]! : sorted[n - 1]!,
    low: n >= 3 ? sorted[1]! : sorted[0]!,
  };
}

interface Line {
  slope: number;
  atZero: number;
}

/** Least squares over the points `keep` allows. */
function fit(t: readonly number[], v: readonly number[], keep: readonly boolean[]): Line {
  let n = 0, st = 0, sv = 0;
  for (let i = 0; i < v.length; i++) {
    if (!keep[i]) continue;
    n++;
    st += t[i]!;
    sv += v[i]!;
  }
  const mt = st / n, mv = sv / n;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < v.length; i++) {
    if (!keep[i]) continue;
    const dt = t[i]! - mt;
    sxx += dt * dt;
    sxy += dt * (v[i]! - mv);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { slope, atZero: mv - slope * mt };
}

/** Three robust deviations of the kept points' residuals from `line`, at least `floor`. */
function cutFor(
  t: readonly number[],
  v: readonly number[],
  keep: readonly boolean[],
  line: Line,
  floor: number,
): number {
  const residuals: number[] = [];
  for (let i = 0; i < v.length; i++) {
    if (keep[i]) residuals.push(Math.abs(v[i]! - (line.atZero + line.slope * t[i]!)));
  }
  residuals.sort((a, b) => a - b);
  const m = residuals.length;
  const mid = m % 2 ? residuals[(m - 1) / 2]! : (residuals[m / 2 - 1]! + residuals[m / 2]!) / 2;
  return Math.max(3 * 1.4826 * mid, floor);
}

export function putRobust(
  put: (v: number) => void,
  s: RobustStats,
  extreme: "peak" | "low",
): void {
  put(s.recent);
  put(s.mean);
  put(extreme === "peak" ? s.peak : s.low);
  put(s.slopePerMin);
}
