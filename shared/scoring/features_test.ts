import assert from "node:assert/strict";
import type { PcReading } from "../reading/mod.ts";
import { aPcReading, aRaspberryReading, later } from "../../testing/a_reading.ts";
import {
  checkFeatureOptions,
  EQUILIBRIUM_TAU_S,
  equilibriumHeadroom,
  extractFeatures,
  FEATURE_DEFAULTS,
  featureNames,
  HEADROOM_CAP_C,
  recentReadings,
  TIME_TO_LIMIT_CAP_S,
  timeToLimit,
} from "./features.ts";
import { limitsFor } from "./stressed.ts";

/** `temps.length` pc readings 5 s apart with the given package temperatures. */
function warming(temps: number[], overrides: Partial<PcReading> = {}): PcReading[] {
  const first = aPcReading({ TemperatureCPUPackage: temps[0]!, ...overrides });
  return temps.map((t, i) => (i === 0 ? first : later(first, i * 5, { TemperatureCPUPackage: t })));
}

function named(profile: "pc" | "raspberry", values: Float64Array | null): Record<string, number> {
  assert.ok(values, "features were extracted");
  return Object.fromEntries(featureNames(profile).map((n, i) => [n, values[i]!]));
}

Deno.test("extractFeatures() gives recent, mean, peak and slope per signal", () => {
  // 70, 71, ... 81 °C: 1 °C every 5 s = 12 °C/min, 9 °C below the 90 °C limit at the end.
  const window = warming(Array.from({ length: 12 }, (_, i) => 70 + i));
  const f = named("pc", extractFeatures({ profile: "pc", window, limits: limitsFor("pc") }));
  assert.equal(f.temp_headroom_recent, 9);
  assert.equal(f.temp_headroom_peak, 10, "the second hottest reading: one spike is not a peak");
  assert.equal(f.temp_headroom_mean, 14.5);
  assert.ok(Math.abs(f.temp_slope_c_per_min! - 12) < 1e-9);
  assert.ok(Math.abs(f.temp_time_to_limit_s! - 45) < 1e-9);
  assert.equal(f.load_recent, 20);
  assert.equal(f.load_slope_per_min, 0);
  assert.equal(f.power_recent_share, 1, "steady power is its own recent top");
  assert.equal(f.power_rise_share, 0);
  assert.equal(f.clock_share_recent, 1, "the clock is its own observed maximum");
  assert.equal(f.coverage, 1);
  assert.equal(f.gap_s, 5);
});

Deno.test("extractFeatures() is not thrown by a one-reading pause or a jumpy sensor", async (t) => {
  // A benchmark heating toward its limit at 6 °C/min and 138 W, 80 °C now.
  const temps = Array.from({ length: 12 }, (_, i) => 74.5 + i * 0.5);
  const steady = warming(temps, { LoadCPUTotal: 100, PowerCPUPackage: 138 });
  const features = (window: PcReading[]) =>
    named("pc", extractFeatures({ profile: "pc", window, limits: limitsFor("pc") }));
  const base = features(steady);
  await t.step("a pause in the last reading (20 W, 10 °C cooler) is waited out", () => {
    const paused = [...steady];
    paused[11] = {
      ...paused[11]!,
      TemperatureCPUPackage: 70,
      LoadCPUTotal: 3,
      PowerCPUPackage: 20,
    };
    const f = features(paused);
    for (
      const name of [
        "temp_closeness_now",
        "temp_projected_headroom",
        "temp_slope_recent_c_per_min",
        "temp_equilibrium_headroom",
        "load_recent",
        "power_recent_share",
      ]
    ) assert.ok(Math.abs(f[name]! - base[name]!) < 1e-6, `${name}: ${f[name]} vs ${base[name]}`);
  });
  await t.step("a pause inside the window does not bend the trend", () => {
    const paused = [...steady];
    paused[6] = { ...paused[6]!, TemperatureCPUPackage: 67, PowerCPUPackage: 20 };
    const f = features(paused);
    assert.ok(Math.abs(f.temp_slope_c_per_min! - 6) < 1e-6, `${f.temp_slope_c_per_min}`);
    assert.equal(f.temp_headroom_peak, base.temp_headroom_peak);
  });
  await t.step("the trend through a sensor jumping ±10 °C stays near the true one", () => {
    const jumpy = warming(
      temps.map((v, i) => Math.round(v + (i % 2 ? 10 : -10) * (i % 3 ? 1 : 0.5))),
    );
    const f = features(jumpy);
    assert.ok(Math.abs(f.temp_slope_c_per_min! - 6) < 6, `${f.temp_slope_c_per_min} °C/min`);
  });
});

Deno.test("extractFeatures() handles gaps on real time stamps", async (t) => {
  await t.step(
    "a missed sample shows as a larger gap and less coverage, the slope stays right",
    () => {
      const full = warming(Array.from({ length: 12 }, (_, i) => 70 + i));
      const window = full.filter((_, i) => i !== 5 && i !== 6);
      const f = named("pc", extractFeatures({ profile: "pc", window, limits: limitsFor("pc") }));
      assert.equal(f.gap_s, 15);
      assert.equal(f.coverage, 10 / 12);
      assert.ok(Math.abs(f.temp_slope_c_per_min! - 12) < 1e-9);
    },
  );
  await t.step(
    "readings older than the window's minute are dropped, not treated as contiguous",
    () => {
      const old = warming([40, 40, 40]);
      const recent = [later(old[2]!, 600, { TemperatureCPUPackage: 80 })];
      for (let i = 1; i < 4; i++) {
        recent.push(
          later(recent[0]!, i * 5, { TemperatureCPUPackage: 80 + i }),
        );
      }
      const window = [...old, ...recent];
      assert.deepEqual(recentReadings(window).map((r) => r.uuid), recent.map((r) => r.uuid));
      const f = named("pc", extractFeatures({ profile: "pc", window, limits: limitsFor("pc") }));
      assert.equal(f.coverage, 4 / 12);
      assert.ok(
        Math.abs(f.temp_slope_c_per_min! - 12) < 1e-9,
        "the slope ignores the old 40 °C readings",
      );
    },
  );
  await t.step("too few readings with a temperature: no features (the rule scores it)", () => {
    const window = warming([70, 71]);
    assert.equal(extractFeatures({ profile: "pc", window, limits: limitsFor("pc") }), null);
    const noLastTemp = warming([70, 71, 72, 73]);
    noLastTemp[3] = { ...noLastTemp[3]!, TemperatureCPUPackage: null };
    assert.equal(
      extractFeatures({ profile: "pc", window: noLastTemp, limits: limitsFor("pc") }),
      null,
    );
  });
});

Deno.test("extractFeatures() gives NaN for a sensor the device lacks, never a made-up 0", () => {
  const window = warming([80, 81, 82, 83], { PowerCPUPackage: null });
  const f = named("pc", extractFeatures({ profile: "pc", window, limits: limitsFor("pc") }));
  for (const name of ["power_recent_share", "power_rise_share", "power_slope_share_per_min"]) {
    assert.ok(Number.isNaN(f[name]), `${name} is NaN`);
  }
  assert.equal(f.temp_headroom_recent, 7);
});

Deno.test("extractFeatures() uses the device's own hot limit and clips headroom", () => {
  const window = warming([40, 40, 40, 40]);
  const own = named("pc", extractFeatures({ profile: "pc", window, limits: limitsFor("pc", 50) }));
  assert.equal(own.temp_headroom_recent, 10);
  const far = named("pc", extractFeatures({ profile: "pc", window, limits: limitsFor("pc") }));
  assert.equal(far.temp_headroom_recent, HEADROOM_CAP_C);
  assert.equal(
    far.temp_time_to_limit_s,
    TIME_TO_LIMIT_CAP_S,
    "not rising: the limit is not in sight",
  );
});

Deno.test("extractFeatures() reads a Pi's clock and voltage against its own, and its throttling history", () => {
  const first = aRaspberryReading({
    CPU_temp_celsius: 70,
    throttled: "0x10000",
    load_average_1m: 2,
  });
  const window = [
    first,
    later(first, 5, { CPU_temp_celsius: 71, throttled: "0x10000", load_average_1m: 2.5 }),
    later(first, 10, { CPU_temp_celsius: 72, throttled: "0x10001", load_average_1m: 3 }),
    later(first, 15, {
      CPU_temp_celsius: 73,
      throttled: "0x10000",
      load_average_1m: 3.5,
      frequency_arm_hz: 600_000_000,
      voltage_core_v: 0.8,
    }),
    later(first, 20, {
      CPU_temp_celsius: 73,
      throttled: "0x10000",
      load_average_1m: 3.5,
      frequency_arm_hz: 600_000_000,
      voltage_core_v: 0.8,
    }),
  ];
  const f = named(
    "raspberry",
    extractFeatures({ profile: "raspberry", window, limits: limitsFor("raspberry") }),
  );
  assert.equal(f.temp_headroom_recent, 7);
  assert.ok(Math.abs(f.clock_share_recent! - 0.4) < 1e-9, "capped to 600 of its 1500 MHz");
  assert.ok(Math.abs(f.voltage_core_drop_v! - 0.05) < 1e-9, "0.85 V down to 0.80 V");
  assert.equal(f.throttled_now_share, 0.2);
  assert.equal(f.under_voltage_occurred, 1);
  assert.equal(featureNames("raspberry").length, Object.keys(f).length);
});

Deno.test("timeToLimit() is 0 at the limit, capped when not rising", () => {
  assert.equal(timeToLimit(0, 5), 0);
  assert.equal(timeToLimit(-2, -5), 0);
  assert.equal(timeToLimit(10, 0), TIME_TO_LIMIT_CAP_S);
  assert.equal(timeToLimit(5, 10), 30);
  assert.ok(Number.isNaN(timeToLimit(NaN, 1)));
});

Deno.test("checkFeatureOptions() names the bad option", () => {
  assert.throws(
    () => checkFeatureOptions({ ...FEATURE_DEFAULTS, window: 1 }),
    /'window' must be an integer >= 2, got 1/,
  );
  assert.throws(
    () => checkFeatureOptions({ ...FEATURE_DEFAULTS, intervalS: 0 }),
    /'intervalS' must be positive/,
  );
  assert.throws(
    () => checkFeatureOptions({ ...FEATURE_DEFAULTS, minReadings: 20 }),
    /'minReadings' must be an integer from 2 to 'window' \(12\), got 20/,
  );
});

Deno.test("extractFeatures() forecasts from the half-minute line, so one noisy reading moves it less", () => {
  const window = warming([85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 86.5]);
  const f = named("pc", extractFeatures({ profile: "pc", window, limits: limitsFor("pc") }));
  assert.equal(f.temp_headroom_recent, 3.5, "the last reading, hotter than the median of three");
  const now = -3 * Math.log(f.temp_closeness_now!); // closeness = exp(-headroom / 3)
  assert.ok(now > 3.5 && now < 5, `the fitted headroom now is ${now}`);
});

Deno.test("extractFeatures() estimates where the temperature is heading (T + τ·dT/dt)", async (t) => {
  await t.step("a creep of 2 °C/min 5 °C below the limit heads to 1 °C below it", () => {
    // 83.2 to 85 °C over the minute: 2 °C/min, 5 °C below the limit; in τ = 120 s, 89 °C.
    const window = warming(Array.from({ length: 12 }, (_, i) => 83.2 + i * (2 / 12)));
    const f = named("pc", extractFeatures({ profile: "pc", window, limits: limitsFor("pc") }));
    assert.ok(Math.abs(f.temp_headroom_recent! - (90 - 83.2 - 11 / 6)) < 1e-6);
    const expected = f.temp_headroom_recent! - 2 * (EQUILIBRIUM_TAU_S / 60);
    assert.ok(Math.abs(f.temp_equilibrium_headroom! - expected) < 1e-6);
    assert.ok(f.temp_closeness_equilibrium! > f.temp_closeness_now!);
  });
  await t.step("a flat temperature is its own equilibrium", () => {
    const window = warming(Array.from({ length: 12 }, () => 70));
    const f = named("pc", extractFeatures({ profile: "pc", window, limits: limitsFor("pc") }));
    assert.equal(f.temp_equilibrium_headroom, 20);
  });
  await t.step("equilibriumHeadroom() clips like the projections", () => {
    assert.equal(equilibriumHeadroom(5, 30), -HEADROOM_CAP_C);
    assert.equal(equilibriumHeadroom(10, -30), HEADROOM_CAP_C);
  });
});

Deno.test("extractFeatures() pairs a Pi's under-voltage history with its present demand", () => {
  const first = aRaspberryReading({ throttled: "0x50000", cpu_load_percent: 20 });
  const window = [
    first,
    later(first, 5),
    later(first, 10, { load_average_1m: 3, cpu_load_percent: 90 }),
  ];
  const f = named(
    "raspberry",
    extractFeatures({ profile: "raspberry", window, limits: limitsFor("raspberry") }),
  );
  assert.equal(f.under_voltage_occurred, 1);
  assert.equal(f.under_voltage_occurred_x_cpu_load, 0.9);
  assert.equal(f.under_voltage_occurred_x_load_avg, 3);
  const clean = window.map((r) => ({ ...r, throttled: "0x0" }));
  const g = named(
    "raspberry",
    extractFeatures({ profile: "raspberry", window: clean, limits: limitsFor("raspberry") }),
  );
  assert.equal(g.under_voltage_occurred_x_cpu_load, 0);
  assert.equal(g.under_voltage_occurred_x_load_avg, 0);
});

Deno.test("extractFeatures() ends with the pairwise products of the forecast features", () => {
  const window = warming(Array.from({ length: 12 }, (_, i) => 75 + i * 0.5));
  const f = named("pc", extractFeatures({ profile: "pc", window, limits: limitsFor("pc") }));
  const slope = f.temp_slope_recent_c_per_min!;
  assert.ok(slope > 0);
  assert.equal(f.temp_closeness_now_x_temp_slope_recent_c_per_min, f.temp_closeness_now! * slope);
  assert.equal(f.temp_slope_recent_c_per_min_x_temp_slope_recent_c_per_min, slope * slope);
  for (const profile of ["pc", "raspberry"] as const) {
    const names = featureNames(profile);
    assert.equal(names.filter((n) => n.startsWith("temp_") && n.includes("_x_")).length, 21);
    assert.equal(new Set(names).size, names.length, "no name twice");
  }
});
