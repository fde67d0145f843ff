import {
  decodeThrottled,
  type Reading,
  THROTTLED_HEX,
  type ThrottledFlagName,
} from "../reading/mod.ts";

/**
 * What the owner reads: one plain-text message per alert, written for a
 * phone (short lines, numbers first, no markup), always under Telegram's
 * 4,096 characters. The consumer stores it as the alert's `message`; the
 * Telegram notifier and the bot send it as it is.
 */

/** Telegram's limit on a message's text, characters. */
export const TELEGRAM_TEXT_MAX = 4096;
/** The model's reasons a message lists, most important (largest contribution) first. */
export const MESSAGE_REASONS = 3;
/** A reason longer than this is cut, characters. */
const REASON_MAX = 200;
/** The temperature trend is read from this much of the window before the reading, ms. */
const TREND_SPAN_MS = 60_000;

export interface StressMessageInput {
  reading: Reading;
  /** The device's readings ending with `reading`, oldest first: the trend is read from them. */
  window?: readonly Reading[];
  probability: number;
  /** The reading itself is stressed. */
  stressedNow: boolean;
  /** The model's reasons, most important first (as the scorer orders them). */
  reasons: readonly string[];
  /** The device's hot limit, °C. */
  hotLimitC: number;
}

/**
 * A stress alert: the verdict with its probability, what is rising in
 * numbers ("CPU 84 °C, +1.2 °C/min, limit 90 °C"), the load behind it, a
 * Pi's throttled bits by name, and the model's top reasons.
 *
 * @example
 * ```
 * pc1: likely to be stressed within a minute (p=0.93)
 * CPU 84 °C, +1.2 °C/min, limit 90 °C
 * load 94 %, 80 W, clock 3.4 GHz
 * Why:
 * - CPU 94 % busy at 80 W
 * - temperature rising 1.2 °C/min
 * ```
 */
export function stressMessage(input: StressMessageInput): string {
  const { reading, probability, stressedNow, reasons, hotLimitC } = input;
  const verdict = stressedNow ? "stressed now" : "likely to be stressed within a minute";
  const lines = [
    `${name(reading)}: ${verdict} (p=${probability.toFixed(2)})`,
    temperatureLine(reading, input.window ?? [reading], hotLimitC),
    workLine(reading),
    throttledLine(reading),
  ];
  const why = reasons.slice(0, MESSAGE_REASONS).map((r) => `- ${cut(r, REASON_MAX)}`);
  if (why.length > 0) lines.push("Why:", ...why);
  return finish(lines);
}

export interface UnderVoltageMessageInput {
  reading: Reading;
  hotLimitC: number;
}

/** An under-voltage alert: the Pi's supply sags now, whatever the model says. */
export function underVoltageMessage(input: UnderVoltageMessageInput): string {
  const { reading } = input;
  const volts = reading.profile === "raspberry" && reading.voltage_core_v != null
    ? `core ${reading.voltage_core_v.toFixed(3)} V`
    : null;
  return finish([
    `${name(reading)}: power supply too weak: under-voltage now`,
    throttledLine(reading),
    [volts, temperatureNow(reading, input.hotLimitC)].filter(Boolean).join(", ") || null,
    "Use the official power supply (5.1 V; 3 A for a Pi 4, 5 A for a Pi 5) and a short cable: " +
    "under-voltage slows the Pi and can corrupt its SD card.",
  ]);
}

export interface OfflineMessageInput {
  device: string;
  simulated?: boolean;
  /** Time of the device's last reading, ms. */
  lastSeen: number;
  /** When the silence was noticed, ms. */
  now: number;
  /** The device's own sampling interval, s, when known. */
  samplingIntervalS: number | null;
  /** Silence after which it counts as offline, s. */
  offlineAfterS: number;
}

/** An offline alert: no reading for longer than 3 sampling intervals (or `OFFLINE_AFTER_S`). */
export function offlineMessage(input: OfflineMessageInput): string {
  const rhythm = input.samplingIntervalS === null
    ? `offline after ${duration(input.offlineAfterS * 1000)} of silence`
    : `it sends a reading every ${duration(input.samplingIntervalS * 1000)}`;
  return finish([
    `${name(input)}: offline, no reading for ${duration(input.now - input.lastSeen)}`,
    `Last reading at ${clockTime(input.lastSeen)} (${rhythm}).`,
  ]);
}

export interface OnlineMessageInput {
  device: string;
  simulated?: boolean;
  /** Time of its last reading before the silence, ms. */
  lastSeen: number;
  /** Time of the reading that came back, ms. */
  readingTime: number;
  /** When it came back, ms. */
  now: number;
}

/** An online alert: the first reading after an offline alert. */
export function onlineMessage(input: OnlineMessageInput): string {
  const silent = input.now - input.lastSeen;
  // A reading taken long before it arrived: the device kept measuring and its buffer replays.
  const buffered = input.now - input.readingTime > silent / 2 && silent > 0
    ? " Its readings from the silence are arriving now (it kept measuring)."
    : "";
  return finish([
    `${name(input)}: back online after ${duration(silent)}`,
    `Silent since ${clockTime(input.lastSeen)}.${buffered}`,
  ]);
}

export interface RecoveredMessageInput {
  reading: Reading;
  probability: number;
  /** The level the probability stayed below, and for how many readings. */
  rearmBelow: number;
  calmReadings: number;
  /** Reading time of the alert that opened the episode, and of the first calm reading, ms. */
  since: number;
  calmSince: number;
  hotLimitC: number;
}

/** A recovered alert: a stress episode ended, with how long it lasted. */
export function recoveredMessage(input: RecoveredMessageInput): string {
  const { reading } = input;
  return finish([
    `${name(reading)}: recovered after ${duration(input.calmSince - input.since)}`,
    [
      temperatureNow(reading, input.hotLimitC),
      `p=${input.probability.toFixed(2)}, below ${
        input.rearmBelow.toFixed(2)
      } for ${input.calmReadings} readings`,
    ].filter(Boolean).join(", "),
    `The alert was at ${clockTime(input.since)}.`,
  ]);
}

/** `45 s`, `4 min 10 s`, `2 h 5 min`, `3 d 4 h`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const parts = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
  if (s < 3600) return parts(Math.floor(s / 60), "min", s % 60, "s");
  if (s < 86_400) return parts(Math.floor(s / 3600), "h", Math.floor((s % 3600) / 60), "min");
  return parts(Math.floor(s / 86_400), "d", Math.floor((s % 86_400) / 3600), "h");
}

/** `2026-01-31 12:03:05 UTC`: the owner may be in any time zone. */
function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

function name(device: { device: string; simulated?: boolean }): string {
  return device.simulated ? `${device.device} (simulated)` : device.device;
}

function mainTemperature(reading: Reading): number | null {
  return (reading.profile === "pc" ? reading.TemperatureCPUPackage : reading.CPU_temp_celsius) ??
    null;
}

/** "CPU 84 °C, limit 90 °C", or null without a sensor. */
function temperatureNow(reading: Reading, hotLimitC: number): string | null {
  const temp = mainTemperature(reading);
  return temp === null ? null : `CPU ${round(temp)} °C, limit ${round(hotLimitC)} °C`;
}

/** "CPU 84 °C, +1.2 °C/min, limit 90 °C" from the last minute of the window. */
function temperatureLine(
  reading: Reading,
  window: readonly Reading[],
  hotLimitC: number,
): string | null {
  const temp = mainTemperature(reading);
  if (temp === null) return "no CPU temperature sensor";
  const slope = slopePerMin(window, Date.parse(reading.timestamp));
  const trend = slope === null
    ? ""
    : `, ${
      Math.abs(slope) < 0.05
        ? "steady"
        : `${slope > 0 ? "+" : "−"}${Math.abs(slope).toFixed(1)} °C/min`
    }`;
  return `CPU ${round(temp)} °C${trend}, limit ${round(hotLimitC)} °C`;
}

/** Least-squares slope of the main temperature over the minute up to `end`, °C/min. */
function slopePerMin(window: readonly Reading[], end: number): number | null {
  const points: [number, number][] = [];
  for (const r of window) {
    const t = Date.parse(r.timestamp);
    const temp = mainTemperature(r);
    if (temp !== null && t <= end && end - t <= TREND_SPAN_MS) {
      points.push([(t - end) / 60_000, temp]);
    }
  }
  if (points.length < 2) return null;
  const mx = points.reduce((s, [x]) => s + x, 0) / points.length;
  const my = points.reduce((s, [, y]) => s + y, 0) / points.length;
  let sxx = 0, sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
  }
  return sxx === 0 ? null : sxy / sxx;
}

/** What the device is doing: load, power, clock (and a PC's GPU). */
function workLine(reading: Reading): string | null {
  const parts: string[] = [];
  if (reading.profile === "pc") {
    if (reading.LoadCPUTotal != null) parts.push(`load ${Math.round(reading.LoadCPUTotal)} %`);
    if (reading.PowerCPUPackage != null) parts.push(`${Math.round(reading.PowerCPUPackage)} W`);
    if (reading.ClockCPUCoreOne != null) {
      parts.push(`clock ${(reading.ClockCPUCoreOne / 1000).toFixed(1)} GHz`);
    }
    if (reading.TemperatureGPUCore != null) {
      parts.push(`GPU ${round(reading.TemperatureGPUCore)} °C`);
    }
  } else {
    if (reading.cpu_load_percent != null) {
      parts.push(`load ${Math.round(reading.cpu_load_percent)} %`);
    }
    if (reading.frequency_arm_hz != null) {
      parts.push(`ARM ${(reading.frequency_arm_hz / 1e9).toFixed(1)} GHz`);
    }
    if (reading.voltage_core_v != null) parts.push(`core ${reading.voltage_core_v.toFixed(3)} V`);
  }
  return parts.length > 0 ? parts.join(", ") : null;
}

const FLAG_NAMES: Record<ThrottledFlagName, string> = {
  under_voltage: "under-voltage",
  arm_frequency_capped: "ARM frequency capped",
  throttled: "throttled",
  soft_temperature_limit: "soft temperature limit",
  under_voltage_occurred: "under-voltage",
  arm_frequency_capped_occurred: "ARM frequency capped",
  throttled_occurred: "throttled",
  soft_temperature_limit_occurred: "soft temperature limit",
};

/** A Pi's throttled bits by name: "Throttled now: under-voltage, throttled; since boot: ... (0x50005)". */
function throttledLine(reading: Reading): string | null {
  if (reading.profile !== "raspberry") return null;
  const alarm = reading.under_voltage_alarm === true ? "under-voltage alarm (hwmon)" : null;
  const hex = reading.throttled;
  if (hex == null || !THROTTLED_HEX.test(hex)) return alarm ? `Now: ${alarm}` : null;
  const flags = decodeThrottled(hex);
  const set = (names: ThrottledFlagName[]) =>
    names.filter((n) => flags[n]).map((n) => FLAG_NAMES[n]);
  const now = set(["under_voltage", "arm_frequency_capped", "throttled", "soft_temperature_limit"]);
  if (alarm) now.push(alarm);
  const boot = set([
    "under_voltage_occurred",
    "arm_frequency_capped_occurred",
    "throttled_occurred",
    "soft_temperature_limit_occurred",
  ]);
  if (now.length === 0 && boot.length === 0) return null;
  return `Throttled now: ${now.join(", ") || "nothing"}; since boot: ${
    boot.join(", ") || "nothing"
  } (${hex})`;
}

const round = (value: number) => Math.round(value * 10) / 10;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The lines that say something, joined, cut to Telegram's limit. */
function finish(lines: readonly (string | null)[]): string {
  return cut(
    lines.filter((l): l is string => l !== null && l !== "").join("\n"),
    TELEGRAM_TEXT_MAX,
  );
}
