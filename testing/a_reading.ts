import type { PcReading, RaspberryReading } from "../shared/reading/mod.ts";

let counter = 0;

/** A valid pc reading; override any field. */
export function aPcReading(overrides: Partial<PcReading> = {}): PcReading {
  counter++;
  return {
    schema_version: 1,
    profile: "pc",
    uuid: `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`,
    device: "pc1",
    timestamp: "2026-01-31T12:00:05.000Z",
    loading_datetime: "2026-01-31@12:00:05",
    ClockCPUCoreOne: 3400,
    TemperatureCPUPackage: 55,
    LoadCPUTotal: 20,
    PowerCPUPackage: 35.5,
    ...overrides,
  };
}

/** A valid raspberry reading; override any field. */
export function aRaspberryReading(overrides: Partial<RaspberryReading> = {}): RaspberryReading {
  counter++;
  return {
    schema_version: 1,
    profile: "raspberry",
    uuid: `00000000-0000-4000-9000-${String(counter).padStart(12, "0")}`,
    device: "raspberry",
    timestamp: "2026-01-31T12:00:05.000Z",
    loading_datetime: "2026-01-31@12:00:05",
    GPU_temp_celsius: 51.1,
    CPU_temp_celsius: 50.6,
    frequency_arm_hz: 1_500_000_000,
    frequency_core_hz: 500_000_000,
    frequency_pwm_hz: 107_143_000,
    voltage_core_v: 0.85,
    voltage_sdram_c_v: 1.1,
    voltage_sdram_i_v: 1.1,
    voltage_sdram_p_v: 1.1,
    memory_arm_bytes: 1_006_632_960,
    memory_gpu_bytes: 67_108_864,
    throttled: "0x0",
    ...overrides,
  };
}

/** A reading `seconds` after `reading`, with a new uuid and both time stamps moved. */
export function later<T extends PcReading | RaspberryReading>(
  reading: T,
  seconds: number,
  overrides: Partial<T> = {},
): T {
  counter++;
  const time = new Date(Date.parse(reading.timestamp) + seconds * 1000);
  return {
    ...reading,
    uuid: `${reading.uuid.slice(0, 24)}${String(counter).padStart(12, "0")}`,
    timestamp: time.toISOString(),
    loading_datetime: time.toISOString().slice(0, 19).replace("T", "@"),
    ...overrides,
  };
}

/** The throttled flags of `0x50005`, a Pi 4 throttling under low voltage, written out by hand. */
export const PI4_UNDER_VOLTAGE_FLAGS = {
  under_voltage: true,
  arm_frequency_capped: false,
  throttled: true,
  soft_temperature_limit: false,
  under_voltage_occurred: true,
  arm_frequency_capped_occurred: false,
  throttled_occurred: true,
  soft_temperature_limit_occurred: false,
} as const;
