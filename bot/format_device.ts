import type { Reading } from "../shared/reading/mod.ts";
import { DEFAULT_HOT_LIMIT_C } from "../shared/scoring/stressed.ts";
import { deviceState } from "../shared/store/device_state.ts";
import type { DeviceStatus, DeviceSummary } from "../shared/store/records.ts";
import { ago, clockTime } from "./format_time.ts";

/** What a device's lines are written with. */
export interface DeviceTextOptions {
  now: number;
  timeZone: string;
  /** Per-device hot limits (`HOT_LIMITS`), °C; the profile's default otherwise. */
  hotLimits?: Readonly<Record<string, number>>;
}

/** The device's hot limit, °C: its own from `HOT_LIMITS`, else its profile's. */
export function hotLimitOf(
  summary: Pick<DeviceSummary, "device" | "profile">,
  hotLimits: Readonly<Record<string, number>> = {},
): number {
  return hotLimits[summary.device] ?? DEFAULT_HOT_LIMIT_C[summary.profile];
}

/** 🟢 fine, 🟠 stressed soon, 🔴 stressed now, ⚫ offline, ⚪ retired; 🔕 when muted. */
export function stateMark(summary: DeviceSummary, now: number): string {
  const state = deviceState(summary, now);
  const mark = state.state === "decommissioned"
    ? "⚪"
    : state.state === "offline"
    ? "⚫"
    : summary.latest?.stressed_now
    ? "🔴"
    : summary.latest?.stressed_soon
    ? "🟠"
    : "🟢";
  return state.muted ? `${mark}🔕` : mark;
}

/** What the device is doing in a few words: `fine`, `likely stressed within a minute`, ... */
export function verdictOf(summary: DeviceSummary, now: number): string {
  const state = deviceState(summary, now);
  if (state.state === "decommissioned") return "retired";
  if (state.state === "offline") return "offline";
  if (!summary.latest) return "no prediction yet";
  if (summary.latest.stressed_now) return "stressed now";
  if (summary.latest.stressed_soon) return "likely stressed within a minute";
  return "fine";
}

/** One line of `/devices`: `🟢 pc1 · pc · fine · p 0.12 · 5 s ago`. */
export function deviceLine(summary: DeviceSummary, options: DeviceTextOptions): string {
  const { now } = options;
  const parts = [
    `${stateMark(summary, now)} ${summary.device}`,
    summary.profile,
    verdictOf(summary, now),
    summary.latest ? `p ${summary.latest.probability.toFixed(2)}` : null,
    ago(Date.parse(summary.last_seen), now),
  ];
  return parts.filter(Boolean).join(" · ");
}

/** The temperature that matters for the profile: the CPU package on a PC, the SoC on a Pi. */
export function mainTemperature(reading: Reading): number | null {
  const value = reading.profile === "pc" ? reading.TemperatureCPUPackage : reading.CPU_temp_celsius;
  return typeof value === "number" ? value : null;
}

/** `/status`: the verdict, the probability, online or offline, the numbers that matter, why. */
export function statusText(
  summary: DeviceSummary,
  status: DeviceStatus | null,
  options: DeviceTextOptions,
): string {
  const { now, timeZone } = options;
  const state = deviceState(summary, now);
  const lines = [
    `${stateMark(summary, now)} ${summary.device} (${summary.profile}): ${verdictOf(summary, now)}`,
  ];
  const prediction = status?.prediction;
  if (prediction) {
    lines.push(
      `p ${prediction.probability.toFixed(2)} (alert at ${
        prediction.threshold.toFixed(2)
      }) · ${prediction.model}${prediction.simulated ? " · simulated" : ""}`,
    );
  }
  const lastSeen = Date.parse(summary.last_seen);
  const seen = `${clockTime(lastSeen, { timeZone, now, seconds: true })} (${ago(lastSeen, now)})`;
  lines.push(
    state.state === "online"
      ? `online · last reading ${seen}`
      : state.state === "offline"
      ? `offline · last reading ${seen}`
      : `retired ${clockTime(Date.parse(state.since!), { timeZone, now })} · last reading ${seen}`,
  );
  if (status) lines.push(numbersLine(status.reading, hotLimitOf(summary, options.hotLimits)));
  if (state.muted && summary.muted_until) {
    lines.push(`🔕 muted until ${clockTime(Date.parse(summary.muted_until), { timeZone, now })}`);
  }
  const reasons = prediction?.reasons ?? [];
  if (reasons.length > 0) lines.push("Why:", ...reasons.slice(0, 3).map((r) => `- ${r}`));
  return lines.join("\n");
}

/** `CPU 84.0 °C of a 90 °C limit · load 94 % · 80.0 W`: the main numbers of a reading. */
export function numbersLine(reading: Reading, hotLimitC: number): string {
  const temp = mainTemperature(reading);
  const parts = [
    temp === null
      ? "CPU temperature unknown"
      : `CPU ${temp.toFixed(1)} °C of a ${hotLimitC} °C limit`,
  ];
  if (reading.profile === "pc") {
    if (reading.LoadCPUTotal != null) parts.push(`load ${Math.round(reading.LoadCPUTotal)} %`);
    if (reading.PowerCPUPackage != null) parts.push(`${reading.PowerCPUPackage.toFixed(1)} W`);
  } else {
    if (reading.cpu_load_percent != null) {
      parts.push(`load ${Math.round(reading.cpu_load_percent)} %`);
    }
    if (reading.frequency_arm_hz != null) {
      parts.push(`${Math.round(reading.frequency_arm_hz / 1e6)} MHz`);
    }
  }
  return parts.join(" · ");
}
