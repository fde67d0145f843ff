import type { Profile, Reading } from "../../reading/mod.ts";
import { loadingDatetimeFrom } from "../../reading/mod.ts";
import { FEATURE_DEFAULTS } from "../features.ts";

const START = Date.parse("2026-01-01T00:00:00.000Z");

/**
 * A known window per profile: a device warming under load, a full window of
 * readings (12, 5 s apart: one minute). A model must give it a finite
 * probability in [0, 1] before the consumer swaps it in.
 */
export function smokeWindow(profile: Profile): Reading[] {
  const { window, intervalS } = FEATURE_DEFAULTS;
  return Array.from({ length: window }, (_, i): Reading => {
    const date = new Date(START + i * intervalS * 1000);
    const common = {
      schema_version: 1 as const,
      uuid: `smoke-${profile}-${i}`,
      device: `smoke-${profile}`,
      timestamp: date.toISOString(),
      loading_datetime: loadingDatetimeFrom(date),
      simulated: true,
    };
    return profile === "pc"
      ? {
        ...common,
        profile,
        TemperatureCPUPackage: 70 + i,
        LoadCPUTotal: 95,
        PowerCPUPackage: 90,
        ClockCPUCoreOne: 4000,
        cpu_clock_max_mhz: 4200,
      }
      : {
        ...common,
        profile,
        CPU_temp_celsius: 65 + i,
        frequency_arm_hz: 1_500_000_000,
        voltage_core_v: 0.9,
        load_average_1m: 3.5,
        throttled: "0x0",
      };
  });
}
