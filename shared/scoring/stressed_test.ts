import assert from "node:assert/strict";
import { aPcReading, aRaspberryReading } from "../../testing/a_reading.ts";
import {
  isStressed,
  limitsFor,
  mainTemperature,
  stressCauses,
  STRESSED_NOW_PROBABILITY,
  stressReasons,
  withStressedNowFloor,
} from "./stressed.ts";

Deno.test("isStressed() for a pc", async (t) => {
  const limits = limitsFor("pc");
  await t.step(
    "at the 90 °C hot limit",
    () => assert.equal(isStressed(aPcReading({ TemperatureCPUPackage: 90 }), limits), true),
  );
  await t.step(
    "just below it",
    () => assert.equal(isStressed(aPcReading({ TemperatureCPUPackage: 89.9 }), limits), false),
  );
  await t.step(
    "a device's own lower limit",
    () =>
      assert.equal(
        isStressed(aPcReading({ TemperatureCPUPackage: 86 }), limitsFor("pc", 85)),
        true,
      ),
  );
  await t.step("clock throttled under load", () => {
    const reading = aPcReading({
      TemperatureCPUPackage: 70,
      ClockCPUCoreOne: 1500,
      LoadCPUTotal: 95,
    });
    assert.match(
      stressReasons(reading, { hotLimitC: 90, observedMaxClockMhz: 4000 })[0]!,
      /throttled to 1500 MHz of 4000 MHz/,
    );
  });
  await t.step(
    "the CPU reporting thermal throttling, below the hot limit and at full clock",
    () => {
      const reading = aPcReading({ TemperatureCPUPackage: 70, cpu_throttled: true });
      assert.deepEqual(stressReasons(reading, limits), [
        "CPU reports thermal throttling since the last reading (thermal_throttle)",
      ]);
      assert.deepEqual(stressCauses(reading, limits), ["throttling"]);
      assert.deepEqual(
        stressCauses({ ...reading, TemperatureCPUPackage: 95 }, limits),
        ["temperature", "throttling"],
      );
    },
  );
  await t.step("no throttling reported, or no counters to tell (null), is not stressed", () => {
    assert.equal(isStressed(aPcReading({ cpu_throttled: false }), limits), false);
    assert.equal(isStressed(aPcReading({ cpu_throttled: null }), limits), false);
  });
  await t.step("low clock while idle is not throttling", () => {
    const reading = aPcReading({ ClockCPUCoreOne: 800, LoadCPUTotal: 5 });
    assert.equal(isStressed(reading, { hotLimitC: 90, observedMaxClockMhz: 4000 }), false);
  });
  await t.step(
    "no temperature sensor",
    () => assert.equal(isStressed(aPcReading({ TemperatureCPUPackage: null }), limits), false),
  );
});

Deno.test("isStressed() for a raspberry", async (t) => {
  const limits = limitsFor("raspberry");
  await t.step(
    "under-voltage now (0x50005)",
    () =>
      assert.match(
        stressReasons(aRaspberryReading({ throttled: "0x50005" }), limits)[0]!,
        /^Pi reports under-voltage, throttling now \(0x50005\)$/,
      ),
  );
  await t.step(
    "only 'has occurred' bits (0x50000)",
    () => assert.equal(isStressed(aRaspberryReading({ throttled: "0x50000" }), limits), false),
  );
  await t.step("the hwmon under-voltage alarm without vcgencmd", () => {
    const reading = aRaspberryReading({ throttled: null, under_voltage_alarm: true });
    assert.match(stressReasons(reading, limits)[0]!, /under-voltage alarm/);
    assert.deepEqual(stressCauses(reading, limits), ["under_voltage"]);
  });
  await t.step(
    "the alarm off or unknown is not stressed",
    () => {
      for (const alarm of [false, null]) {
        const reading = aRaspberryReading({ throttled: null, under_voltage_alarm: alarm });
        assert.equal(isStressed(reading, limits), false);
      }
    },
  );
  await t.step(
    "at 80 °C",
    () => assert.equal(isStressed(aRaspberryReading({ CPU_temp_celsius: 80 }), limits), true),
  );
});

Deno.test("mainTemperature() picks the profile's CPU temperature", () => {
  assert.equal(mainTemperature(aPcReading({ TemperatureCPUPackage: 61 })), 61);
  assert.equal(mainTemperature(aRaspberryReading({ CPU_temp_celsius: 48 })), 48);
  assert.equal(mainTemperature(aPcReading({ TemperatureCPUPackage: undefined })), null);
});

Deno.test("withStressedNowFloor() raises a stressed reading's probability to the floor, and only that", () => {
  const limits = limitsFor("pc");
  const hot = aPcReading({ TemperatureCPUPackage: 91 });
  const calm = aPcReading({ TemperatureCPUPackage: 60 });
  assert.equal(withStressedNowFloor(0.2, hot, limits), STRESSED_NOW_PROBABILITY);
  assert.equal(withStressedNowFloor(0.995, hot, limits), 0.995, "a higher probability stays");
  assert.equal(withStressedNowFloor(0.2, calm, limits), 0.2);
});
