import assert from "node:assert/strict";
import { readingHistory } from "../shared/store/reading_history.ts";
import { aScored } from "../testing/a_prediction.ts";
import { aPcReading, aRaspberryReading, later } from "../testing/a_reading.ts";
import { anApi } from "../testing/an_api.ts";

const start = aPcReading({
  device: "pc1",
  timestamp: "2026-01-31T11:00:00.000Z",
  TemperatureCPUPackage: 40,
});
/** An hour at 5 s, the temperature climbing 0.1 °C a reading. */
const hour = [
  start,
  ...Array.from(
    { length: 719 },
    (_, i) => later(start, (i + 1) * 5, { TemperatureCPUPackage: 40 + (i + 1) * 0.1 }),
  ),
];

Deno.test("GET /v1/devices/{id}/history gives min, mean and max per step, as readingHistory() does", async () => {
  await using api = await anApi({ readings: hour, now: "2026-01-31T12:00:00Z" });
  const res = await api.request(
    "/v1/devices/pc1/history?metric=TemperatureCPUPackage&from=2026-01-31T11:00:00Z" +
      "&to=2026-01-31T12:00:00Z&step=60",
  );
  assert.equal(res.status, 200);
  const body = await res.json();
  const expected = await readingHistory(api.store, "pc1", {
    metric: "TemperatureCPUPackage",
    from: Date.parse("2026-01-31T11:00:00Z"),
    to: Date.parse("2026-01-31T12:00:00Z"),
    stepS: 60,
  });
  assert.equal(body.points.length, 60);
  assert.equal(body.step_s, 60);
  assert.deepEqual(
    body.points,
    expected.points.map((p) => ({ ...p, time: new Date(p.time).toISOString() })),
  );
  assert.deepEqual(body.points[0], {
    time: "2026-01-31T11:00:00.000Z",
    min: 40,
    mean: body.points[0].mean,
    max: 41.1,
    count: 12,
  });
  assert.ok(Math.abs(body.points[0].mean - 40.55) < 1e-9);
});

Deno.test("GET /v1/devices/{id}/history defaults: the last hour of the profile's CPU temperature, at a step that fits", async () => {
  await using api = await anApi({ readings: hour, now: "2026-01-31T12:00:00Z" });
  const body = await (await api.request("/v1/devices/pc1/history")).json();
  assert.equal(body.metric, "TemperatureCPUPackage");
  assert.equal(body.from, "2026-01-31T11:00:00.000Z");
  assert.equal(body.to, "2026-01-31T12:00:00.000Z");
  assert.equal(body.step_s, 5);
  assert.equal(body.points.length, 720);
  const pi = aRaspberryReading({ device: "pi", timestamp: "2026-01-31T11:59:00.000Z" });
  await api.store.saveScored([aScored(pi)]);
  const piBody = await (await api.request("/v1/devices/pi/history")).json();
  assert.equal(piBody.metric, "CPU_temp_celsius");
  assert.deepEqual(piBody.points.map((p: { max: number }) => p.max), [pi.CPU_temp_celsius]);
});

Deno.test("GET /v1/devices/{id}/history answers 400 naming the parameter, 404 for an unknown device", async (t) => {
  await using api = await anApi({ readings: hour, now: "2026-01-31T12:00:00Z" });
  const cases: [string, string, RegExp][] = [
    ["metric=CPU_temp_celsius", "metric", /a pc has no CPU_temp_celsius; one of .*LoadCPUTotal/],
    ["metric=hostname", "metric", /must be a numeric reading field/],
    ["metric=LoadCPUTotal&metric=LoadCPUTotal", "metric", /given once/],
    ["from=2026-01-31T12:00:00Z&to=2026-01-31T11:00:00Z", "from", /earlier than to/],
    ["from=2025-12-01T00:00:00Z&to=2026-01-31T00:00:00Z", "from", /at most 31 days/],
    ["step=1", "step", /3600 steps of 1 s, at most 1000: take a step of at least 5 s/],
    ["step=0", "step", /at least 1/],
    ["step=1m", "step", /whole number in decimal digits/],
    ["to=soon", "to", /ISO 8601/],
  ];
  for (const [query, field, message] of cases) {
    await t.step(query, async () => {
      const res = await api.request(`/v1/devices/pc1/history?${query}`);
      assert.equal(res.status, 400);
      const { error } = await res.json();
      assert.equal(error.field, field);
      assert.match(error.message, message);
    });
  }
  await t.step("an unknown device", async () => {
    assert.equal((await api.request("/v1/devices/ghost/history")).status, 404);
  });
});
