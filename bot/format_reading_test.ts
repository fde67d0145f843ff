import assert from "node:assert/strict";
import { aPcReading, aRaspberryReading } from "../testing/a_reading.ts";
import { alignRows, describeThrottled, readingRows } from "./format_reading.ts";

Deno.test("readingRows(): a PC's sensors with units; missing sensors named, not shown as 0", () => {
  const { rows, missing } = readingRows(aPcReading({
    TemperatureCPUPackage: 71.25,
    LoadCPUTotal: 93.6,
    PowerCPUPackage: 80,
    ClockCPUCoreOne: 3400,
    TemperatureGPUCore: null,
    LoadGPUCore: null,
    cpu_throttled: true,
    memory_used_bytes: 8 * 2 ** 30,
    memory_total_bytes: 16 * 2 ** 30,
    fan_rpm: [1200.4, 900],
    uptime_s: 3 * 86_400 + 4 * 3600,
    extra: { TemperatureCPUPackag: 70 },
  }));
  assert.deepEqual(rows, [
    { label: "CPU temp", value: "71.3 °C" },
    { label: "CPU load", value: "94 %" },
    { label: "CPU power", value: "80.0 W" },
    { label: "CPU clock", value: "3400 MHz" },
    { label: "Uptime", value: "3 d 4 h" },
    { label: "Memory", value: "8.0 of 16.0 GiB" },
    { label: "Fans", value: "1200, 900 rpm" },
    { label: "CPU throttled", value: "yes, since the last reading" },
    { label: "TemperatureCPUPackag", value: "70" },
  ]);
  assert.deepEqual(missing, ["GPU temp", "GPU load"]);
});

Deno.test("readingRows(): a Pi's clocks in MHz, voltages, memory split and the throttled bits by name", () => {
  const { rows } = readingRows(aRaspberryReading({ throttled: "0x50005", cpu_load_percent: 12 }));
  const byLabel = Object.fromEntries(rows.map((r) => [r.label, r.value]));
  assert.equal(byLabel["CPU temp"], "50.6 °C");
  assert.equal(byLabel["ARM clock"], "1500 MHz");
  assert.equal(byLabel["Core voltage"], "0.8500 V");
  assert.equal(byLabel["GPU memory"], "64 MiB");
  assert.equal(byLabel["CPU load"], "12 %");
  assert.equal(
    byLabel["Throttled"],
    "now: under-voltage, throttled; since boot: under-voltage, throttled (0x50005)",
  );
});

Deno.test("describeThrottled(): none, since boot only, and what is not a throttled value", () => {
  assert.equal(describeThrottled("0x0"), "none (0x0)");
  assert.equal(
    describeThrottled("0x80000"),
    "now: none; since boot: soft temperature limit (0x80000)",
  );
  assert.equal(describeThrottled("0x2"), "now: ARM frequency capped (0x2)");
  assert.equal(describeThrottled(null), null);
  assert.equal(describeThrottled("bogus"), null);
});

Deno.test("alignRows() puts the values in one column", () => {
  assert.equal(
    alignRows([{ label: "CPU temp", value: "55.0 °C" }, { label: "Fans", value: "900 rpm" }]),
    "CPU temp  55.0 °C\nFans      900 rpm",
  );
});
