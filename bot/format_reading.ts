import {
  decodeThrottled,
  type Reading,
  THROTTLED_HEX,
  type ThrottledFlagName,
} from "../shared/reading/mod.ts";
import { formatDuration } from "./format_time.ts";

/**
 * A reading as a table for a phone: one row per sensor the device has, a
 * plain name and the value with its unit, and a Pi's throttled bits by name.
 * Sensors the device lacks (null) are named in one line at the end, never
 * shown as 0.
 */
export interface ReadingRow {
  label: string;
  value: string;
}

interface Field {
  key: string;
  label: string;
  show: (value: number) => string;
}

const fixed = (digits: number, unit: string) => (v: number) => `${v.toFixed(digits)} ${unit}`;
const mhzFromHz = (v: number) => `${Math.round(v / 1e6)} MHz`;
const mib = (v: number) => `${Math.round(v / 2 ** 20)} MiB`;

const PC_FIELDS: Field[] = [
  { key: "TemperatureCPUPackage", label: "CPU temp", show: fixed(1, "°C") },
  { key: "LoadCPUTotal", label: "CPU load", show: fixed(0, "%") },
  { key: "PowerCPUPackage", label: "CPU power", show: fixed(1, "W") },
  { key: "ClockCPUCoreOne", label: "CPU clock", show: fixed(0, "MHz") },
  { key: "cpu_clock_max_mhz", label: "CPU clock max", show: fixed(0, "MHz") },
  { key: "cpu_temp_limit_celsius", label: "CPU temp limit", show: fixed(0, "°C") },
  { key: "TemperatureGPUCore", label: "GPU temp", show: fixed(1, "°C") },
  { key: "LoadGPUCore", label: "GPU load", show: fixed(0, "%") },
];

const PI_FIELDS: Field[] = [
  { key: "CPU_temp_celsius", label: "CPU temp", show: fixed(1, "°C") },
  { key: "GPU_temp_celsius", label: "GPU temp", show: fixed(1, "°C") },
  { key: "cpu_load_percent", label: "CPU load", show: fixed(0, "%") },
  { key: "frequency_arm_hz", label: "ARM clock", show: mhzFromHz },
  { key: "frequency_core_hz", label: "Core clock", show: mhzFromHz },
  { key: "frequency_pwm_hz", label: "PWM clock", show: mhzFromHz },
  { key: "voltage_core_v", label: "Core voltage", show: fixed(4, "V") },
  { key: "voltage_sdram_c_v", label: "SDRAM C volt", show: fixed(4, "V") },
  { key: "voltage_sdram_i_v", label: "SDRAM I volt", show: fixed(4, "V") },
  { key: "voltage_sdram_p_v", label: "SDRAM P volt", show: fixed(4, "V") },
  { key: "memory_arm_bytes", label: "ARM memory", show: mib },
  { key: "memory_gpu_bytes", label: "GPU memory", show: mib },
];

const COMMON_FIELDS: Field[] = [
  { key: "load_average_1m", label: "Load avg 1m", show: (v) => v.toFixed(2) },
  { key: "uptime_s", label: "Uptime", show: (v) => formatDuration(v * 1000) },
];

/** The Pi's throttled bits by name: bits 0-3 now, 16-19 since boot. */
export const THROTTLED_NAMES: Record<ThrottledFlagName, string> = {
  under_voltage: "under-voltage",
  arm_frequency_capped: "ARM frequency capped",
  throttled: "throttled",
  soft_temperature_limit: "soft temperature limit",
  under_voltage_occurred: "under-voltage",
  arm_frequency_capped_occurred: "ARM frequency capped",
  throttled_occurred: "throttled",
  soft_temperature_limit_occurred: "soft temperature limit",
};

const NOW_FLAGS: ThrottledFlagName[] = [
  "under_voltage",
  "arm_frequency_capped",
  "throttled",
  "soft_temperature_limit",
];
const SINCE_BOOT_FLAGS: ThrottledFlagName[] = [
  "under_voltage_occurred",
  "arm_frequency_capped_occurred",
  "throttled_occurred",
  "soft_temperature_limit_occurred",
];

/**
 * `now: under-voltage, throttled; since boot: under-voltage (0x50005)`, or
 * `none (0x0)`; null without a `throttled` value.
 */
export function describeThrottled(hex: string | null | undefined): string | null {
  if (typeof hex !== "string" || !THROTTLED_HEX.test(hex)) return null;
  const flags = decodeThrottled(hex);
  const named = (names: ThrottledFlagName[]) =>
    names.filter((n) => flags[n]).map((n) => THROTTLED_NAMES[n]);
  const now = named(NOW_FLAGS);
  const since = named(SINCE_BOOT_FLAGS);
  if (now.length === 0 && since.length === 0) return `none (${hex})`;
  return [
    now.length > 0 ? `now: ${now.join(", ")}` : "now: none",
    since.length > 0 ? `since boot: ${since.join(", ")}` : null,
  ].filter(Boolean).join("; ") + ` (${hex})`;
}

/** The rows of a reading's table, and the labels of the sensors it lacks. */
export function readingRows(reading: Reading): { rows: ReadingRow[]; missing: string[] } {
  const values = reading as unknown as Record<string, unknown>;
  const rows: ReadingRow[] = [];
  const missing: string[] = [];
  const fields = [...(reading.profile === "pc" ? PC_FIELDS : PI_FIELDS), ...COMMON_FIELDS];
  for (const field of fields) {
    const value = values[field.key];
    if (typeof value === "number" && Number.isFinite(value)) {
      rows.push({ label: field.label, value: field.show(value) });
    } else if (value === null) missing.push(field.label);
  }
  const { memory_used_bytes: used, memory_total_bytes: total } = reading;
  if (typeof used === "number" && typeof total === "number" && total > 0) {
    rows.push({
      label: "Memory",
      value: `${(used / 2 ** 30).toFixed(1)} of ${(total / 2 ** 30).toFixed(1)} GiB`,
    });
  }
  if (Array.isArray(reading.fan_rpm) && reading.fan_rpm.length > 0) {
    rows.push({ label: "Fans", value: `${reading.fan_rpm.map(Math.round).join(", ")} rpm` });
  } else if (reading.fan_rpm === null) missing.push("Fans");
  if (reading.profile === "pc") {
    if (reading.cpu_throttled === true) {
      rows.push({ label: "CPU throttled", value: "yes, since the last reading" });
    } else if (reading.cpu_throttled === false) rows.push({ label: "CPU throttled", value: "no" });
  } else {
    const throttled = describeThrottled(reading.throttled);
    if (throttled) rows.push({ label: "Throttled", value: throttled });
    else if (reading.throttled === null) missing.push("Throttled");
    if (reading.under_voltage_alarm === true) {
      rows.push({ label: "Under-voltage", value: "alarm now" });
    }
  }
  for (const [name, value] of Object.entries(reading.extra ?? {})) {
    if (value !== null) rows.push({ label: name, value: String(value) });
  }
  return { rows, missing };
}

/** The rows as aligned text: labels left, values after them (for a `<pre>` block). */
export function alignRows(rows: readonly ReadingRow[]): string {
  const width = Math.max(0, ...rows.map((r) => r.label.length)) + 2;
  return rows.map((r) => `${r.label.padEnd(width)}${r.value}`).join("\n");
}
