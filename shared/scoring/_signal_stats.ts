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
