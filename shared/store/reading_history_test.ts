import assert from "node:assert/strict";
import { aScored } from "../../testing/a_prediction.ts";
import { aPcReading } from "../../testing/a_reading.ts";
import { openKvStore } from "./kv_store.ts";
import { historyStepS, numericMetrics, readingHistory } from "./reading_history.ts";

const T0 = Date.parse("2026-01-31T12:00:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

Deno.test("readingHistory() gives min, mean and max per step and leaves gaps out", async () => {
  const store = await openKvStore(":memory:");
  try {
    // Minute 0: 50, 52, 54, 56 (4 readings 15 s apart); minute 1: none; minute 2: 70 and null.
    const readings = [
      ...[50, 52, 54, 56].map((t, i) =>
        aPcReading({ device: "pc1", timestamp: at(i * 15), TemperatureCPUPackage: t })
      ),
      aPcReading({ device: "pc1", timestamp: at(120), TemperatureCPUPackage: 70 }),
      aPcReading({ device: "pc1", timestamp: at(130), TemperatureCPUPackage: null }),
      aPcReading({ device: "pc2", timestamp: at(10), TemperatureCPUPackage: 99 }),
    ];
    await store.saveScored(readings.map((r) => aScored(r)));
    const history = await readingHistory(store, "pc1", {
      metric: "TemperatureCPUPackage",
      from: T0,
      to: T0 + 180_000,
      stepS: 60,
    });
    assert.equal(history.step_s, 60);
    assert.deepEqual(history.points, [
      { time: T0, min: 50, mean: 53, max: 56, count: 4 },
      { time: T0 + 120_000, min: 70, mean: 70, max: 70, count: 1 },
    ]);
  } finally {
    await store.close();
  }
});

Deno.test("readingHistory() reads past one store page", async () => {
  const store = await openKvStore(":memory:");
  try {
    const readings = Array.from(
      { length: 2500 },
      (_, i) =>
        aPcReading({ device: "pc1", timestamp: at(i * 5), LoadCPUTotal: i % 2 === 0 ? 10 : 30 }),
    );
    await store.saveScored(readings.map((r) => aScored(r)));
    const history = await readingHistory(store, "pc1", {
      metric: "LoadCPUTotal",
      from: T0,
      to: T0 + 2500 * 5000,
    });
    assert.equal(history.step_s, 15, "the smallest usual step under 1,000 points");
    assert.equal(history.points.reduce((n, p) => n + p.count, 0), 2500);
    assert.ok(history.points.length <= 1000);
    assert.ok(history.points.every((p) => p.min >= 10 && p.max <= 30));
  } finally {
    await store.close();
  }
});

Deno.test("readingHistory() refuses an unknown metric, a backwards range and too many steps", async () => {
  const store = await openKvStore(":memory:");
  try {
    await assert.rejects(
      readingHistory(store, "pc1", { metric: "uuid", from: T0, to: T0 + 1000 }),
      /'metric' must be a numeric reading field/,
    );
    await assert.rejects(
      readingHistory(store, "pc1", { metric: "LoadCPUTotal", from: T0, to: T0 }),
      /'from' must be a time before 'to'/,
    );
    await assert.rejects(
      readingHistory(store, "pc1", {
        metric: "LoadCPUTotal",
        from: T0,
        to: T0 + 86_400_000,
        stepS: 5,
      }),
      /17280 steps of 5 s, at most 1000; take a step of at least 120 s/,
    );
  } finally {
    await store.close();
  }
});

Deno.test("numericMetrics() lists the numeric fields of each profile", () => {
  assert.ok(numericMetrics("pc").includes("TemperatureCPUPackage"));
  assert.ok(!numericMetrics("pc").includes("CPU_temp_celsius"));
  assert.ok(numericMetrics("raspberry").includes("voltage_core_v"));
  assert.ok(!numericMetrics().includes("schema_version"));
  assert.ok(!numericMetrics().includes("cpu_throttled"), "a boolean is not charted");
  assert.equal(historyStepS(T0, T0 + 3_600_000), 5);
  assert.equal(historyStepS(T0, T0 + 86_400_000), 120);
});
