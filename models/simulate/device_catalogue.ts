import type { Profile } from "../../shared/reading/mod.ts";

/**
 * The kinds of device the simulator draws from, with ranges from their
 * published specifications (Raspberry Pi documentation and firmware
 * defaults; Intel and AMD data sheets for TDP, turbo power limits and TjMax).
 * See models/README.md ("Simulator") for the sources of each figure.
 *
 * A range `[lo, hi]` is drawn uniformly per device.
 */
export interface DeviceKind {
  kind: string;
  profile: Profile;
  /** What it stands for, in a few words. */
  hardware: string;
  /** Relative frequency among devices of its profile. */
  share: number;
  /** Highest clock (base or boost as the CPU reports it), MHz. */
  maxClockMhz: readonly [number, number];
  /** Clock at idle, MHz. */
  idleClockMhz: number;
  /** Pi: core voltage at idle and at the highest clock, V (firmware DVFS). */
  coreV?: readonly [number, number];
  idlePowerW: readonly [number, number];
  /** Sustained full-load power (a PC's turbo power limit PL2 / PPT), W. */
  maxPowerW: readonly [number, number];
  /**
   * Die temperature (as reported) a sustained full load would reach without
   * throttling, °C: the cooling as fitted, from poor to good.
   */
  fullLoadC: readonly [number, number];
  /** Die above heat sink at full power, °C (PC: die, solder, IHS, cold plate). */
  dieRiseC: readonly [number, number];
  dieTauS: readonly [number, number];
  sinkTauS: readonly [number, number];
  /** Where the firmware holds the temperature by capping the clock, °C as reported. */
  throttleAtC: number;
  /**
   * The hot limit an owner configures for it (`HOT_LIMITS`), °C as reported:
   * where it throttles, or a soft limit below that (Pi 3B+ 60 °C).
   */
  hotLimitC: number;
  /** Pi 3B+: from this temperature the firmware lowers the clock to `softClockMhz` and sets bit 3. */
  softLimitC?: number;
  softClockMhz?: number;
  /** AMD Tctl: reported = die + offset (Ryzen 2700X +10 °C); 0 elsewhere. */
  tctlOffsetC: number;
  /** Resolution of its temperature sensor, °C (Intel coretemp whole degrees). */
  sensorStepC: number;
  /** pc: the CPU exposes thermal_throttle counters (Intel); AMD does not (null). */
  throttleCounters: boolean;
  /** pc: share of such devices without a working fan (passive, or a dead fan). */
  fanlessShare: number;
  /** pc: share whose package temperature jumps with second-by-second power swings. */
  jumpyShare: number;
}

const PI = {
  profile: "raspberry" as const,
  tctlOffsetC: 0,
  throttleCounters: false,
  fanlessShare: 0,
  jumpyShare: 0,
  dieTauS: [5, 20] as const,
  sinkTauS: [90, 300] as const,
};

/**
 * Raspberry Pis. Firmware: a Pi throttles from 80 °C (Pi 5: 85 °C) and holds
 * about 2 °C above; the Pi 3B+ lowers its clock to 1.2 GHz from 60 °C (its
 * soft limit, `temp_soft_limit`). Core voltages as `vcgencmd measure_volts
 * core` reads them at idle and at full clock.
 */
export const PI_KINDS: readonly DeviceKind[] = [
  {
    ...PI,
    kind: "pi3b",
    hardware: "Raspberry Pi 3B, 1.2 GHz",
    share: 0.15,
    maxClockMhz: [1200, 1200],
    idleClockMhz: 600,
    coreV: [1.2, 1.2875],
    idlePowerW: [1.3, 1.8],
    maxPowerW: [3.5, 4.5],
    fullLoadC: [60, 96],
    dieRiseC: [4, 8],
    throttleAtC: 82,
    hotLimitC: 80,
    sensorStepC: 0.538,
  },
  {
    ...PI,
    kind: "pi3b+",
    hardware: "Raspberry Pi 3B+, 1.4 GHz, 60 °C soft limit",
    share: 0.12,
    maxClockMhz: [1400, 1400],
    idleClockMhz: 600,
    coreV: [1.2, 1.35],
    idlePowerW: [1.8, 2.3],
    maxPowerW: [4.5, 5.5],
    fullLoadC: [52, 85],
    dieRiseC: [4, 8],
    throttleAtC: 82,
    hotLimitC: 60,
    softLimitC: 60,
    softClockMhz: 1200,
    sensorStepC: 0.538,
  },
  {
    ...PI,
    kind: "pi4b-1.5",
    hardware: "Raspberry Pi 4B, 1.5 GHz",
    share: 0.18,
    maxClockMhz: [1500, 1500],
    idleClockMhz: 600,
    coreV: [0.82, 0.89],
    idlePowerW: [2.5, 3.5],
    maxPowerW: [6, 8],
    fullLoadC: [55, 96],
    dieRiseC: [6, 11],
    throttleAtC: 82,
    hotLimitC: 80,
    sensorStepC: 0.487,
  },
  {
    ...PI,
    kind: "pi4b-1.8",
    hardware: "Raspberry Pi 4B rev 1.4, 1.8 GHz",
    share: 0.18,
    maxClockMhz: [1800, 1800],
    idleClockMhz: 600,
    coreV: [0.84, 0.96],
    idlePowerW: [2.6, 3.6],
    maxPowerW: [6.5, 8.5],
    fullLoadC: [58, 98],
    dieRiseC: [6, 11],
    throttleAtC: 82,
    hotLimitC: 80,
    sensorStepC: 0.487,
  },
  {
    ...PI,
    kind: "pi4b-2.0",
    hardware: "Raspberry Pi 4B overclocked to 2.0 GHz (over_voltage=6)",
    share: 0.07,
    maxClockMhz: [2000, 2000],
    idleClockMhz: 600,
    coreV: [0.86, 1.01],
    idlePowerW: [2.7, 3.7],
    maxPowerW: [7.5, 9.5],
    fullLoadC: [60, 100],
    dieRiseC: [7, 12],
    throttleAtC: 82,
    hotLimitC: 80,
    sensorStepC: 0.487,
  },
  {
    ...PI,
    kind: "pi400",
    hardware: "Raspberry Pi 400, 1.8 GHz, keyboard-sized heat spreader",
    share: 0.08,
    maxClockMhz: [1800, 1800],
    idleClockMhz: 600,
    coreV: [0.84, 0.96],
    idlePowerW: [2.6, 3.6],
    maxPowerW: [6.5, 8.5],
    fullLoadC: [45, 70],
    dieRiseC: [4, 8],
    sinkTauS: [300, 900],
    throttleAtC: 82,
    hotLimitC: 80,
    sensorStepC: 0.487,
  },
  {
    ...PI,
    kind: "pi5",
    hardware: "Raspberry Pi 5 or CM5, 2.4 GHz",
    share: 0.22,
    maxClockMhz: [2400, 2400],
    idleClockMhz: 1500,
    coreV: [0.72, 0.9],
    idlePowerW: [2.7, 3.5],
    maxPowerW: [9, 12],
    fullLoadC: [55, 105],
    dieRiseC: [8, 14],
    throttleAtC: 87,
    hotLimitC: 85,
    sensorStepC: 0.1,
  },
];

const PC = {
  profile: "pc" as const,
  tctlOffsetC: 0,
  dieTauS: [2, 12] as const,
};

/**
 * PCs from 15-W laptops to 250-W desktops. Intel: TjMax 100 °C, whole-degree
 * coretemp, thermal_throttle counters. AMD: TjMax 90-95 °C (Zen 4 desktops
 * boost until they sit at 95 °C), k10temp in 1/8 °C, no counters; the Ryzen
 * 2700X reports Tctl = Tdie + 10 °C and holds Tctl near 85 °C. The hot limit
 * configured is where each throttles.
 */
export const PC_KINDS: readonly DeviceKind[] = [
  {
    ...PC,
    kind: "laptop-intel-u",
    hardware: "laptop, Intel U-series (15 W, PL2 25-30 W)",
    share: 0.12,
    maxClockMhz: [3600, 4700],
    idleClockMhz: 800,
    idlePowerW: [1.5, 4],
    maxPowerW: [15, 30],
    fullLoadC: [85, 120],
    dieRiseC: [8, 15],
    sinkTauS: [30, 120],
    throttleAtC: 100,
    hotLimitC: 100,
    sensorStepC: 1,
    throttleCounters: true,
    fanlessShare: 0.2,
    jumpyShare: 0.12,
  },
  {
    ...PC,
    kind: "laptop-amd-u",
    hardware: "laptop, AMD Ryzen U (15-25 W)",
    share: 0.06,
    maxClockMhz: [4000, 4500],
    idleClockMhz: 1400,
    idlePowerW: [1.5, 4],
    maxPowerW: [15, 30],
    fullLoadC: [80, 115],
    dieRiseC: [8, 15],
    sinkTauS: [30, 120],
    throttleAtC: 95,
    hotLimitC: 95,
    sensorStepC: 0.125,
    throttleCounters: false,
    fanlessShare: 0.1,
    jumpyShare: 0.12,
  },
  {
    ...PC,
    kind: "laptop-intel-h",
    hardware: "laptop, Intel H-series (45 W, PL2 65-115 W)",
    share: 0.12,
    maxClockMhz: [4200, 5400],
    idleClockMhz: 800,
    idlePowerW: [3, 8],
    maxPowerW: [45, 115],
    fullLoadC: [88, 125],
    dieRiseC: [12, 22],
    sinkTauS: [40, 150],
    throttleAtC: 100,
    hotLimitC: 100,
    sensorStepC: 1,
    throttleCounters: true,
    fanlessShare: 0,
    jumpyShare: 0.12,
  },
  {
    ...PC,
    kind: "desktop-intel-65",
    hardware: "desktop, Intel 65 W (PL2 117-154 W)",
    share: 0.16,
    maxClockMhz: [4300, 5100],
    idleClockMhz: 800,
    idlePowerW: [6, 15],
    maxPowerW: [65, 154],
    fullLoadC: [78, 115],
    dieRiseC: [12, 22],
    sinkTauS: [60, 240],
    throttleAtC: 100,
    hotLimitC: 100,
    sensorStepC: 1,
    throttleCounters: true,
    fanlessShare: 0.05,
    jumpyShare: 0.12,
  },
  {
    ...PC,
    kind: "desktop-intel-125",
    hardware: "desktop, Intel K-series 125 W (PL2 181-253 W)",
    share: 0.12,
    maxClockMhz: [4900, 6000],
    idleClockMhz: 800,
    idlePowerW: [8, 25],
    maxPowerW: [150, 253],
    fullLoadC: [85, 125],
    dieRiseC: [15, 28],
    sinkTauS: [60, 240],
    throttleAtC: 100,
    hotLimitC: 100,
    sensorStepC: 1,
    throttleCounters: true,
    fanlessShare: 0,
    jumpyShare: 0.12,
  },
  {
    ...PC,
    kind: "desktop-amd-zen3",
    hardware: "desktop, AMD Ryzen 5000 (65-105 W, PPT 88-142 W, TjMax 90 °C)",
    share: 0.16,
    maxClockMhz: [4400, 4900],
    idleClockMhz: 2200,
    idlePowerW: [15, 30],
    maxPowerW: [75, 142],
    fullLoadC: [72, 105],
    dieRiseC: [12, 22],
    sinkTauS: [60, 240],
    throttleAtC: 90,
    hotLimitC: 90,
    sensorStepC: 0.125,
    throttleCounters: false,
    fanlessShare: 0.03,
    jumpyShare: 0.12,
  },
  {
    ...PC,
    kind: "desktop-amd-zen4",
    hardware: "desktop, AMD Ryzen 7000 (PPT 88-230 W, TjMax 95 °C)",
    share: 0.12,
    maxClockMhz: [5100, 5700],
    idleClockMhz: 3000,
    idlePowerW: [20, 40],
    maxPowerW: [88, 230],
    fullLoadC: [82, 120],
    dieRiseC: [15, 28],
    sinkTauS: [60, 240],
    throttleAtC: 95,
    hotLimitC: 95,
    sensorStepC: 0.125,
    throttleCounters: false,
    fanlessShare: 0,
    jumpyShare: 0.12,
  },
  {
    ...PC,
    kind: "desktop-ryzen-2700x",
    hardware: "desktop, AMD Ryzen 7 2700X (PPT 141 W), Tctl = Tdie + 10 °C, holds Tctl at 85 °C",
    share: 0.03,
    maxClockMhz: [4300, 4350],
    idleClockMhz: 2200,
    idlePowerW: [12, 20],
    maxPowerW: [120, 150],
    fullLoadC: [72, 100],
    dieRiseC: [25, 40],
    dieTauS: [1, 4],
    sinkTauS: [60, 200],
    throttleAtC: 85,
    hotLimitC: 84.5,
    tctlOffsetC: 10,
    sensorStepC: 0.125,
    throttleCounters: false,
    fanlessShare: 0,
    jumpyShare: 0.12,
  },
];

/** One kind drawn by share, from a uniform number in [0, 1). */
export function pickKind(kinds: readonly DeviceKind[], u: number): DeviceKind {
  const total = kinds.reduce((sum, k) => sum + k.share, 0);
  let at = u * total;
  for (const kind of kinds) {
    at -= kind.share;
    if (at < 0) return kind;
  }
  return kinds[kinds.length - 1]!;
}
