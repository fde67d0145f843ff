import {
  loadingDatetimeFrom,
  type Profile,
  type Reading,
  SCHEMA_VERSION,
} from "../../shared/reading/mod.ts";
import { createPrng, deriveSeed } from "./prng.ts";
import { createSimulatedDevice, type DeviceSpec } from "./simulated_device.ts";

export interface FleetOptions {
  /** Number of devices, alternately pc and raspberry. */
  devices: number;
  seed: number;
  /** Device names are `<prefix>-pc-<n>` and `<prefix>-pi-<n>`. Default "sim". */
  prefix?: string;
  /** Profiles to draw; both by default. */
  profiles?: readonly Profile[];
}

export interface TraceOptions {
  /** First reading's time, ms. Default 2026-01-01T00:00:00Z. */
  start?: number;
  hours: number;
  /** Seconds between readings. Default 5. */
  intervalS?: number;
  /** Chance that one sample is lost. Default 0.005. */
  missRate?: number;
  /** Chance per reading that an outage (agent or network down, 30-180 s) starts. Default 1/8000. */
  outageRate?: number;
  /**
   * Every device on the `intervalS` rhythm. By default some are not, as real
   * recorders are not: 12 % read every 4-7 s (a 1-2 s recorder resampled to 5
   * s), 8 % every 15-40 s (an old or busy recorder).
   */
  regularTiming?: boolean;
}

/** How a device's readings are spaced: each gap in [min, max] s. */
export function timingOf(
  spec: DeviceSpec,
  options: Pick<TraceOptions, "intervalS" | "regularTiming">,
): { minS: number; maxS: number } {
  const intervalS = options.intervalS ?? 5;
  if (options.regularTiming) return { minS: intervalS, maxS: intervalS };
  const u = createPrng(deriveSeed(spec.seed, "timing")).next();
  if (u < 0.08) return { minS: 15, maxS: 40 };
  if (u < 0.2) return { minS: Math.max(1, intervalS - 1), maxS: intervalS + 2 };
  return { minS: intervalS, maxS: intervalS };
}

export const SIMULATION_START = Date.parse("2026-01-01T00:00:00.000Z");

/** The devices of a fleet: names, profiles and seeds. */
export function fleet(options: FleetOptions): DeviceSpec[] {
  const { devices, seed } = options;
  if (!Number.isInteger(devices) || devices < 1 || devices > 10_000) {
    throw new RangeError(
      `Cannot simulate: 'devices' must be an integer from 1 to 10000, got ${devices}`,
    );
  }
  const prefix = options.prefix ?? "sim";
  const profiles = options.profiles ?? ["pc", "raspberry"];
  return Array.from({ length: devices }, (_, i) => {
    const profile = profiles[i % profiles.length]!;
    const n = Math.floor(i / profiles.length) + 1;
    const name = `${prefix}-${profile === "pc" ? "pc" : "pi"}-${n}`;
    return { name, profile, seed: deriveSeed(seed, name) };
  });
}

/**
 * One device's readings, oldest first: a reading every `intervalS` seconds,
 * minus lost samples and outages. Every reading is valid for `parseReading`
 * and marked `simulated: true`. Deterministic from the spec's seed.
 */
export function* simulateDevice(spec: DeviceSpec, options: TraceOptions): Generator<Reading> {
  const intervalS = options.intervalS ?? 5;
  if (!(options.hours > 0 && options.hours <= 24 * 366)) {
    throw new RangeError(`Cannot simulate: 'hours' must be in (0, 8784], got ${options.hours}`);
  }
  if (!Number.isInteger(intervalS) || intervalS < 1) {
    throw new RangeError(
      `Cannot simulate: 'intervalS' must be a whole number of seconds >= 1, got ${intervalS}`,
    );
  }
  const start = options.start ?? SIMULATION_START;
  const device = createSimulatedDevice(spec);
  const losses = createPrng(deriveSeed(spec.seed, "losses"));
  const timing = timingOf(spec, options);
  const gaps = createPrng(deriveSeed(spec.seed, "gaps"));
  const missRate = options.missRate ?? 0.005;
  const outageRate = options.outageRate ?? 1 / 8000;
  const endS = options.hours * 3600;
  let outageLeftS = 0;
  let i = 0;
  for (let t = 0;;) {
    const gap = timing.minS === timing.maxS ? timing.minS : gaps.int(timing.minS, timing.maxS);
    if (t + gap > endS) break;
    device.advance(gap);
    t += gap;
    const index = i++;
    if (outageLeftS > 0) {
      outageLeftS -= gap;
      continue;
    }
    if (losses.chance(outageRate)) {
      outageLeftS = losses.uniform(30, 180);
      continue;
    }
    if (losses.chance(missRate)) continue;
    yield simulatedReading(spec, start + (t - intervalS) * 1000, device.values(), index);
  }
}

/** A reading of the contract from simulated sensor values. */
export function simulatedReading(
  spec: DeviceSpec,
  time: number,
  values: Record<string, number | string | boolean | null>,
  index: number,
): Reading {
  const date = new Date(time);
  return {
    schema_version: SCHEMA_VERSION,
    profile: spec.profile,
    uuid: `${spec.name.slice(0, 40)}-${spec.seed.toString(36)}-${index}`,
    device: spec.name,
    timestamp: date.toISOString(),
    loading_datetime: loadingDatetimeFrom(date),
    simulated: true,
    ...values,
  } as Reading;
}
