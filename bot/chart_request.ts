import type { Profile } from "../shared/reading/mod.ts";
import { numericMetrics } from "../shared/store/reading_history.ts";
import { formatDuration } from "./format_time.ts";
import { echo } from "./message_text.ts";
import { parseDuration } from "./parse_duration.ts";

/** A metric as a chart shows it: the reading field, a title, a unit, a factor to that unit. */
export interface ChartMetric {
  field: string;
  label: string;
  unit: string;
  /** Values are multiplied by it (Hz to MHz, bytes to MiB); 1 by default. */
  factor: number;
  /** The hot limit is drawn on this metric's chart. */
  hot: boolean;
}

/** The period `/chart` shows without one, ms. */
export const DEFAULT_PERIOD_MS = 60 * 60_000;
/** The shortest and longest period `/chart` draws, ms. */
export const PERIOD_RANGE_MS = { min: 5 * 60_000, max: 7 * 86_400_000 } as const;

const m = (field: string, label: string, unit: string, extra: Partial<ChartMetric> = {}) => ({
  field,
  label,
  unit,
  factor: 1,
  hot: false,
  ...extra,
});

/** The short names the owner types, per profile; the first is the default. */
const ALIASES: Record<Profile, Record<string, ChartMetric>> = {
  pc: {
    temp: m("TemperatureCPUPackage", "CPU package temperature", "°C", { hot: true }),
    load: m("LoadCPUTotal", "CPU load", "%"),
    power: m("PowerCPUPackage", "CPU package power", "W"),
    clock: m("ClockCPUCoreOne", "CPU core 1 clock", "MHz"),
    gpu: m("TemperatureGPUCore", "GPU temperature", "°C"),
    gpuload: m("LoadGPUCore", "GPU load", "%"),
  },
  raspberry: {
    temp: m("CPU_temp_celsius", "CPU temperature", "°C", { hot: true }),
    load: m("cpu_load_percent", "CPU load", "%"),
    clock: m("frequency_arm_hz", "ARM clock", "MHz", { factor: 1e-6 }),
    gpu: m("GPU_temp_celsius", "GPU temperature", "°C"),
    volt: m("voltage_core_v", "core voltage", "V"),
  },
};

/** The field-name units of fields without an alias. */
const FIELD_UNITS: [RegExp, string, number][] = [
  [/_hz$/, "MHz", 1e-6],
  [/_bytes$/, "MiB", 1 / 2 ** 20],
  [/(celsius|^Temperature)/i, "°C", 1],
  [/(percent|^Load)/, "%", 1],
  [/_v$/, "V", 1],
  [/^Power/, "W", 1],
  [/(mhz|^Clock)/i, "MHz", 1],
  [/_s$/, "s", 1],
];

/** What `/chart <device> [metric] [period]` asks for, once the device is known. */
export type ChartRequest =
  | { ok: true; metric: ChartMetric; periodMs: number }
  | { ok: false; text: string };

/** The metric names a profile's chart takes, for help and errors. */
export function metricNames(profile: Profile): string[] {
  return Object.keys(ALIASES[profile]);
}

/**
 * Reads the metric and period after the device, in either order: `temp 6h`,
 * `6h`, `load`, `LoadCPUTotal 1d`, or nothing (temperature, last hour).
 */
export function parseChartRequest(words: readonly string[], profile: Profile): ChartRequest {
  let metric: ChartMetric | null = null;
  let periodMs: number | null = null;
  for (const word of words) {
    const duration = parseDuration(word);
    if (duration !== null && periodMs === null && !/^\d+$/.test(word)) {
      periodMs = duration;
      continue;
    }
    const found = metricOf(word, profile);
    if (found && metric === null) {
      metric = found;
      continue;
    }
    return {
      ok: false,
      text: `I cannot chart '${echo(word, 30)}'. Metrics: ${metricNames(profile).join(", ")} ` +
        `(or a reading field); period: 30m, 6h, 1d ... up to 7d. E.g. /chart <device> temp 6h`,
    };
  }
  periodMs ??= DEFAULT_PERIOD_MS;
  if (periodMs < PERIOD_RANGE_MS.min || periodMs > PERIOD_RANGE_MS.max) {
    return {
      ok: false,
      text: `A chart covers ${formatDuration(PERIOD_RANGE_MS.min)} to ${
        formatDuration(PERIOD_RANGE_MS.max)
      }, not ${formatDuration(periodMs)}.`,
    };
  }
  return { ok: true, metric: metric ?? Object.values(ALIASES[profile])[0]!, periodMs };
}

function metricOf(word: string, profile: Profile): ChartMetric | null {
  const alias = ALIASES[profile][word.toLowerCase()];
  if (alias) return alias;
  const known = Object.values(ALIASES[profile]).find((metric) => metric.field === word);
  if (known) return known;
  if (!numericMetrics(profile).includes(word)) return null;
  const [, unit, factor] = FIELD_UNITS.find(([pattern]) => pattern.test(word)) ?? [null, "", 1];
  return { field: word, label: word, unit, factor, hot: false };
}
