import type { PcReading, RaspberryReading, Reading } from "../../shared/reading/mod.ts";
import { createPrng, deriveSeed } from "../simulate/prng.ts";

/**
 * Four real heat-ups that the issue describes as the ones the models got
 * wrong, rebuilt as readings from what it says about them (the recordings
 * themselves are not public). Each is a recording as `deno task evaluate
 * --traces` reads one: a device, its hot limit and its readings, with a few
 * quiet minutes before the heat-up (windows need history) and a cool-down
 * after. `seed` varies the noise and the timing, not the story.
 *
 * Used by `deno task evaluate --hard-cases` and by tests.
 */
export interface HardCase {
  device: string;
  profile: Reading["profile"];
  hotLimitC: number;
  hardware: string;
  readings: Reading[];
}

const START = "2026-02-01T10:00:00.000Z";

/** A pc reading at the start of a case, as an agent sends it; override any field. */
function aPcReading(overrides: Partial<PcReading> & { device: string }): PcReading {
  return {
    schema_version: 1,
    profile: "pc",
    uuid: uuidOf(overrides.device, 0),
    timestamp: START,
    loading_datetime: START.slice(0, 19).replace("T", "@"),
    ClockCPUCoreOne: 3400,
    TemperatureCPUPackage: 55,
    LoadCPUTotal: 20,
    PowerCPUPackage: 35.5,
    ...overrides,
  };
}

/** A Raspberry Pi reading at the start of a case, as an agent sends it; override any field. */
function aRaspberryReading(
  overrides: Partial<RaspberryReading> & { device: string },
): RaspberryReading {
  return {
    schema_version: 1,
    profile: "raspberry",
    uuid: uuidOf(overrides.device, 0),
    timestamp: START,
    loading_datetime: START.slice(0, 19).replace("T", "@"),
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

/** The reading `seconds` after `first`, with its own uuid and both time stamps moved. */
function later<T extends PcReading | RaspberryReading>(
  first: T,
  seconds: number,
  overrides: Partial<T> = {},
): T {
  const time = new Date(Date.parse(first.timestamp) + seconds * 1000);
  return {
    ...first,
    uuid: uuidOf(first.device, seconds),
    timestamp: time.toISOString(),
    loading_datetime: time.toISOString().slice(0, 19).replace("T", "@"),
    ...overrides,
  };
}

/** A uuid of its own per device and second of the case, the same on every run. */
function uuidOf(device: string, seconds: number): string {
  const d = (deriveSeed(0, device) >>> 0).toString(16).padStart(8, "0");
  return `${d}-0000-4000-8000-${String(Math.round(seconds * 1000)).padStart(12, "0")}`;
}

/**
 * A Raspberry Pi 4 at 1.8 GHz with a core voltage of 0.946 V, heating from
 * 47 to 82 °C over 8 minutes under load, readings 18-40 s apart (an old
 * recorder), no CPU load and no throttled value in its readings. Idle, it
 * runs at 600 MHz and 0.85 V. Hot limit 80 °C.
 */
export function aPi4At0946V(options: { seed?: number; device?: string } = {}): HardCase {
  const seed = options.seed ?? 1;
  const device = options.device ?? `pi4-0946v-${seed}`;
  const rng = createPrng(deriveSeed(seed, device));
  const first = aRaspberryReading({
    device,
    timestamp: START,
    loading_datetime: START.slice(0, 19).replace("T", "@"),
  });
  const loadStartS = 240, loadEndS = 240 + 540;
  // Under load 47 + 48 (1 - e^(-t/368 s)): 82 °C at 8 minutes, where the firmware holds it.
  const heated = (t: number) => Math.min(82.5, 47 + 48 * (1 - Math.exp(-t / 368)));
  const readings: RaspberryReading[] = [];
  let t = 0;
  while (t < loadEndS + 420) {
    const busy = t >= loadStartS && t < loadEndS;
    const temp = t < loadStartS
      ? 47
      : busy
      ? heated(t - loadStartS)
      : 47 + (heated(loadEndS - loadStartS) - 47) * Math.exp(-(t - loadEndS) / 200);
    readings.push(later(first, t, {
      CPU_temp_celsius: round(temp + rng.normal(0, 0.3), 1),
      GPU_temp_celsius: round(temp - 0.5 + rng.normal(0, 0.3), 1),
      frequency_arm_hz: busy ? 1_800_000_000 : 600_000_000,
      frequency_core_hz: busy ? 500_000_000 : 250_000_000,
      voltage_core_v: busy ? 0.946 : 0.8475,
      throttled: null,
      cpu_load_percent: null,
      load_average_1m: null,
    }));
    t += rng.int(18, 40);
  }
  return {
    device,
    profile: "raspberry",
    hotLimitC: 80,
    hardware: "Raspberry Pi 4B at 1.8 GHz, core voltage 0.946 V, readings 18-40 s apart",
    readings,
  };
}

/**
 * A gaming PC (Intel, TjMax 100 °C) whose package temperature, read as whole
 * degrees, jumps by up to ±10 °C between readings 5 s apart: the game's load
 * swings the power between about 60 and 170 W second by second, and a die
 * follows its power within seconds. Under a cooler that cannot hold the game,
 * the die touches 100 °C between readings long before a reading shows it, and
 * the CPU reports thermal throttling (`cpu_throttled`) in many readings that
 * read 90-99 °C. Hot limit 100 °C.
 */
export function aJumpyGamingPc(options: { seed?: number; device?: string } = {}): HardCase {
  const seed = options.seed ?? 1;
  const device = options.device ?? `gaming-pc-${seed}`;
  const rng = createPrng(deriveSeed(seed, device));
  const gameStartS = 180, gameEndS = 180 + 780, endS = gameEndS + 300;
  const ambient = 26, sinkCPerW = 0.45, sinkTauS = 150, dieCPerW = 0.22, tjMax = 100;
  let sink = ambient + sinkCPerW * 15, power = 15, cap = 1, throttled = false;
  let die = sink + dieCPerW * power;
  const first = aPcReading({ device, timestamp: START });
  const readings: PcReading[] = [];
  let load = 3;
  for (let s = 0; s < endS; s++) {
    const gaming = s >= gameStartS && s < gameEndS;
    if (gaming) {
      // A game's load swings within seconds: scenes, loading, shader compiles.
      load = Math.min(100, Math.max(30, load + rng.normal(0, 22) + (70 - load) * 0.3));
      power = (20 + 1.5 * load) * cap + rng.normal(0, 8);
    } else {
      load = Math.max(1, Math.min(8, load * 0.5 + rng.uniform(1, 5)));
      power = 12 + 0.3 * load;
    }
    sink += (ambient + sinkCPerW * power - sink) / sinkTauS;
    die += (sink + dieCPerW * power - die) * (1 - Math.exp(-1 / 2));
    if (die > tjMax) {
      throttled = true;
      cap = Math.max(0.5, cap - 0.05);
    } else if (die < tjMax - 4) cap = Math.min(1, cap + 0.02);
    if (s % 5 === 4) {
      readings.push(later(first, s, {
        TemperatureCPUPackage: Math.round(Math.min(die, tjMax + 1)),
        LoadCPUTotal: round(load, 1),
        PowerCPUPackage: round(Math.max(5, power), 1),
        ClockCPUCoreOne: Math.round(gaming ? 4700 * cap : 1200),
        cpu_clock_max_mhz: 4700,
        cpu_throttled: throttled,
      }));
      throttled = false;
    }
  }
  return {
    device,
    profile: "pc",
    hotLimitC: tjMax,
    hardware:
      "gaming desktop, Intel (TjMax 100 °C), whole-degree package sensor jumping ±10 °C between readings",
    readings,
  };
}

/**
 * A desktop (AMD, hot limit 90 °C, no throttle counters) running a benchmark
 * in a loop: 55 s at 138 W, then a 5-s pause at 20 W that one reading in
 * every minute falls into. The die follows its power within seconds, so it
 * drops about 10 °C in each pause and comes back, while the cooler warms
 * toward the limit over a few minutes. Hot limit 90 °C.
 */
export function aBenchmarkWithPauses(options: { seed?: number; device?: string } = {}): HardCase {
  const seed = options.seed ?? 1;
  const device = options.device ?? `bench-pauses-${seed}`;
  const rng = createPrng(deriveSeed(seed, device));
  const benchStartS = 180, benchEndS = 180 + 600, endS = benchEndS + 300, limit = 90;
  const ambient = rng.uniform(24, 27), sinkCPerW = 0.43, sinkTauS = 180, dieCPerW = 0.12;
  let sink = ambient + sinkCPerW * 20, power = 20, cap = 1;
  let die = sink + dieCPerW * power;
  const first = aPcReading({ device, timestamp: START });
  const readings: PcReading[] = [];
  // The pause sits where one reading (every 5 s, at s % 5 === 4) falls into it.
  const offset = rng.int(0, 11) * 5;
  for (let s = 0; s < endS; s++) {
    const inBench = s >= benchStartS && s < benchEndS;
    const pausing = inBench && (s - benchStartS + offset) % 60 >= 55;
    const running = inBench && !pausing;
    power = running ? 138 * cap + rng.normal(0, 2) : 20 + rng.normal(0, 1);
    sink += (ambient + sinkCPerW * power - sink) / sinkTauS;
    die += (sink + dieCPerW * power - die) * (1 - Math.exp(-1 / 4));
    if (die > limit + 5) cap = Math.max(0.6, cap - 0.05);
    if (s % 5 === 4) {
      readings.push(later(first, s, {
        TemperatureCPUPackage: round(die + rng.normal(0, 0.3), 1),
        LoadCPUTotal: running ? round(99 + rng.uniform(0, 1), 1) : round(rng.uniform(1, 4), 1),
        PowerCPUPackage: round(power, 1),
        ClockCPUCoreOne: Math.round(running ? 4200 * cap : 3000 + rng.uniform(0, 600)),
        cpu_clock_max_mhz: 4950,
        cpu_throttled: null,
      }));
    }
  }
  return {
    device,
    profile: "pc",
    hotLimitC: limit,
    hardware: "desktop, AMD (hot limit 90 °C), a benchmark in a loop with a 5-s pause each minute",
    readings,
  };
}

/**
 * A Raspberry Pi 3B+ (1.4 GHz, core voltage about 1.35 V) under full load
 * creeping about 1 °C per minute toward its 60 °C soft limit, where its
 * firmware sets the soft-limit bit and drops the clock to 1.2 GHz. The
 * BCM2837B0's sensor reads in steps of about 0.54 °C. Hot limit 60 °C.
 */
export function aPi3BPlusCreeping(options: { seed?: number; device?: string } = {}): HardCase {
  const seed = options.seed ?? 1;
  const device = options.device ?? `pi3bplus-creep-${seed}`;
  const rng = createPrng(deriveSeed(seed, device));
  const limit = 60, loadStartS = 180, endS = 180 + 1200 + 300;
  const rate = rng.uniform(0.8, 1.2) / 60; // °C per s
  const first = aRaspberryReading({ device, timestamp: START });
  const readings: RaspberryReading[] = [];
  let temp = 45, occurred = 0;
  for (let s = 4; s < endS; s += 5) {
    const busy = s >= loadStartS && s < endS - 300;
    if (busy && temp < 48) temp += (48.5 - temp) * 0.3; // the jump as the load starts
    else if (busy) temp = Math.min(limit + 1, temp + rate * 5 * (temp < limit ? 1 : 0.2));
    else if (s >= loadStartS) temp = Math.max(45, temp - 0.6);
    const read = step(temp + rng.normal(0, 0.25), 0.538);
    const soft = read >= limit;
    if (soft) occurred = 0x80000;
    readings.push(later(first, s, {
      CPU_temp_celsius: read,
      GPU_temp_celsius: read,
      frequency_arm_hz: busy ? (soft ? 1_200_000_000 : 1_400_000_000) : 600_000_000,
      frequency_core_hz: busy ? 400_000_000 : 250_000_000,
      voltage_core_v: busy ? (soft ? 1.2875 : 1.35) : 1.2,
      throttled: `0x${(occurred | (soft ? 0x8 : 0)).toString(16)}`,
      cpu_load_percent: busy ? round(98 + rng.uniform(0, 2), 1) : round(rng.uniform(1, 5), 1),
      load_average_1m: busy ? 4 : 0.3,
    }));
  }
  return {
    device,
    profile: "raspberry",
    hotLimitC: limit,
    hardware: "Raspberry Pi 3B+ (1.4 GHz), 60 °C soft limit, creeping about 1 °C/min",
    readings,
  };
}

/** The four cases, `variants` of each (seeds 1, 2, ...). */
export function hardCases(variants = 3): HardCase[] {
  const seeds = Array.from({ length: variants }, (_, i) => i + 1);
  return [aPi4At0946V, aJumpyGamingPc, aBenchmarkWithPauses, aPi3BPlusCreeping].flatMap((make) =>
    seeds.map((seed) => make({ seed }))
  );
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
/** A sensor that reads in steps of `size`, shown to 0.1 °C. */
const step = (v: number, size: number) => round(Math.round(v / size) * size, 1);
