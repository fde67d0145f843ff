import assert from "node:assert/strict";
import { aPcReading, later } from "../testing/a_reading.ts";
import type { PcReading } from "../shared/reading/mod.ts";
import {
  buildDataset,
  FEEDBACK_WEIGHT,
  horizonLabels,
  selectRows,
  stressedFlags,
} from "./dataset.ts";

/** pc readings 5 s apart with these temperatures. */
function trace(temps: number[], device = "pc1"): PcReading[] {
  const first = aPcReading({ device, TemperatureCPUPackage: temps[0]! });
  return temps.map((t, i) => (i === 0 ? first : later(first, i * 5, { TemperatureCPUPackage: t })));
}

Deno.test("horizonLabels() marks readings followed by a stressed one within (t, t + H]", () => {
  const readings = trace([60, 60, 60, 60, 95, 60, 60, 60]);
  const stressed = readings.map((r) => r.TemperatureCPUPackage! >= 90);
  // H = 10 s: the two readings before the 95 °C one, not the 95 °C one itself (t excluded),
  // and unknown (null) for the last two whose horizon runs past the data.
  assert.deepEqual(horizonLabels(readings, stressed, 10), [0, 0, 1, 1, 0, 0, null, null]);
});

Deno.test("stressedFlags() uses a given value over the definition", () => {
  const readings = trace([95, 60, 60]);
  assert.deepEqual(stressedFlags({ device: "pc1", profile: "pc", readings }), [true, false, false]);
  assert.deepEqual(
    stressedFlags({ device: "pc1", profile: "pc", readings, stressed: [false, true, undefined] }),
    [false, true, false],
  );
});

Deno.test("buildDataset() makes one row per scorable window with its label", () => {
  const temps = [...Array(20).fill(60), 80, 85, 92, 93, ...Array(20).fill(60)];
  const sequence = { device: "pc1", profile: "pc" as const, readings: trace(temps) };
  const dataset = buildDataset("pc", [sequence], { horizonS: 10 });
  // The first two readings have too short a window; the last two have no known label.
  assert.equal(dataset.rows, temps.length - 4);
  assert.equal(dataset.x.length, dataset.rows * dataset.names.length);
  const positives = Array.from(dataset.y).reduce((a, b) => a + b, 0);
  assert.equal(positives, 3, "the two readings before 92 °C and the one before 93 °C");
  assert.equal(dataset.stressedNow.reduce((a, b) => a + b, 0), 2);
  assert.deepEqual(dataset.devices, ["pc1"]);
});

Deno.test("buildDataset() lets owner feedback override derived labels, weighted higher", () => {
  const readings = trace(Array(30).fill(60));
  const alertAt = Date.parse(readings[10]!.timestamp);
  const dataset = buildDataset("pc", [{ device: "pc1", profile: "pc", readings }], {
    feedback: [{ device: "pc1", time: alertAt, right: true }, {
      device: "other",
      time: alertAt,
      right: true,
    }],
  });
  const row = Array.from(dataset.time).indexOf(alertAt);
  assert.equal(dataset.y[row], 1, "the owner said the alert was right");
  assert.equal(dataset.weight[row], FEEDBACK_WEIGHT);
  assert.equal(dataset.feedbackRows, 1);
  assert.equal(dataset.weight[row + 1], 1);
  const kept = selectRows(dataset, (i) => i >= row);
  assert.equal(kept.rows, dataset.rows - row);
  assert.equal(kept.feedbackRows, 1);
  assert.deepEqual(
    Array.from(kept.x.subarray(0, dataset.names.length)),
    Array.from(dataset.x.subarray(row * dataset.names.length, (row + 1) * dataset.names.length)),
  );
});
