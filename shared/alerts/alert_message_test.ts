import assert from "node:assert/strict";
import { aPcReading, aRaspberryReading, later } from "../../testing/a_reading.ts";
import {
  duration,
  offlineMessage,
  onlineMessage,
  recoveredMessage,
  stressMessage,
  TELEGRAM_TEXT_MAX,
  underVoltageMessage,
} from "./alert_message.ts";

const T0 = Date.parse("2026-01-31T12:00:00.000Z");

Deno.test("stressMessage() of a rising PC says the temperature, its rise per minute and the limit", () => {
  const first = aPcReading({
    device: "pc1",
    timestamp: new Date(T0).toISOString(),
    TemperatureCPUPackage: 72,
    LoadCPUTotal: 30,
    PowerCPUPackage: 40,
    ClockCPUCoreOne: 3400,
  });
  // +0.1 °C per 5 s: +1.2 °C/min, up to 84 °C at the last reading.
  const window = Array.from(
    { length: 12 },
    (_, i) => later(first, (i + 109) * 5, { TemperatureCPUPackage: 73.1 + i * 0.1 }),
  );
  const text = stressMessage({
    reading: window.at(-1)!,
    window,
    probability: 0.934,
    stressedNow: false,
    reasons: ["temperature rising 1.2 °C/min", "CPU package at 74.2 °C"],
    hotLimitC: 90,
  });
  assert.equal(
    text,
    [
      "pc1: likely to be stressed within a minute (p=0.93)",
      "CPU 74.2 °C, +1.2 °C/min, limit 90 °C",
      "load 30 %, 40 W, clock 3.4 GHz",
      "Why:",
      "- temperature rising 1.2 °C/min",
      "- CPU package at 74.2 °C",
    ].join("\n"),
  );
});

Deno.test("stressMessage() of a loaded PC leads with the model's first reasons and says the load", () => {
  const reading = aPcReading({
    device: "pc2",
    TemperatureCPUPackage: 57,
    LoadCPUTotal: 93.6,
    PowerCPUPackage: 80.4,
    ClockCPUCoreOne: 4200,
    TemperatureGPUCore: 66,
    simulated: true,
  });
  const text = stressMessage({
    reading,
    window: [
      later(reading, -10, { TemperatureCPUPackage: 39 }),
      later(reading, -5, {
        TemperatureCPUPackage: 51,
      }),
      reading,
    ],
    probability: 1,
    stressedNow: false,
    reasons: ["CPU 94 % busy at 80 W", "rising 108 °C/min", "third", "fourth is left out"],
    hotLimitC: 90,
  });
  const lines = text.split("\n");
  assert.equal(lines[0], "pc2 (simulated): likely to be stressed within a minute (p=1.00)");
  assert.equal(lines[1], "CPU 57 °C, +108.0 °C/min, limit 90 °C");
  assert.equal(lines[2], "load 94 %, 80 W, clock 4.2 GHz, GPU 66 °C");
  assert.deepEqual(lines.slice(3), [
    "Why:",
    "- CPU 94 % busy at 80 W",
    "- rising 108 °C/min",
    "- third",
  ]);
});

Deno.test("stressMessage() of a throttling Pi names its throttled bits, now and since boot", () => {
  const reading = aRaspberryReading({
    device: "pi4",
    CPU_temp_celsius: 81.3,
    throttled: "0x60006",
    cpu_load_percent: 97,
    frequency_arm_hz: 1_200_000_000,
    voltage_core_v: 0.85,
  });
  const text = stressMessage({
    reading,
    probability: 0.99,
    stressedNow: true,
    reasons: ["Pi reports throttling now (0x60006)"],
    hotLimitC: 80,
  });
  assert.equal(
    text,
    [
      "pi4: stressed now (p=0.99)",
      "CPU 81.3 °C, limit 80 °C",
      "load 97 %, ARM 1.2 GHz, core 0.850 V",
      "Throttled now: ARM frequency capped, throttled; since boot: ARM frequency capped, throttled (0x60006)",
      "Why:",
      "- Pi reports throttling now (0x60006)",
    ].join("\n"),
  );
});

Deno.test("underVoltageMessage() says the supply is too weak, with the bits and the voltage", async (t) => {
  await t.step("from the throttled bits", () => {
    const reading = aRaspberryReading({
      device: "pi3",
      throttled: "0x50005",
      CPU_temp_celsius: 55,
    });
    const lines = underVoltageMessage({ reading, hotLimitC: 80 }).split("\n");
    assert.equal(lines[0], "pi3: power supply too weak: under-voltage now");
    assert.equal(
      lines[1],
      "Throttled now: under-voltage, throttled; since boot: under-voltage, throttled (0x50005)",
    );
    assert.equal(lines[2], "core 0.850 V, CPU 55 °C, limit 80 °C");
    assert.match(lines[3]!, /official power supply/);
  });
  await t.step("from the hwmon alarm of a Pi without vcgencmd", () => {
    const reading = aRaspberryReading({
      device: "pi5",
      throttled: null,
      voltage_core_v: null,
      under_voltage_alarm: true,
    });
    const lines = underVoltageMessage({ reading, hotLimitC: 85 }).split("\n");
    assert.equal(lines[1], "Now: under-voltage alarm (hwmon)");
  });
});

Deno.test("offlineMessage(), onlineMessage() and recoveredMessage() say how long", async (t) => {
  await t.step("offline", () => {
    assert.equal(
      offlineMessage({
        device: "pi1",
        lastSeen: T0,
        now: T0 + 16_000,
        samplingIntervalS: 5,
        offlineAfterS: 15,
      }),
      "pi1: offline, no reading for 16 s\nLast reading at 2026-01-31 12:00:00 UTC (it sends a reading every 5 s).",
    );
  });
  await t.step("online", () => {
    assert.equal(
      onlineMessage({ device: "pi1", lastSeen: T0, readingTime: T0 + 725_000, now: T0 + 725_500 }),
      "pi1: back online after 12 min 6 s\nSilent since 2026-01-31 12:00:00 UTC.",
    );
  });
  await t.step("online with a replayed buffer", () => {
    assert.match(
      onlineMessage({ device: "pi1", lastSeen: T0, readingTime: T0 + 5_000, now: T0 + 3_600_000 }),
      /back online after 1 h\n.*kept measuring/,
    );
  });
  await t.step("recovered", () => {
    const reading = aPcReading({ device: "pc1", TemperatureCPUPackage: 61 });
    assert.equal(
      recoveredMessage({
        reading,
        probability: 0.12,
        rearmBelow: 0.35,
        calmReadings: 3,
        since: T0,
        calmSince: T0 + 250_000,
        hotLimitC: 90,
      }),
      "pc1: recovered after 4 min 10 s\nCPU 61 °C, limit 90 °C, p=0.12, below 0.35 for 3 readings\nThe alert was at 2026-01-31 12:00:00 UTC.",
    );
  });
});

Deno.test("stressMessage() stays under Telegram's 4,096 characters whatever the reasons", () => {
  const text = stressMessage({
    reading: aPcReading({ device: "d".repeat(64) }),
    probability: 0.9,
    stressedNow: false,
    reasons: Array.from({ length: 50 }, () => "x".repeat(5000)),
    hotLimitC: 90,
  });
  assert.ok(text.length <= TELEGRAM_TEXT_MAX, `${text.length}`);
  assert.equal(text.split("\n").filter((l) => l.startsWith("- ")).length, 3);
  assert.ok(text.split("\n").every((l) => l.length <= 2 + 200), "each reason is cut to 200");
});

Deno.test("duration() reads well from seconds to days", () => {
  assert.deepEqual(
    [0, 45_000, 60_000, 250_000, 3_600_000, 7_500_000, 90_000_000].map(duration),
    ["0 s", "45 s", "1 min", "4 min 10 s", "1 h", "2 h 5 min", "1 d 1 h"],
  );
});
