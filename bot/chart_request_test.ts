import assert from "node:assert/strict";
import { parseChartRequest } from "./chart_request.ts";

Deno.test("parseChartRequest(): temperature over the last hour by default, metric and period in any order", () => {
  const plain = parseChartRequest([], "pc");
  assert.ok(plain.ok);
  assert.equal(plain.metric.field, "TemperatureCPUPackage");
  assert.equal(plain.metric.hot, true);
  assert.equal(plain.periodMs, 3_600_000);
  for (const words of [["load", "6h"], ["6h", "load"]]) {
    const request = parseChartRequest(words, "pc");
    assert.ok(request.ok);
    assert.equal(request.metric.field, "LoadCPUTotal");
    assert.equal(request.metric.hot, false);
    assert.equal(request.periodMs, 6 * 3_600_000);
  }
});

Deno.test("parseChartRequest(): a Pi's aliases, reading field names, units and factors", () => {
  const clock = parseChartRequest(["clock"], "raspberry");
  assert.ok(clock.ok);
  assert.deepEqual([clock.metric.field, clock.metric.unit, clock.metric.factor], [
    "frequency_arm_hz",
    "MHz",
    1e-6,
  ]);
  const field = parseChartRequest(["voltage_sdram_c_v", "1d"], "raspberry");
  assert.ok(field.ok);
  assert.deepEqual([field.metric.field, field.metric.unit], ["voltage_sdram_c_v", "V"]);
  const temp = parseChartRequest(["temp"], "raspberry");
  assert.ok(temp.ok && temp.metric.field === "CPU_temp_celsius" && temp.metric.hot);
});

Deno.test("parseChartRequest(): an unknown metric or a period out of range gets a helpful answer", () => {
  const unknown = parseChartRequest(["humidity"], "pc");
  assert.ok(!unknown.ok);
  assert.match(unknown.text, /I cannot chart 'humidity'\. Metrics: temp, load, power, clock, gpu/);
  const pcOnly = parseChartRequest(["PowerCPUPackage"], "raspberry");
  assert.ok(!pcOnly.ok, "a PC's field on a Pi");
  const long = parseChartRequest(["30d"], "pc");
  assert.ok(!long.ok);
  assert.equal(long.text, "A chart covers 5 min to 7 d, not 30 d.");
  const short = parseChartRequest(["1m"], "pc");
  assert.ok(!short.ok && /not 1 min/.test(short.text));
});
