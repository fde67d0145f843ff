import assert from "node:assert/strict";
import * as ort from "onnxruntime-node";
import { featureNames, writeFeatures } from "../shared/scoring/features.ts";
import { fitLogistic, predictLogistic } from "./logistic_regression.ts";
import { ONNX_INPUT, ONNX_OUTPUT } from "../shared/scoring/onnx/graph_io.ts";
import { exportOnnx } from "./onnx_export.ts";
import { fleet, simulateDevice } from "./simulate/simulate_fleet.ts";
import { createPrng } from "./simulate/prng.ts";
import { limitsFor } from "../shared/scoring/stressed.ts";
import { buildDataset } from "./dataset.ts";

Deno.test("exportOnnx() predicts what the TypeScript model predicts, to 1e-5, on 1,000 random windows", async () => {
  const specs = fleet({ devices: 2, seed: 11, profiles: ["pc"] });
  const sequences = specs.map((spec) => ({
    device: spec.name,
    profile: spec.profile,
    readings: [...simulateDevice(spec, { hours: 3 })],
  }));
  const dataset = buildDataset("pc", sequences);
  // Labels that make the model use its features: "hotter than 70 °C", with some noise.
  const labelRng = createPrng(9);
  const y = Uint8Array.from(
    { length: dataset.rows },
    (_, i) => (dataset.x[i * dataset.names.length]! < 20 ? 0.8 : 0.1) > labelRng.next() ? 1 : 0,
  );
  const { model } = fitLogistic({
    rows: dataset.rows,
    width: dataset.names.length,
    x: dataset.x,
    y,
  });
  const names = featureNames("pc");
  const width = names.length;
  const rng = createPrng(5);
  const x = new Float32Array(1000 * width);
  for (let row = 0; row < 1000; row++) {
    const { readings } = sequences[rng.int(0, 1)]!;
    const end = rng.int(12, readings.length - 1);
    const window = readings.slice(end - 11, end + 1);
    assert.ok(writeFeatures({ profile: "pc", window, limits: limitsFor("pc") }, x, row * width));
    // Every tenth window lacks a random sensor, as real devices do.
    if (row % 10 === 0) x[row * width + rng.int(0, width - 1)] = NaN;
  }
  const session = await ort.InferenceSession.create(
    exportOnnx(model, { features: names, name: "pc" }),
  );
  try {
    const out = await session.run({ [ONNX_INPUT]: new ort.Tensor("float32", x, [1000, width]) });
    const p = out[ONNX_OUTPUT]!.data as Float32Array;
    assert.deepEqual(out[ONNX_OUTPUT]!.dims, [1000, 1]);
    let worst = 0;
    for (let row = 0; row < 1000; row++) {
      worst = Math.max(worst, Math.abs(p[row]! - predictLogistic(model, x, row * width)));
    }
    assert.ok(worst <= 1e-5, `largest difference ${worst}`);
    const spread = new Set(Array.from(p, (v) => v.toFixed(4)));
    assert.ok(spread.size > 50, "the windows give varied probabilities, not one constant");
  } finally {
    await session.release();
  }
});

Deno.test("exportOnnx() refuses a model that does not match its feature names or is not finite", () => {
  const model = { mean: [0, 0], scale: [1, 1], weights: [1, 2], bias: 0 };
  assert.throws(
    () => exportOnnx(model, { features: ["a"], name: "pc" }),
    /1 feature names for 2 weights/,
  );
  assert.throws(
    () => exportOnnx({ ...model, mean: [0] }, { features: ["a", "b"], name: "pc" }),
    /'mean' has 1 values, expected 2/,
  );
  assert.throws(
    () => exportOnnx({ ...model, bias: NaN }, { features: ["a", "b"], name: "pc" }),
    /non-finite/,
  );
});
