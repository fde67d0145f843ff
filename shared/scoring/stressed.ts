import { decodeThrottled, isThrottledNow, type Profile, type Reading } from "../reading/mod.ts";

/**
 * What "stressed" means, per profile, as a pure function of one reading.
 * See models/README.md. Shared by the consumer's rule, training labels and
 * evaluation, so they can never disagree.
 */

/** Hot limits by profile, °C: most desktop CPUs throttle near 90-100 °C, a Pi at 80 °C. */
export const DEFAULT_HOT_LIMIT_C: Record<Profile, number> = { pc: 90, raspberry: 80 };
/** Clock below this share of the observed maximum while busy counts as throttling. */
export const THROTTLE_CLOCK_SHARE = 0.6;
/** Load above this, %, makes a low clock a throttle rather than idling. */
export const THROTTLE_MIN_LOAD = 80;

export interface StressLimits {
  /** Temperature at or above which the device is stressed, °C. */
  hotLimitC: number;
  /** The highest clock seen for this device, MHz (pc only); null when unknown. */
  observedMaxClockMhz?: number | null;
}

/** The limits for a profile, with a device's own hot limit when one is configured. */
export function limitsFor(profile: Profile, hotLimitC?: number): StressLimits {
  return { hotLimitC: hotLimitC ?? DEFAULT_HOT_LIMIT_C[profile] };
}

/**
 * Why a reading is stressed, in plain words; empty when it is not.
 *
 * - pc: CPU package at or above the hot limit, the CPU reporting thermal
 *   throttling since the last reading (`cpu_throttled`, Intel's
 *   thermal_throttle counters), or the clock below 60 % of the observed
 *   maximum while load is above 80 %.
 * - raspberry: any "now" throttled bit (0-3) set, the kernel's under-voltage
 *   alarm (`under_voltage_alarm`, hwmon in0_lcrit_alarm, on a Pi without
 *   vcgencmd: the same condition as bit 0), or CPU at or above the hot limit
 *   (80 °C).
 */
export function stressReasons(reading: Reading, limits: StressLimits): string[] {
  const reasons: string[] = [];
  if (reading.profile === "pc") {
    const temp = reading.TemperatureCPUPackage;
    if (temp != null && temp >= limits.hotLimitC) {
      reasons.push(
        `CPU package at ${temp.toFixed(1)} °C, at or above the ${limits.hotLimitC} °C hot limit`,
      );
    }
    if (reading.cpu_throttled === true) {
      reasons.push("CPU reports thermal throttling since the last reading (thermal_throttle)");
    }
    const clock = reading.ClockCPUCoreOne;
    const load = reading.LoadCPUTotal;
    const max = Math.max(limits.observedMaxClockMhz ?? 0, reading.cpu_clock_max_mhz ?? 0);
    if (
      clock != null && load != null && max > 0 && load > THROTTLE_MIN_LOAD &&
      clock < THROTTLE_CLOCK_SHARE * max
    ) {
      reasons.push(
        `clock throttled to ${Math.round(clock)} MHz of ${Math.round(max)} MHz at ${
          Math.round(load)
        } % load`,
      );
    }
  } else {
    if (reading.throttled && isThrottledNow(reading.throttled)) {
      reasons.push(`Pi reports ${nowFlagNames(reading.throttled)} now (${reading.throttled})`);
    }
    if (reading.under_voltage_alarm === true) {
      reasons.push("Pi under-voltage alarm now (hwmon in0_lcrit_alarm)");
    }
    const temp = reading.CPU_temp_celsius;
    if (temp != null && temp >= limits.hotLimitC) {
      reasons.push(
        `CPU at ${temp.toFixed(1)} °C, at or above the ${limits.hotLimitC} °C hot limit`,
      );
    }
  }
  return reasons;
}

/** The "now" bits 0-3 of a throttled value by name, e.g. "under-voltage, throttling" for 0x50005. */
export function nowFlagNames(throttled: string): string {
  const flags = decodeThrottled(throttled);
  return [
    flags.under_voltage && "under-voltage",
    flags.arm_frequency_capped && "frequency capped",
    flags.throttled && "throttling",
    flags.soft_temperature_limit && "soft temperature limit",
  ].filter(Boolean).join(", ");
}

/** What makes a reading stressed, by kind: for evaluating foreseeable and sudden episodes apart. */
export type StressCause = "temperature" | "throttling" | "under_voltage";

/**
 * The causes of a stressed reading (empty when it is not stressed): the hot
 * limit reached (`temperature`), the clock held back by the CPU or Pi
 * firmware (`throttling`: pc `cpu_throttled` or clock under load, Pi bits 1-3), or a Pi's
 * supply sagging (`under_voltage`: bit 0 or `under_voltage_alarm`). Agrees with {@linkcode stressReasons}.
 */
export function stressCauses(reading: Reading, limits: StressLimits): StressCause[] {
  const causes = new Set<StressCause>();
  const temp = mainTemperature(reading);
  if (temp !== null && temp >= limits.hotLimitC) causes.add("temperature");
  if (reading.profile === "pc") {
    if (stressReasons(reading, limits).length > causes.size) causes.add("throttling");
  } else {
    if (reading.throttled) {
      const flags = decodeThrottled(reading.throttled);
      if (flags.under_voltage) causes.add("under_voltage");
      if (flags.arm_frequency_capped || flags.throttled || flags.soft_temperature_limit) {
        causes.add("throttling");
      }
    }
    if (reading.under_voltage_alarm === true) causes.add("under_voltage");
  }
  return [...causes];
}

/**
 * A reading that is stressed now scores at least this: stress persists from
 * one reading to the next, so "stressed within the next minute" is all but
 * certain. The rule and the models use the same floor.
 */
export const STRESSED_NOW_PROBABILITY = 0.99;

/**
 * A scorer's probability for `reading`, raised to at least
 * {@linkcode STRESSED_NOW_PROBABILITY} when the reading is stressed now. The
 * rule, the ONNX scorer and training's scorer all apply the floor through it.
 */
export function withStressedNowFloor(
  probability: number,
  reading: Reading,
  limits: StressLimits,
): number {
  return isStressed(reading, limits)
    ? Math.max(probability, STRESSED_NOW_PROBABILITY)
    : probability;
}

/** True when {@linkcode stressReasons} finds any reason. */
export function isStressed(reading: Reading, limits: StressLimits): boolean {
  return stressReasons(reading, limits).length > 0;
}

/** The reading field of each profile's main temperature: the one the hot limit is for. */
export const MAIN_TEMPERATURE = {
  pc: "TemperatureCPUPackage",
  raspberry: "CPU_temp_celsius",
} as const satisfies Record<Profile, string>;

/** The main temperature of a reading, °C, or null when its sensor is missing. */
export function mainTemperature(reading: Reading): number | null {
  return (reading.profile === "pc" ? reading.TemperatureCPUPackage : reading.CPU_temp_celsius) ??
    null;
}
