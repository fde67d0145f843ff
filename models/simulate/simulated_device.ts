import type { Profile } from "../../shared/reading/mod.ts";
import { createPrng, deriveSeed, type Prng } from "./prng.ts";
import { createWorkload, type Workload } from "./workload.ts";
import { type DeviceKind, PC_KINDS, PI_KINDS, pickKind } from "./device_catalogue.ts";

/** The physical make-up of one simulated device, drawn from its seed. */
export interface DeviceParams {
  /** Which kind of device it is (see device_catalogue.ts). */
  kind: string;
  hardware: string;
  /** The hot limit its owner configures (`HOT_LIMITS`), °C as reported. */
  hotLimitC: number;
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
  idleClockMhz: number;
  /** Pi: core voltage at idle and at the highest clock, V. */
  coreIdleV: number;
  coreMaxV: number;
  /**
   * The temperature (as reported) the firmware holds by capping the clock,
   * °C: a PC's TjMax, a Pi's 80-85 °C.
   */
  throttleAtC: number;
  /** Pi 3B+: from this temperature the clock drops to `softClockMhz` (bit 3). */
  softLimitC: number | null;
  softClockMhz: number | null;
  /** Reported temperature = die + this (AMD Tctl offset). */
  tctlOffsetC: number;
  sensorStepC: number;
  /** pc: thermal_throttle counters (Intel): `cpu_throttled` is reported; null otherwise. */
  throttleCounters: boolean;
  /** pc: the power swings second by second under load, and the package sensor with it. */
  jumpy: boolean;
  /** Work intensity, 0 to 1. */
  intensity: number;
  gameShare: number;
  benchmarkShare: number;
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

/** A Pi flags under-voltage below this input voltage, V. */
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

/** The demo devices of `deno task start --simulate`: poorly cooled, busy at once. */
const DEMO_KIND: Record<Profile, string> = { pc: "desktop-intel-65", raspberry: "pi4b-1.5" };

/** Draws a device's parameters; `demo` makes a poorly cooled one that heats up within minutes. */
export function drawParams(profile: Profile, rng: Prng, demo = false): DeviceParams {
  const pc = profile === "pc";
  const kinds = pc ? PC_KINDS : PI_KINDS;
  const u = rng.next();
  const kind: DeviceKind = demo
    ? kinds.find((k) => k.kind === DEMO_KIND[profile])!
    : pickKind(kinds, u);
  const draw = ([lo, hi]: readonly [number, number]) => rng.uniform(lo, hi);
  const ambientC = rng.uniform(20, pc ? 30 : 35);
  const idlePowerW = draw(kind.idlePowerW);
  const maxPowerW = demo ? (pc ? 120 : 7) : draw(kind.maxPowerW);
  const dieRiseC = draw(kind.dieRiseC);
  const dieCPerW = dieRiseC / maxPowerW;
  // The die temperature (as reported) a sustained full load would reach without throttling.
  const fullLoadC = demo ? kind.hotLimitC + (pc ? 22 : 20) : draw(kind.fullLoadC);
  const die = fullLoadC - kind.tctlOffsetC;
  const sinkCPerW = Math.max(0.02, (die - ambientC) / maxPowerW - dieCPerW);
  const fanless = pc && rng.chance(kind.fanlessShare);
  const weakSupply = !pc && !demo && rng.chance(0.3);
  const jumpy = pc && !demo && rng.chance(kind.jumpyShare);
  const maxClockMhz = Math.round(draw(kind.maxClockMhz) / 100) * 100;
  const coreV = kind.coreV ?? [0, 0];
  return {
    kind: kind.kind,
    hardware: kind.hardware,
    hotLimitC: kind.hotLimitC,
    ambientC,
    idlePowerW,
    maxPowerW,
    dieCPerW,
    // A jumpy package follows its power within a second or two.
    dieTauS: jumpy ? rng.uniform(1, 3) : draw(kind.dieTauS),
    sinkCPerW,
    sinkTauS: demo ? 60 : draw(kind.sinkTauS),
    fanMinShare: pc && !fanless ? rng.uniform(0.25, 0.45) : 0,
    fanStartC: pc ? rng.uniform(45, 60) + kind.tctlOffsetC : 0,
    fanFullC: pc ? rng.uniform(75, 85) + kind.tctlOffsetC : 0,
    maxClockMhz,
    idleClockMhz: kind.idleClockMhz,
    coreIdleV: coreV[0],
    coreMaxV: coreV[1],
    throttleAtC: kind.throttleAtC,
    softLimitC: kind.softLimitC ?? null,
    softClockMhz: kind.softClockMhz ?? null,
    tctlOffsetC: kind.tctlOffsetC,
    sensorStepC: !pc && rng.chance(0.2) ? 1 : kind.sensorStepC, // some Pi recorders log whole degrees
    throttleCounters: kind.throttleCounters,
    jumpy,
    intensity: demo ? 0.9 : rng.uniform(0.1, 0.9),
    // A quarter of PCs are played on; a few devices of either kind run benchmarks in loops.
    gameShare: pc && rng.chance(0.25) ? rng.uniform(0.3, 0.7) : 0,
    benchmarkShare: rng.chance(0.15) ? rng.uniform(0.2, 0.5) : 0,
    hasPowerSensor: !pc || demo || rng.chance(0.8),
    weakSupply,
    // A phone charger and a thin cable, or the official supply and its cable.
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
 * firmware caps the clock (and so power) to hold the temperature there; a Pi
 * 3B+ also lowers its clock at its 60 °C soft limit. A Pi's input voltage
 * sags by the supply's resistance × its current; below
 * {@linkcode UNDER_VOLTAGE_V} the firmware flags under-voltage and caps the
 * ARM clock at 600 MHz for a few seconds. A jumpy PC's power swings second by
 * second under load (a game, boost bursts), and its die with it.
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
    { intensity: p.intensity, gameShare: p.gameShare, benchmarkShare: p.benchmarkShare },
    rng,
    options.demo ? "sustained" : "idle",
  );
  // Swings of a jumpy device's power, from a stream of their own.
  const swings = createPrng(deriveSeed(spec.seed, "power-swings"));
  let fan = p.fanMinShare > 0 ? p.fanMinShare : 1;
  // Forced convection: the sink's resistance grows about as 1 / sqrt(airflow).
  const sinkCPerW = () => p.sinkCPerW / Math.sqrt(fan);
  let sinkC = p.ambientC + sinkCPerW() * p.idlePowerW;
  let dieC = sinkC + p.dieCPerW * p.idlePowerW;
  let load = 0.03;
  let cap = 1; // clock cap from throttling, 0.3..1
  let soft = false; // a Pi 3B+ past its soft limit
  let throttledSinceRead = false; // a pc's thermal_throttle counters rose since the last reading
  let power = p.idlePowerW;
  let loadAvg = 0.1;
  let underVoltageLeft = 0;
  let sticky = 0;
  let uptime = Math.round(rng.uniform(600, 86_400));
  const idleShare = p.idleClockMhz / p.maxClockMhz;
  const reported = () => dieC + p.tctlOffsetC;

  const clockShare = () => {
    const busy = pc
      ? idleShare + (1 - idleShare) * Math.min(1, load * 2)
      : load > 0.25
      ? 1
      : idleShare;
    const softCap = soft && p.softClockMhz ? p.softClockMhz / p.maxClockMhz : 1;
    return Math.min(busy * cap, softCap) * (underVoltageLeft > 0 ? 600 / p.maxClockMhz : 1);
  };

  function step(): void {
    load = workload.step();
    const share = clockShare();
    power = p.idlePowerW + (p.maxPowerW - p.idlePowerW) * load * share ** 1.5;
    if (p.jumpy && load > 0.3) power *= Math.min(1.7, Math.max(0.4, 1 + swings.normal(0, 0.3)));
    const r = sinkCPerW();
    sinkC += ((p.ambientC + r * power) - sinkC) / (p.sinkTauS * (r / p.sinkCPerW));
    dieC += ((sinkC + p.dieCPerW * power) - dieC) * (1 - Math.exp(-1 / p.dieTauS));
    if (p.fanMinShare > 0) {
      const want = p.fanMinShare + (1 - p.fanMinShare) *
          Math.min(1, Math.max(0, (reported() - p.fanStartC) / (p.fanFullC - p.fanStartC)));
      fan += (want - fan) / 3; // the fan controller smooths over a few seconds
    }
    // The firmware holds the temperature at its throttle point, as real CPUs read TjMax steadily
    // while they throttle (not a saw-tooth below it).
    if (reported() > p.throttleAtC) throttledSinceRead = true;
    if (reported() > p.throttleAtC + 1.5) cap = Math.max(0.3, cap - 0.08);
    else if (reported() < p.throttleAtC + 0.5) cap = Math.min(1, cap + 0.02);
    if (p.softLimitC !== null) {
      if (reported() >= p.softLimitC) soft = true;
      else if (reported() < p.softLimitC - 2) soft = false;
    }
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
    const temp = reported();
    let now = 0;
    if (underVoltageLeft > 0) now |= 0b0011;
    if (cap < 1 || soft) now |= 0b0010;
    // Firmware: the soft limit (bit 3) from the hot limit, throttled (bit 2) 5 °C above it.
    if (temp >= p.hotLimitC + 5) now |= 0b0100;
    if (temp >= p.hotLimitC || soft) now |= 0b1000;
    sticky |= now << 16;
    return now | sticky;
  }

  const noisy = (value: number, sd: number, digits = 1) => {
    const f = 10 ** digits;
    return Math.round(rng.normal(value, sd) * f) / f;
  };
  // The sensor's own noise, then its resolution (Intel coretemp reads whole degrees).
  const temp = (value: number) => {
    const read = Math.min(150, Math.max(-40, rng.normal(value, 0.4)));
    return Math.round(Math.round(read / p.sensorStepC) * p.sensorStepC * 1000) / 1000;
  };
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
          TemperatureCPUPackage: temp(reported()),
          LoadCPUTotal: Math.min(100, Math.max(0, noisy(load * 100, 1.5))),
          PowerCPUPackage: p.hasPowerSensor ? Math.max(0, noisy(power, 0.8, 2)) : null,
          ClockCPUCoreOne: Math.max(0, Math.round(rng.normal(share * p.maxClockMhz, 25))),
          cpu_clock_max_mhz: p.maxClockMhz,
          cpu_throttled: p.throttleCounters ? throttled : null,
          TemperatureGPUCore: null,
          LoadGPUCore: null,
          load_average_1m: Math.round(loadAvg * 100) / 100,
          uptime_s: uptime,
        };
      }
      const bits = throttledBits();
      const arm = Math.round(share * p.maxClockMhz) * 1_000_000;
      // Firmware DVFS: the core voltage follows the clock between its idle and top values.
      const span = p.maxClockMhz - 600;
      const volts = p.coreIdleV +
        (p.coreMaxV - p.coreIdleV) * Math.min(1, Math.max(0, (arm / 1e6 - 600) / span));
      return {
        CPU_temp_celsius: temp(reported()),
        GPU_temp_celsius: temp(reported() - 0.5),
        frequency_arm_hz: underVoltageLeft > 0 ? 600_000_000 : arm,
        frequency_core_hz: load > 0.25 ? 500_000_000 : 250_000_000,
        voltage_core_v: noisy(volts, 0.003, 4),
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

/** A spec's parameters, as its device draws them (the same stream, without running it). */
export function paramsOf(spec: DeviceSpec, options: { demo?: boolean } = {}): DeviceParams {
  return drawParams(spec.profile, createPrng(deriveSeed(spec.seed, spec.name)), options.demo);
}
