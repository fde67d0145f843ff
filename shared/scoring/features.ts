import type { Profile, Reading } from "../reading/mod.ts";
import { hasThrottledFlag, isThrottledNow } from "../reading/mod.ts";
import { mainTemperature, type StressLimits } from "./stressed.ts";
import { putRobust, type RobustStats, robustStats, stats } from "./_signal_stats.ts";
import { pairwiseProductNames, writePairwiseProducts } from "./pairwise_products.ts";
import {
  closeness,
  equilibriumHeadroom,
  HEADROOM_CAP_C,
  projectedHeadroom,
  timeToLimit,
} from "./temperature_forecast.ts";

export {
  closeness,
  CLOSENESS_SCALE_C,
  EQUILIBRIUM_TAU_S,
  equilibriumHeadroom,
  HEADROOM_CAP_C,
  projectedHeadroom,
  TIME_TO_LIMIT_CAP_S,
  timeToLimit,
} from "./temperature_forecast.ts";

/**
 * The one feature module, shared by training and the consumer's ONNX scorer
 * so the two can never disagree. See models/README.md ("Features").
 *
 * A window is the device's readings of the last minute ending with the one
 * being scored. Gaps are explicit: only readings within `spanS` seconds of the
 * last one count (older ones are dropped, not treated as contiguous), slopes
 * are least squares over the real time stamps, and `coverage` and `gap_s` say
 * how complete the window is. A window with fewer than `minReadings` readings
 * carrying a main temperature is not scored by a model ({@linkcode extractFeatures}
 * returns `null`; the consumer falls back to the rule, training skips it).
 *
 * A sensor the device lacks gives NaN; the exported model replaces NaN by the
 * training mean inside its graph, so a missing sensor pushes neither way.
 */

export interface FeatureOptions {
  /** How far ahead the projection looks, s (the label's horizon). Default 60. */
  horizonS: number;
  /** Readings per window. Default 12 (one minute at 5 s). */
  window: number;
  /** Seconds between readings. Default 5. */
  intervalS: number;
  /** Fewest readings with a main temperature a model needs. Default 3. */
  minReadings: number;
}

export const FEATURE_DEFAULTS: FeatureOptions = {
  window: 12,
  intervalS: 5,
  minReadings: 3,
  horizonS: 60,
};

const TEMP = [
  "temp_closeness_now",
  "temp_closeness_projected",
  "temp_closeness_projected_recent",
  "temp_projected_headroom",
  "temp_projected_headroom_recent",
  "temp_slope_recent_c_per_min",
  "temp_headroom_recent",
  "temp_headroom_mean",
  "temp_headroom_peak",
  "temp_slope_c_per_min",
  "temp_time_to_limit_s",
  "temp_equilibrium_headroom",
  "temp_closeness_equilibrium",
] as const;
const WINDOW = ["coverage", "gap_s"] as const;
/**
 * The forecast features a linear model needs to combine (the first six of
 * TEMP): their pairwise products, squares included, let it weigh a rise by how
 * close to the limit it starts.
 */
const FORECAST_COUNT = 6;
const INTERACTIONS = pairwiseProductNames(TEMP.slice(0, FORECAST_COUNT));

/**
 * A device's power, clock and voltage enter as values relative to its own
 * window, which transfer across boards (a 15-W laptop and a 250-W desktop, a
 * Pi 3B at 1.3 V and a Pi 5 at 0.9 V), not as absolute values; see
 * models/README.md ("Features") for the figures with and without.
 */
const PC_POWER = ["power_recent_share", "power_rise_share", "power_slope_share_per_min"];
const PI_CLOCK_VOLTAGE = [
  "clock_share_recent",
  "clock_share_low",
  "clock_share_slope_per_min",
  "voltage_core_drop_v",
  "voltage_core_slope_per_min",
];

/** Feature names per profile, in model input order. */
export const FEATURE_NAMES: Record<Profile, readonly string[]> = {
  pc: [
    ...TEMP,
    "load_recent",
    "load_mean",
    "load_peak",
    "load_slope_per_min",
    ...PC_POWER,
    "clock_share_recent",
    "clock_share_mean",
    "clock_share_low",
    "clock_share_slope_per_min",
    ...WINDOW,
    ...INTERACTIONS,
  ],
  raspberry: [
    ...TEMP,
    ...PI_CLOCK_VOLTAGE,
    "cpu_load_recent",
    "cpu_load_mean",
    "cpu_load_peak",
    "cpu_load_slope_per_min",
    "load_avg_last",
    "load_avg_slope_per_min",
    "throttled_now_share",
    "under_voltage_occurred",
    "under_voltage_occurred_x_load_avg",
    "under_voltage_occurred_x_cpu_load",
    ...WINDOW,
    ...INTERACTIONS,
  ],
};

/**
 * Below these, a signal's residual from its trend is noise, not an outlier
 * (see `robustStats`): °C (sensors that read in whole degrees, Pi sensors in
 * 0.5-°C steps, desktops whose package jumps a few degrees), % of CPU load,
 * W, share of the clock, V.
 */
const TRIM_FLOOR = { temp: 1.5, load: 10, power: 5, share: 0.1, volts: 0.02 } as const;
/** Options of a signal that rises as the device works harder. */
const high = (floor: number) => ({ floor, stress: "high" as const });

/** Feature names of a profile, in model input order. */
export function featureNames(profile: Profile): readonly string[] {
  return FEATURE_NAMES[profile];
}

export interface FeatureInput {
  profile: Profile;
  /** Oldest first; the last is the reading being scored. */
  window: readonly Reading[];
  limits: StressLimits;
}

/** Checks options up front; throws a RangeError naming the bad one. */
export function checkFeatureOptions(options: FeatureOptions): FeatureOptions {
  const { window, intervalS, minReadings } = options;
  if (!Number.isInteger(window) || window < 2) {
    throw new RangeError(
      `Cannot extract features: 'window' must be an integer >= 2, got ${window}`,
    );
  }
  if (!(intervalS > 0)) {
    throw new RangeError(`Cannot extract features: 'intervalS' must be positive, got ${intervalS}`);
  }
  if (!Number.isInteger(minReadings) || minReadings < 2 || minReadings > window) {
    throw new RangeError(
      `Cannot extract features: 'minReadings' must be an integer from 2 to 'window' (${window}), got ${minReadings}`,
    );
  }
  return options;
}

/**
 * Writes the features of one window into `out` at `offset` and returns true,
 * or returns false (writing nothing) when the window has too few readings
 * with a main temperature for a model.
 */
export function writeFeatures(
  input: FeatureInput,
  out: Float32Array | Float64Array,
  offset: number,
  options: FeatureOptions = FEATURE_DEFAULTS,
): boolean {
  const recent = recentReadings(input.window, options);
  if (recent.length === 0) return false;
  const times = recent.map((r) => Date.parse(r.timestamp) / 1000);
  const t0 = times[times.length - 1]!;
  const rel = times.map((t) => t - t0);
  const temps = recent.map(mainTemperature);
  if (temps.filter((t) => t !== null).length < options.minReadings) return false;
  if (temps[temps.length - 1] === null) return false;

  let at = offset;
  const put = (value: number) => void (out[at++] = value);
  const limit = input.limits.hotLimitC;
  const headroom = temps.map((t) => (t === null ? null : Math.min(HEADROOM_CAP_C, limit - t)));
  // Robust: one odd reading (a pause, a sensor's jump) neither bends the trends nor sets the level.
  const h = robustStats(rel, headroom, { floor: TRIM_FLOOR.temp, stress: "low" });
  const tempSlope = -h.slopePerMin;
  // The last half of the window: its slope catches a ramp that began mid-window,
  // and its line's value now is the current headroom with less sensor noise.
  const half = Math.max(0, rel.length - Math.ceil(options.window / 2));
  const recentStats = robustStats(rel.slice(half), headroom.slice(half), {
    floor: TRIM_FLOOR.temp,
    stress: "low",
  });
  const recentSlope = -recentStats.slopePerMin;
  const now = Math.min(HEADROOM_CAP_C, recentStats.fittedLast);
  const projected = projectedHeadroom(now, tempSlope, options.horizonS);
  const projectedRecent = projectedHeadroom(now, recentSlope, options.horizonS);
  const forecast = [
    closeness(now),
    closeness(projected),
    closeness(projectedRecent),
    projected,
    projectedRecent,
    recentSlope,
  ];
  forecast.forEach(put);
  put(h.recent);
  put(h.mean);
  // Headroom is limit minus temperature: the window's second-lowest headroom is its recent peak heat.
  put(h.low);
  put(tempSlope);
  put(timeToLimit(now, tempSlope));
  // Where the temperature is heading: with first-order dynamics T_eq = T + τ·dT/dt.
  const equilibrium = equilibriumHeadroom(now, recentSlope);
  put(equilibrium);
  put(closeness(equilibrium));

  if (input.profile === "pc") {
    const pcs = recent as Extract<Reading, { profile: "pc" }>[];
    putRobust(put, robustStats(rel, pcs.map((r) => r.LoadCPUTotal), high(TRIM_FLOOR.load)), "peak");
    putShares(put, robustStats(rel, pcs.map((r) => r.PowerCPUPackage), high(TRIM_FLOOR.power)));
    const max = Math.max(
      input.limits.observedMaxClockMhz ?? 0,
      ...pcs.map((r) => r.cpu_clock_max_mhz ?? 0),
      ...pcs.map((r) => r.ClockCPUCoreOne ?? 0),
    );
    const share = pcs.map((
      r,
    ) => (r.ClockCPUCoreOne == null || max <= 0 ? null : r.ClockCPUCoreOne / max));
    putRobust(put, robustStats(rel, share, high(TRIM_FLOOR.share)), "low");
  } else {
    const pis = recent as Extract<Reading, { profile: "raspberry" }>[];
    const clock = robustStats(
      rel,
      pis.map((r) => (r.frequency_arm_hz == null ? null : r.frequency_arm_hz / 1e9)),
      high(TRIM_FLOOR.share),
    );
    const volts = robustStats(rel, pis.map((r) => r.voltage_core_v), high(TRIM_FLOOR.volts));
    // The clock against the window's own top clock: a cap shows on any board.
    const top = clock.max > 0 ? clock.max : NaN;
    put(clock.recent / top);
    put(clock.low / top);
    put(clock.slopePerMin / top);
    // The core voltage against its own recent level: DVFS and a sagging supply lower it.
    put(volts.max - volts.recent);
    put(volts.slopePerMin);
    const cpuLoad = robustStats(rel, pis.map((r) => r.cpu_load_percent), high(TRIM_FLOOR.load));
    putRobust(put, cpuLoad, "peak");
    const load = stats(rel, pis.map((r) => r.load_average_1m));
    put(load.last);
    put(load.slopePerMin);
    const flags = pis.map((r) => r.throttled).filter((t): t is string => t != null);
    put(flags.length === 0 ? NaN : flags.filter(isThrottledNow).length / flags.length);
    const last = pis[pis.length - 1]!.throttled;
    const occurred = last == null ? NaN : hasThrottledFlag(last, "under_voltage_occurred") ? 1 : 0;
    put(occurred);
    // A supply that has sagged before sags again when the board draws more: history × demand.
    put(occurred * load.last);
    // The sag follows the current within milliseconds: the load now says how much is drawn.
    put(occurred * (cpuLoad.recent / 100));
  }
  put(recent.length / options.window);
  let gap = 0;
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i]! - times[i - 1]!);
  put(gap);
  writePairwiseProducts(forecast, put);
  return true;
}

/**
 * A signal against its own recent top (the window's second highest): the
 * share now (low in a pause or after a drop), how much of it came within the
 * window (a step up), and its trend per minute as a share of it.
 */
function putShares(put: (v: number) => void, s: RobustStats): void {
  const top = s.peak > 0 ? s.peak : NaN;
  put(s.recent / top);
  put((s.peak - s.low) / top);
  put(s.slopePerMin / top);
}

/**
 * The main temperature's trend over the window and over its last half, °C
 * per minute, robust as the features' (not capped like headroom): what a
 * reason quotes. NaN without readings.
 */
export function temperatureTrend(
  window: readonly Reading[],
  options: FeatureOptions = FEATURE_DEFAULTS,
): { slopePerMin: number; recentSlopePerMin: number } {
  const recent = recentReadings(window, options);
  const last = recent.length === 0 ? 0 : Date.parse(recent[recent.length - 1]!.timestamp);
  const rel = recent.map((r) => (Date.parse(r.timestamp) - last) / 1000);
  const temps = recent.map(mainTemperature);
  const half = Math.max(0, rel.length - Math.ceil(options.window / 2));
  const trend = { floor: TRIM_FLOOR.temp, stress: "high" as const };
  return {
    slopePerMin: robustStats(rel, temps, trend).slopePerMin,
    recentSlopePerMin: robustStats(rel.slice(half), temps.slice(half), trend).slopePerMin,
  };
}

/**
 * The features of one window as a new array in {@linkcode featureNames} order,
 * or null when the window has too few readings for a model.
 */
export function extractFeatures(
  input: FeatureInput,
  options: FeatureOptions = FEATURE_DEFAULTS,
): Float64Array | null {
  const out = new Float64Array(featureNames(input.profile).length);
  return writeFeatures(input, out, 0, options) ? out : null;
}

/** The newest `window` readings no older than the window's time span before the last one. */
export function recentReadings(
  window: readonly Reading[],
  options: FeatureOptions = FEATURE_DEFAULTS,
): readonly Reading[] {
  const last = window[window.length - 1];
  if (!last) return [];
  // Half an interval of tolerance for jitter in the sampling rhythm.
  const oldest = Date.parse(last.timestamp) - ((options.window - 0.5) * options.intervalS) * 1000;
  let start = Math.max(0, window.length - options.window);
  while (start < window.length - 1 && Date.parse(window[start]!.timestamp) < oldest) start++;
  return window.slice(start);
}
