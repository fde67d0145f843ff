import type { PcReading, RaspberryReading, Reading } from "../shared/reading/mod.ts";

export interface FleetStreamOptions {
  /** PCs in the fleet, named pc-1, pc-2, ... Default 2. */
  pcs?: number;
  /** Raspberry Pis, named pi-1, ... Default 2. */
  pis?: number;
  /** Readings per device, one every 5 s. Default 250 (about 21 minutes). */
  readingsPerDevice?: number;
  /** Time of the first readings. */
  start?: number;
  seed?: number;
}

/**
 * A small fleet's readings in time order, as the devices would send them:
 * PCs and Pis alternating between idle spells and heavy work that heats them
 * past their hot limit (90 °C and 80 °C) within minutes, with sensor noise,
 * jitter in the 5-s rhythm, Pi throttling bits past the limit and one
 * under-voltage sag on the first Pi. Deterministic for a seed: a recorded
 * fleet as a test-data factory, so alerts happen.
 */
export function aFleetStream(options: FleetStreamOptions = {}): Reading[] {
  const { pcs = 2, pis = 2, readingsPerDevice = 250, seed = 7 } = options;
  const start = options.start ?? Date.parse("2026-01-31T12:00:00.000Z");
  const random = mulberry32(seed);
  const readings: Reading[] = [];
  const devices = [
    ...Array.from({ length: pcs }, (_, i) => ({ name: `pc-${i + 1}`, pi: false })),
    ...Array.from({ length: pis }, (_, i) => ({ name: `pi-${i + 1}`, pi: true })),
  ];
  devices.forEach(({ name, pi }, d) => {
    // Idle 3 min, heavy 4 min, idle 8 min, heavy 4 min, ... shifted per device.
    const offset = d * 40;
    let temp = pi ? 48 : 45;
    for (let i = 0; i < readingsPerDevice; i++) {
      const s = i * 5 + offset;
      const heavy = s % 1140 >= 180 && s % 1140 < 420 || s % 1140 >= 900;
      const load = heavy ? 92 + random() * 8 : 5 + random() * 10;
      const equilibrium = pi ? (heavy ? 86 : 50) : (heavy ? 99 : 46);
      temp += (equilibrium - temp) * (5 / (pi ? 90 : 60));
      const measured = Math.round((temp + (random() - 0.5)) * 10) / 10;
      const time = new Date(start + i * 5000 + Math.round((random() - 0.5) * 400));
      const common = {
        schema_version: 1 as const,
        uuid: `${name}-${String(i).padStart(6, "0")}`,
        device: name,
        timestamp: time.toISOString(),
        loading_datetime: time.toISOString().slice(0, 19).replace("T", "@"),
      };
      if (pi) {
        const sag = d === pcs && i >= 30 && i < 33;
        const hot = measured >= 80;
        const sinceBoot = d === pcs && i >= 30 ? 0x50000 : 0;
        const bits = sag ? 0x50005 : (hot ? 0x20002 : 0) | sinceBoot;
        readings.push(
          {
            ...common,
            profile: "raspberry",
            CPU_temp_celsius: measured,
            GPU_temp_celsius: measured - 0.5,
            frequency_arm_hz: heavy && !hot ? 1_500_000_000 : hot ? 1_000_000_000 : 600_000_000,
            frequency_core_hz: 500_000_000,
            frequency_pwm_hz: 107_143_000,
            voltage_core_v: heavy ? 0.8875 : 0.85,
            voltage_sdram_c_v: 1.1,
            voltage_sdram_i_v: 1.1,
            voltage_sdram_p_v: 1.1,
            memory_arm_bytes: 1_006_632_960,
            memory_gpu_bytes: 67_108_864,
            cpu_load_percent: Math.round(load * 10) / 10,
            throttled: `0x${bits.toString(16)}`,
          } satisfies RaspberryReading,
        );
      } else {
        readings.push(
          {
            ...common,
            profile: "pc",
            TemperatureCPUPackage: measured,
            LoadCPUTotal: Math.round(load * 10) / 10,
            PowerCPUPackage: Math.round((heavy ? 110 + random() * 20 : 12 + random() * 6) * 10) /
              10,
            ClockCPUCoreOne: heavy ? 4200 + Math.round(random() * 100) : 2000,
          } satisfies PcReading,
        );
      }
    }
  });
  return readings.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
}

/** A small seeded PRNG (mulberry32): the same stream for the same seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
