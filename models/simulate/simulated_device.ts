import type { Profile } from "../../shared/reading/mod.ts";
import { DEFAULT_HOT_LIMIT_C } from "../../shared/scoring/stressed.ts";
import { createPrng, deriveSeed, type Prng } from "./prng.ts";
import { createWorkload, type Workload } from "./workload.ts";

/** The physical make-up of one simulated device, drawn from its seed. */
export interface DeviceParams {
  ambientC: number;
  idlePowerW: number;
  maxPowerW: number;
  /** Die above heat sink at steady state, °C per W. */
  dieCPerW: number;
  /** Die (and package) time constant, s: seconds, the fast node. */
  dieTauS: number;
  /** Heat sink above ambient at steady state with the fan at full speed, °C per W. */
  sinkCPerW: number;
  /** Heat sink time constant with the fan at full speed, s: minutes, the slow node. */
  sinkTauS: number;
  /**
   * Fan curve (pc): the fan's share of full speed goes from `fanMinShare` at
   * `fanStartC` to 1 at `fanFullC` (die temperature); 0 for passive cooling.
   */
  fanMinShare: number;
  fanStartC: number;
  fanFullC: number;
  maxClockMhz: number;
  /**
   * The temperature the firmware holds by capping the clock, °C: a PC's
   * TjMax (95-100 °C, above the 90 °C hot limit, as on real CPUs); a Pi's
   * firmware keeps it near 82 °C, between its 80 °C soft limit and 85 °C.
   */
  throttleAtC: number;
  /** Work intensity, 0 to 1. */
  intensity: number;
  /** pc: whether RAPL power is readable. */
  hasPowerSensor: boolean;
  /** raspberry: a weak power supply (or thin cable) that sags under load. */
  weakSupply: boolean;
  /** raspberry: the supply's voltage without load, V. */
  supplyV: number;
  /** raspberry: supply and cable resistance, Ω: the input sags by this × current. */
  supplyOhm: number;
  /** raspberry: what USB devices and the rest of the board draw beyond the SoC, W. */
  peripheralW: number;
}

/** A Pi 4 flags under-voltage below this input voltage, V. */
export const UNDER_VOLTAGE_V = 4.63;

export interface DeviceSpec {
  name: string;
  profile: Profile;
  seed: number;
}

/** One simulated second at a time; `values()` reads the sensors like a real agent would. */
export interface SimulatedDevice {
  readonly spec: DeviceSpec;
  readonly params: DeviceParams;
  readonly workload: Workload;
  /** Advances the physics by whole seconds. */
  advance(seconds: number): void;
  /** Sensor values now, with noise, by reading field; missing sensors are null. */
  values(): Record<string, number | string | boolean | null>;
}

/** Draws a device's parameters; `demo` makes a poorly cooled one that heats up within minutes. */
export function drawParams(profile: Profile, rng: Prng, demo = false): DeviceParams {
  const pc = profile === "pc";
  const ambientC = rng.uniform(20, pc ? 30 : 35);
  const idlePowerW = pc ? rng.uniform(6, 18) : rng.uniform(2.5, 3.5);
  const maxPowerW = pc ? rng.uniform(65, 140) : rng.uniform(6, 8);
  const dieCPerW = pc ? rng.uniform(12, 22) / maxPowerW : rng.uniform(1, 1.6);
  // The die temperature a sustained full load would reach without throttling.
  const fullLoadC = demo ? (pc ? 112 : 100) : pc ? rng.uniform(72, 112) : rng.uniform(62, 96);
  const sinkCPerW = Math.max(0.05, (fullLoadC - ambientC) / maxPowerW - dieCPerW);
  const weakSupply = !pc && !demo && rng.chance(0.3);
  return {
    ambientC,
    idlePowerW,
    maxPowerW,
    dieCPerW,
    dieTauS: pc ? rng.uniform(3, 15) : rng.uniform(5, 20),
    sinkCPerW,
    sinkTauS: demo ? 60 : pc ? rng.uniform(60, 240) : rng.uniform(90, 300),
    fanMinShare: pc ? rng.uniform(0.25, 0.45) : 0,
    fanStartC: pc ? rng.uniform(45, 60) : 0,
    fanFullC: pc ? rng.uniform(75, 85) : 0,
    maxClockMhz: pc ? Math.round(rng.uniform(3000, 4800) / 100) * 100 : 1500,
    throttleAtC: pc ? Math.round(rng.uniform(95, 100)) : DEFAULT_HOT_LIMIT_C.raspberry + 2,
    intensity: demo ? 0.9 : rng.uniform(0.1, 0.9),
    hasPowerSensor: !pc || demo || rng.chance(0.8),
    weakSupply,
    // A phone charger and a thin cable, or the official 5.1 V supply and its cable.
    supplyV: weakSupply ? rng.uniform(5, 5.15) : rng.uniform(5.1, 5.25),
    supplyOhm: weakSupply ? rng.uniform(0.1, 0.3) : rng.uniform(0.04, 0.1),
    peripheralW: pc ? 0 : rng.uniform(0, 1.2),
  };
}

/**
 * A device with two-node thermal dynamics: the heat sink follows
 * `ambient + R_sink(fan) × power` with a time constant of minutes, the die
 * follows `sink + dieCPerW × power` with one of seconds. A PC's fan speeds up
 * with the die temperature, which lowers the sink's resistance (and its time
 * constant, the heat capacity being the same). At its throttle temperature the
 * firmware caps the clock (and so power) to hold the temperature there. A
 * Pi's input voltage sags by the supply's resistance × its current; below
 * {@linkcode UNDER_VOLTAGE_V} the firmware flags under-voltage and caps the
 * ARM clock at 600 MHz for a few seconds.
 */
export function createSimulatedDevice(
  spec: DeviceSpec,
  options: { demo?: boolean } = {},
): SimulatedDevice {
  const rng = createPrng(deriveSeed(spec.seed, spec.name));
  const params = drawParams(spec.profile, rng, options.demo);
  const p = params;
  const pc = spec.profile === "pc";
  // A demo device starts working at once, so a new user sees it heat up within minutes.
  const workload = createWorkload(
    { intensity: p.intensity },
    rng,
    options.demo ? "sustained" : "idle",
  );
  let fan = p.fanMinShare > 0 ? p.fanMinShare : 1;
  // Forced convection: the sink's resistance grows about as 1 / sqrt(airflow).
  const sinkCPerW = () => p.sinkCPerW / Math.sqrt(fan);
  let sinkC = p.ambientC + sinkCPerW() * p.idlePowerW;
  let dieC = sinkC + p.dieCPerW * p.idlePowerW;
  let load = 0.03;
  let cap = 1; // clock cap from throttling, 0.3..1
  let throttledSinceRead = false; // a pc's thermal_throttle counters rose since the last reading
  let power = p.idlePowerW;
  let loadAvg = 0.1;
  let underVoltageLeft = 0;
  let sticky = 0;
  let uptime = Math.round(rng.uniform(600, 86_400));

  const clockShare = () =>
    (pc ? 0.35 + 0.65 * Math.min(1, load * 2) : load > 0.25 ? 1 : 0.4) * cap *
    (underVoltageLeft > 0 ? 0.4 : 1);

  function step(): void {
    load = workload.step();
    const share = clockShare();
    power = p.idlePowerW + (p.maxPowerW - p.idlePowerW) * load * share ** 1.5;
    const r = sinkCPerW();
    sinkC += ((p.ambientC + r * power) - sinkC) / (p.sinkTauS * (r / p.sinkCPerW));
    dieC += ((sinkC + p.dieCPerW * power) - dieC) * (1 - Math.exp(-1 / p.dieTauS));
    if (p.fanMinShare > 0) {
      const want = p.fanMinShare + (1 - p.fanMinShare) *
          Math.min(1, Math.max(0, (dieC - p.fanStartC) / (p.fanFullC - p.fanStartC)));
      fan += (want - fan) / 3; // the fan controller smooths over a few seconds
    }
    if (dieC > p.throttleAtC + 1) {
      cap = Math.max(0.3, cap - 0.08);
      throttledSinceRead = true;
    } else if (dieC < p.throttleAtC - 2) cap = Math.min(1, cap + 0.02);
    loadAvg += (load * 4 - loadAvg) / 60;
    uptime++;
    if (underVoltageLeft > 0) underVoltageLeft--;
    else if (!pc) {
      // The input sags by the supply's resistance × the board's current (about power / 5 V),
      // with a little ripple and current transients on top.
      const volts = p.supplyV - p.supplyOhm * (power + p.peripheralW) / 5 + rng.normal(0, 0.015);
      if (volts < UNDER_VOLTAGE_V) underVoltageLeft = rng.int(2, 6);
    }
  }

  function throttledBits(): number {
    const die = dieC;
    let now = 0;
    if (underVoltageLeft > 0) now |= 0b0011;
    if (cap < 1) now |= 0b0010;
    // Pi firmware: soft limit from 80 °C (bit 3), throttled from 85 °C (bit 2).
    if (die >= DEFAULT_HOT_LIMIT_C.raspberry + 5) now |= 0b0100;
    if (die >= DEFAULT_HOT_LIMIT_C.raspberry) now |= 0b1000;
    sticky |= now << 16;
    return now | sticky;
  }

  const noisy = (value: number, sd: number, digits = 1) => {
    const f = 10 ** digits;
    return Math.round(rng.normal(value, sd) * f) / f;
  };
  const temp = (value: number) => Math.min(150, Math.max(-40, noisy(value, 0.4)));
  // A stream of its own, so adding this sensor left every other value of a seed as it was.
  const loadNoise = createPrng(deriveSeed(spec.seed, "cpu-load"));
  const cpuLoad = () =>
    Math.round(Math.min(100, Math.max(0, loadNoise.normal(load * 100, 1.5))) * 10) / 10;

  return {
    spec,
    params,
    workload,
    advance(seconds) {
      for (let i = 0; i < seconds; i++) step();
    },
    values(): Record<string, number | string | boolean | null> {
      const share = clockShare();
      if (pc) {
        const throttled = throttledSinceRead;
        throttledSinceRead = false;
        return {
          TemperatureCPUPackage: temp(dieC),
          LoadCPUTotal: Math.min(100, Math.max(0, noisy(load * 100, 1.5))),
          PowerCPUPackage: p.hasPowerSensor ? Math.max(0, noisy(power, 0.8, 2)) : null,
          ClockCPUCoreOne: Math.max(0, Math.round(rng.normal(share * p.maxClockMhz, 25))),
          cpu_clock_max_mhz: p.maxClockMhz,
          cpu_throttled: throttled,
          TemperatureGPUCore: null,
          LoadGPUCore: null,
          load_average_1m: Math.round(loadAvg * 100) / 100,
          uptime_s: uptime,
        };
      }
      const bits = throttledBits();
      const arm = Math.round(share * p.maxClockMhz) * 1_000_000;
      return {
        CPU_temp_celsius: temp(dieC),
        GPU_temp_celsius: temp(dieC - 0.5),
        frequency_arm_hz: underVoltageLeft > 0 ? 600_000_000 : arm,
        frequency_core_hz: load > 0.25 ? 500_000_000 : 250_000_000,
        voltage_core_v: noisy(0.82 + 0.07 * (arm / 1.5e9), 0.003, 4),
        voltage_sdram_c_v: 1.1,
        voltage_sdram_i_v: 1.1,
        voltage_sdram_p_v: 1.1,
        memory_arm_bytes: 1_006_632_960,
        memory_gpu_bytes: 67_108_864,
        throttled: `0x${bits.toString(16)}`,
        cpu_load_percent: cpuLoad(),
        load_average_1m: Math.round(loadAvg * 100) / 100,
        uptime_s: uptime,
      };
    },
  };
}
