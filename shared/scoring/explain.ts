import type { InputStats } from "../models/model_metadata.ts";
import { mainTemperature, stressReasons } from "./stressed.ts";
import {
  FEATURE_DEFAULTS,
  temperatureTrend,
  TIME_TO_LIMIT_CAP_S,
  timeToLimit,
} from "./features.ts";
import type { ClippedInput } from "./model_inputs.ts";
import type { ScoreInput } from "./scorer.ts";

/**
 * Plain-language reasons for a model's prediction, most important first, so
 * that the first one (what an alert message quotes) is what drove the model:
 *
 * 1. why the reading is stressed now, if it is;
 * 2. when a key input lay far outside training and the rule's score was kept
 *    as a floor, that (the model's own answer was a guess there); when the
 *    rule held to the false-alert budget set the score, the temperature
 *    against its limit;
 * 3. each group of features (the temperature's level, its trend, the work
 *    the device does, its clock, its power supply, the window's readings)
 *    that pushed this prediction toward "stressed", by its contribution to
 *    the logit, largest first;
 * 4. the temperature against its limit, if no temperature reason came yet;
 * 5. inputs outside training that were clipped, if not said in 2.
 */
export function explainPrediction(x: {
  input: ScoreInput;
  /** The model's feature names, in input order. */
  names: readonly string[];
  /** The features the model saw (after clipping). */
  features: ArrayLike<number>;
  /** Each feature's contribution to the logit (see `contributions()`). */
  contributions: ArrayLike<number>;
  inputs: readonly InputStats[];
  clipped: readonly ClippedInput[];
  /** True when the rule's score was kept because a key input lay far outside training. */
  floored: boolean;
  /** True when the rule held to the false-alert budget (a floor) set the score. */
  ruleFloored?: boolean;
}): string[] {
  const { input } = x;
  const reading = input.window[input.window.length - 1]!;
  const reasons = stressReasons(reading, input.limits);
  const at = new Map(x.names.map((n, i) => [n, i]));
  const value = (name: string) => {
    const i = at.get(name);
    return i === undefined ? NaN : Number(x.features[i]);
  };
  if (x.floored) reasons.push(outOfRangeReason(x.clipped, x.inputs, true));
  const totals = new Map<ReasonGroup, number>();
  x.names.forEach((name, i) => {
    const group = reasonGroup(name, input.profile);
    if (group) totals.set(group, (totals.get(group) ?? 0) + Number(x.contributions[i]));
  });
  const driving = [...totals].filter(([, c]) => c >= MIN_CONTRIBUTION)
    .sort((a, b) => b[1] - a[1]).map(([group]) => group);
  const said = new Set<string>();
  const add = (text: string | null) => {
    if (text === null || said.has(text)) return;
    said.add(text);
    reasons.push(text);
  };
  const temp = mainTemperature(reading);
  const hot = temp !== null && temp >= input.limits.hotLimitC;
  let temperatureSaid = hot;
  // The rule floor set the score: the temperature against its limit is what warned.
  if (x.ruleFloored && temp !== null && !hot) {
    temperatureSaid = true;
    add(trendReason(input, temp));
  }
  for (const group of driving) {
    if (group === "level" || group === "trend") {
      if (temp === null || hot) continue;
      temperatureSaid = true;
      add(group === "trend" ? trendReason(input, temp) : levelReason(input, temp));
    } else add(GROUP_REASON[group](input, value));
  }
  if (!temperatureSaid && temp !== null) add(trendReason(input, temp));
  if (!x.floored && x.clipped.length > 0) {
    reasons.push(outOfRangeReason(x.clipped, x.inputs, false));
  }
  return reasons;
}

/** Groups contributing less than this to the logit are not named. */
const MIN_CONTRIBUTION = 0.25;

type ReasonGroup = "level" | "trend" | "work" | "clock" | "supply" | "window";

/** Level features: how hot the device is now, as opposed to where it is heading. */
const LEVEL = new Set([
  "temp_closeness_now",
  "temp_headroom_recent",
  "temp_headroom_mean",
  "temp_headroom_peak",
]);

/** The reason group of a feature, by its name; null for none. */
export function reasonGroup(name: string, profile: ScoreInput["profile"]): ReasonGroup | null {
  const product = name.split("_x_");
  if (product.length === 2 && product.every((f) => f.startsWith("temp_"))) {
    return product.every((f) => LEVEL.has(f)) ? "level" : "trend";
  }
  if (LEVEL.has(name)) return "level";
  if (name.startsWith("temp_")) return "trend";
  if (/^(load|power|cpu_load|load_avg)_/.test(name)) return "work";
  if (name.startsWith("clock_")) return profile === "pc" ? "clock" : "work";
  if (/^(voltage|under_voltage|throttled)_/.test(name)) return "supply";
  if (name === "coverage" || name === "gap_s") return "window";
  return null;
}

type Value = (name: string) => number;
const what = (input: ScoreInput) => (input.profile === "pc" ? "CPU package" : "CPU");

function levelReason(input: ScoreInput, temp: number): string {
  const limit = input.limits.hotLimitC;
  return `${what(input)} at ${temp.toFixed(1)} °C, ${
    (limit - temp).toFixed(1)
  } °C below the ${limit} °C limit`;
}

/** Rising at more than this, °C/min, the temperature reason says how fast. */
const RISING_C_PER_MIN = 0.5;

/** "CPU 84.0 °C, +1.2 °C/min, limit 90 °C", with the time to the limit when in sight. */
function trendReason(input: ScoreInput, temp: number): string {
  const limit = input.limits.hotLimitC;
  // The steeper of the minute's and the last half-minute's trend.
  const trend = temperatureTrend(input.window);
  const slope = Math.max(trend.slopePerMin, trend.recentSlopePerMin);
  if (!(slope > RISING_C_PER_MIN)) return levelReason(input, temp);
  const eta = timeToLimit(limit - temp, slope);
  return `${what(input)} ${temp.toFixed(1)} °C, +${slope.toFixed(1)} °C/min, limit ${limit} °C${
    eta < TIME_TO_LIMIT_CAP_S ? ` (there in about ${Math.round(eta)} s at this rate)` : ""
  }`;
}

/** CPU load from which a reason calls the work heavy, %. */
const HEAVY_LOAD_PERCENT = 80;

const GROUP_REASON: Record<
  Exclude<ReasonGroup, "level" | "trend">,
  (input: ScoreInput, value: Value) => string | null
> = {
  work(input) {
    const reading = input.window[input.window.length - 1]!;
    const parts: string[] = [];
    let load: number | null | undefined;
    if (reading.profile === "pc") {
      load = reading.LoadCPUTotal;
      if (load != null) parts.push(`CPU ${Math.round(load)} %`);
      if (reading.PowerCPUPackage != null) parts.push(`${Math.round(reading.PowerCPUPackage)} W`);
    } else {
      load = reading.cpu_load_percent;
      if (load != null) parts.push(`CPU ${Math.round(load)} %`);
      if (reading.load_average_1m != null) {
        parts.push(`load average ${reading.load_average_1m.toFixed(1)}`);
      }
      if (reading.frequency_arm_hz != null) {
        parts.push(`${(reading.frequency_arm_hz / 1e9).toFixed(1)} GHz`);
      }
    }
    if (parts.length === 0) return null;
    const heavy = load != null && load >= HEAVY_LOAD_PERCENT;
    return `${heavy ? "under heavy load" : "working"}: ${parts.join(", ")}`;
  },
  clock(input) {
    const reading = input.window[input.window.length - 1]!;
    if (reading.profile !== "pc" || reading.ClockCPUCoreOne == null) return null;
    const max = Math.max(input.limits.observedMaxClockMhz ?? 0, reading.cpu_clock_max_mhz ?? 0);
    if (!(max > 0)) return null;
    return `clock at ${Math.round((reading.ClockCPUCoreOne / max) * 100)} % of its highest (${
      Math.round(reading.ClockCPUCoreOne)
    } of ${Math.round(max)} MHz)`;
  },
  supply(input, value) {
    const reading = input.window[input.window.length - 1]!;
    if (reading.profile !== "raspberry") return null;
    if (value("under_voltage_occurred") === 1) {
      const load = reading.cpu_load_percent;
      return `the Pi has seen under-voltage since boot (weak power supply)${
        load != null && load >= HEAVY_LOAD_PERCENT
          ? ` and is working hard (CPU ${Math.round(load)} %)`
          : ""
      }`;
    }
    if (reading.voltage_core_v != null) {
      return `core voltage ${reading.voltage_core_v.toFixed(3)} V`;
    }
    return null;
  },
  window(input) {
    const { window, intervalS } = FEATURE_DEFAULTS;
    const last = Date.parse(input.window[input.window.length - 1]!.timestamp);
    const recent =
      input.window.filter((r) => last - Date.parse(r.timestamp) < window * intervalS * 1000).length;
    return `few readings in the last minute (${recent}, expected ${window})`;
  },
};

/** What a feature measures and its unit, for the out-of-range reason. */
const DESCRIPTIONS: [RegExp, string, string, number][] = [
  [/^voltage_core_(recent|mean|low)$/, "core voltage", " V", 3],
  [/^voltage_core_drop_v$/, "core voltage drop in the last minute", " V", 3],
  [/^voltage_core_slope/, "core voltage trend", " V/min", 3],
  [/^clock_ghz_(recent|mean|peak)$/, "ARM clock", " GHz", 2],
  [/^clock_share_(recent|mean|low)$/, "clock share of its highest", "", 2],
  [/^power_(recent|mean|peak)$/, "package power", " W", 0],
  [/^power_.*share/, "package power against its recent top", "", 2],
  [/^(cpu_)?load_(recent|mean|peak)$/, "CPU load", " %", 0],
  [/^temp_slope/, "temperature trend", " °C/min", 1],
  [/^temp_headroom/, "headroom below the hot limit", " °C", 1],
  [/^gap_s$/, "gap between readings", " s", 0],
  [/^coverage$/, "share of the window's readings present", "", 2],
];

function describe(feature: string): { label: string; unit: string; digits: number } {
  for (const [pattern, label, unit, digits] of DESCRIPTIONS) {
    if (pattern.test(feature)) return { label, unit, digits };
  }
  return { label: feature, unit: "", digits: 2 };
}

/** "core voltage 0.946 V is outside the 0.800-0.890 V the model was trained on: ..." */
function outOfRangeReason(
  clipped: readonly ClippedInput[],
  inputs: readonly InputStats[],
  floored: boolean,
): string {
  const top = clipped.reduce((a, b) => (Math.abs(b.logitShift) > Math.abs(a.logitShift) ? b : a));
  const { label, unit, digits } = describe(top.feature);
  const range = inputs[top.index]!;
  const n = (v: number) => v.toFixed(digits);
  const more = clipped.length > 1 ? ` (and ${clipped.length - 1} more inputs)` : "";
  return `${label} ${n(top.value)}${unit} is outside the ${n(range.min)} to ${
    n(range.max)
  }${unit} the model was trained on${more}: ${
    floored ? "scored at least as the plain rule" : "clipped to that range"
  }`;
}
