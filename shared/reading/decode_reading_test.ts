import assert from "node:assert/strict";
import { aPcReading, aRaspberryReading, PI4_UNDER_VOLTAGE_FLAGS } from "../../testing/a_reading.ts";
import { frame } from "./confluent_framing.ts";
import { decodeReading, encodeReading, MAX_READING_BYTES, parseReading } from "./decode_reading.ts";
import { InvalidReadingError } from "./invalid_reading_error.ts";

const bytesOf = (text: string) => new TextEncoder().encode(text);

function rejects(value: unknown, field: string, message: RegExp) {
  let caught: unknown;
  try {
    parseReading(value);
  } catch (error) {
    caught = error;
  }
  assert.ok(
    caught instanceof InvalidReadingError,
    `expected an InvalidReadingError, got ${caught}`,
  );
  assert.ok(
    caught.problems.some((p) => p.field === field && message.test(p.message)),
    `expected a problem on '${field}' matching ${message}, got ${JSON.stringify(caught.problems)}`,
  );
  assert.ok(caught.message.includes(field), `the message names '${field}': ${caught.message}`);
}

Deno.test("parseReading() accepts both profiles", async (t) => {
  await t.step("pc", () => {
    const reading = aPcReading({ TemperatureGPUCore: 60, LoadGPUCore: 12, fan_rpm: [1200, 900] });
    assert.deepEqual(parseReading(reading), reading);
  });
  await t.step("raspberry with decoded throttled flags", () => {
    const reading = aRaspberryReading({
      throttled: "0x50005",
      throttled_flags: PI4_UNDER_VOLTAGE_FLAGS,
    });
    assert.deepEqual(parseReading(reading), reading);
  });
  await t.step(
    "a pc's CPU throttling: true, false, null (no counters) or absent (older producers)",
    () => {
      for (const cpu_throttled of [true, false, null]) {
        const reading = aPcReading({ cpu_throttled });
        assert.deepEqual(parseReading(reading), reading);
      }
      assert.equal("cpu_throttled" in parseReading(aPcReading()), false);
    },
  );
  await t.step("a missing sensor as null or absent", () => {
    const reading = aPcReading({ TemperatureCPUPackage: null, PowerCPUPackage: undefined });
    const parsed = parseReading(reading);
    assert.equal(parsed.profile === "pc" && parsed.TemperatureCPUPackage, null);
    assert.equal("PowerCPUPackage" in parsed && parsed.PowerCPUPackage !== undefined, false);
  });
});

Deno.test("parseReading() upgrades the old system's format", async (t) => {
  await t.step("pc: profile inferred, timestamp from loading_datetime as UTC", () => {
    const old = {
      uuid: "0b8f0c4e-5d6a-4c1e-9a3b-2f9e1d7c6b5a",
      device: "pc1",
      loading_datetime: "2023-05-17@21:04:09",
      ClockCPUCoreOne: 3591.9,
      TemperatureCPUPackage: 61.5,
      LoadCPUTotal: 13.2,
      PowerCPUPackage: 21.7,
    };
    const reading = parseReading(old);
    assert.equal(reading.profile, "pc");
    assert.equal(reading.schema_version, 1);
    assert.equal(reading.timestamp, "2023-05-17T21:04:09.000Z");
    assert.equal(reading.loading_datetime, old.loading_datetime);
  });
  await t.step("raspberry: profile inferred from its fields", () => {
    const { profile: _p, schema_version: _s, timestamp: _t, ...old } = aRaspberryReading();
    assert.equal(parseReading(old).profile, "raspberry");
  });
  await t.step("loading_datetime derived when only timestamp is given", () => {
    const { loading_datetime: _l, ...reading } = aPcReading({
      timestamp: "2026-02-03T04:05:06.789Z",
    });
    assert.equal(parseReading(reading).loading_datetime, "2026-02-03@04:05:06");
  });
  await t.step("vcgencmd's 'throttled=' prefix is dropped", () => {
    const reading = parseReading(aRaspberryReading({ throttled: "throttled=0x50000" }));
    assert.equal(reading.profile === "raspberry" && reading.throttled, "0x50000");
  });
  await t.step("no field tells the profile", () => {
    rejects(
      { uuid: "a", device: "x", loading_datetime: "2023-05-17@21:04:09" },
      "profile",
      /no field tells/,
    );
  });
  await t.step("an impossible loading_datetime", () => {
    rejects(
      { uuid: "a", device: "pc1", loading_datetime: "2023-02-30@21:04:09", LoadCPUTotal: 1 },
      "loading_datetime",
      /not a real date/,
    );
  });
  await t.step("no time at all", () => {
    rejects({ uuid: "a", device: "pc1", LoadCPUTotal: 1 }, "timestamp", /required/);
  });
});

Deno.test("parseReading() rejects bad values naming the field", async (t) => {
  await t.step(
    "a throttle count where a yes/no belongs",
    () =>
      rejects(
        { ...aPcReading(), cpu_throttled: 3 },
        "cpu_throttled",
        /must be true, false or null/,
      ),
  );
  await t.step(
    "NaN",
    () => rejects(aPcReading({ TemperatureCPUPackage: NaN }), "TemperatureCPUPackage", /NaN/),
  );
  await t.step(
    "Infinity",
    () => rejects(aPcReading({ LoadCPUTotal: Infinity }), "LoadCPUTotal", /Infinity/),
  );
  await t.step(
    "a CPU at 837 °C",
    () =>
      rejects(
        aPcReading({ TemperatureCPUPackage: 837 }),
        "TemperatureCPUPackage",
        /837 °C is above the physical maximum 150/,
      ),
  );
  await t.step(
    "a core at 9084 V",
    () => rejects(aRaspberryReading({ voltage_core_v: 9084 }), "voltage_core_v", /9084 V is above/),
  );
  await t.step(
    "a load of -3 %",
    () => rejects(aPcReading({ LoadCPUTotal: -3 }), "LoadCPUTotal", /below/),
  );
  await t.step(
    "a number sent as a string",
    () =>
      rejects(
        aPcReading({ LoadCPUTotal: "12" as unknown as number }),
        "LoadCPUTotal",
        /the string '12'/,
      ),
  );
  await t.step(
    "an unknown profile",
    () => rejects({ ...aPcReading(), profile: "mac" }, "profile", /'mac' is not a known profile/),
  );
  await t.step(
    "an oversized uuid",
    () => rejects(aPcReading({ uuid: "u".repeat(65) }), "uuid", /65 characters/),
  );
  await t.step(
    "an oversized device name",
    () => rejects(aPcReading({ device: "d".repeat(200) }), "device", /200 characters/),
  );
  await t.step(
    "a device name that cannot be a topic",
    () => rejects(aPcReading({ device: "my pc" }), "device", /letters, digits/),
  );
  await t.step("the device names '.' and '..' (folders in paths, refused by Kafka)", () => {
    rejects(aPcReading({ device: "." }), "device", /not '\.' or '\.\.'/);
    rejects(aPcReading({ device: ".." }), "device", /not '\.' or '\.\.'/);
  });
  await t.step(
    "a timestamp without milliseconds or zone",
    () => rejects(aPcReading({ timestamp: "2026-01-31T12:00:05" }), "timestamp", /ISO 8601 UTC/),
  );
  await t.step(
    "a throttled value that is not hex",
    () => rejects(aRaspberryReading({ throttled: "0xZZ" }), "throttled", /0x50005/),
  );
  await t.step("throttled flags that disagree with the hex", () => {
    const flags = {
      under_voltage: false,
      arm_frequency_capped: false,
      throttled: false,
      soft_temperature_limit: false,
      under_voltage_occurred: false,
      arm_frequency_capped_occurred: false,
      throttled_occurred: false,
      soft_temperature_limit_occurred: false,
    };
    rejects(
      aRaspberryReading({ throttled: "0x1", throttled_flags: flags }),
      "throttled_flags.under_voltage",
      /disagrees/,
    );
  });
  await t.step("a required field missing", () => {
    const { uuid: _u, ...reading } = aPcReading();
    rejects(reading, "uuid", /is required/);
  });
  await t.step("not an object", () => rejects([1, 2], "", /must be a JSON object, got an array/));
});

Deno.test("decodeReading() reads plain JSON and Schema Registry framing", () => {
  const reading = aPcReading();
  assert.deepEqual(decodeReading(encodeReading(reading)), reading);
  assert.deepEqual(decodeReading(frame(42, encodeReading(reading))), reading);
});

Deno.test("decodeReading() names the field of a Python NaN token", () => {
  const text = JSON.stringify(aPcReading()).replace(
    '"TemperatureCPUPackage":55',
    '"TemperatureCPUPackage":NaN',
  );
  assert.throws(
    () => decodeReading(bytesOf(text)),
    /TemperatureCPUPackage must be a finite number of °C, got NaN/,
  );
  const inString = JSON.stringify(aPcReading({ device: "NaN-box" }));
  assert.equal(decodeReading(bytesOf(inString)).device, "NaN-box");
});

Deno.test("decodeReading() rejects bytes that are not a reading", async (t) => {
  await t.step(
    "invalid JSON",
    () => assert.throws(() => decodeReading(bytesOf("{nope")), /not JSON/),
  );
  await t.step(
    "not UTF-8",
    () => assert.throws(() => decodeReading(new Uint8Array([0x7b, 0xff, 0xfe])), /not UTF-8/),
  );
  await t.step(
    "a truncated frame",
    () => assert.throws(() => decodeReading(new Uint8Array([0, 0, 1])), /header bytes/),
  );
  await t.step(
    "oversized",
    () =>
      assert.throws(() => decodeReading(new Uint8Array(MAX_READING_BYTES + 1)), /at most 16384/),
  );
  await t.step("empty", () => assert.throws(() => decodeReading(new Uint8Array()), /not JSON/));
});

Deno.test("parseReading() keeps a field the profile does not know under extra, in both formats", async (t) => {
  await t.step("the current format: a misspelt field is kept, not dropped", () => {
    const sent = { ...aPcReading({ TemperatureCPUPackage: null }), TemperatureCPUPackag: 91.5 };
    const reading = parseReading(sent);
    assert.deepEqual(reading.extra, { TemperatureCPUPackag: 91.5 });
    assert.equal(reading.profile === "pc" && reading.TemperatureCPUPackage, null);
    assert.equal("TemperatureCPUPackag" in reading, false, "only under extra");
  });
  await t.step("the old format: a new sensor of a newer producer, and null", () => {
    const old = {
      uuid: "0b8f0c4e-5d6a-4c1e-9a3b-2f9e1d7c6b5a",
      device: "pc1",
      loading_datetime: "2023-05-17@21:04:09",
      TemperatureCPUPackage: 61.5,
      TemperatureNVMe: 48,
      NoTechnicalInterventionRequired: 1,
      FanPump: null,
    };
    const reading = parseReading(old);
    assert.equal(reading.profile, "pc");
    assert.deepEqual(reading.extra, {
      TemperatureNVMe: 48,
      NoTechnicalInterventionRequired: 1,
      FanPump: null,
    });
  });
  await t.step(
    "a reading read back with its extra keeps it; a known field never goes there",
    () => {
      const reading = parseReading({ ...aRaspberryReading(), core_temp: 55 });
      assert.deepEqual(parseReading(JSON.parse(JSON.stringify(reading))), reading);
      assert.equal(parseReading(aRaspberryReading()).extra, undefined);
    },
  );
});

Deno.test("parseReading() refuses unknown fields it cannot keep, naming them", async (t) => {
  await t.step("not a number", () => {
    rejects(
      { ...aPcReading(), hostname: "box" },
      "hostname",
      /is not a field of a pc reading; an unknown field is kept \(under extra\) only when it is a number, got string/,
    );
  });
  await t.step("more than 16", () => {
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`sensor${i}`, i]));
    rejects({ ...aPcReading(), ...many }, "extra", /holds 17 unknown fields, at most 16 are kept/);
  });
  await t.step("a name no field could have", () => {
    rejects(
      JSON.parse(`{"__proto__": 1, ${JSON.stringify(aPcReading()).slice(1)}`),
      "__proto__",
      /nor a name/,
    );
    // A name an object has by inheritance is still unknown to the profile: kept, not dropped.
    assert.deepEqual(parseReading({ ...aPcReading(), constructor: 1 }).extra, { constructor: 1 });
    const long = "x".repeat(65);
    rejects({ ...aPcReading(), [long]: 1 }, `${"x".repeat(64)}...`, /nor a name one could have/);
  });
});
