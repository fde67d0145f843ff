import assert from "node:assert/strict";
import { featureNames } from "../features.ts";
import { aLogisticModel, aModelFiles } from "../../../testing/a_model.ts";
import { loadOnnxModel, ModelRefusedError } from "./onnx_model.ts";

Deno.test("loadOnnxModel() loads a model and predicts a batch in one run", async () => {
  const model = await loadOnnxModel(await aModelFiles("pc"));
  try {
    const width = featureNames("pc").length;
    const at = featureNames("pc").indexOf("temp_headroom_recent");
    const x = new Float32Array(2 * width).fill(NaN);
    x[at] = 5; // 5 °C below the limit: p = 0.5
    x[width + at] = 15; // 15 °C below: p = sigmoid(-10)
    const p = await model.predict(x, 2);
    assert.ok(Math.abs(p[0]! - 0.5) < 1e-6);
    assert.ok(Math.abs(p[1]! - 1 / (1 + Math.exp(10))) < 1e-6);
    await assert.rejects(
      model.predict(x, 3),
      new RegExp(`Cannot predict: ${2 * width} values for 3 rows of ${width}`),
    );
  } finally {
    await model.release();
  }
});

Deno.test("loadOnnxModel() refuses models the scorer cannot use", async (t) => {
  await t.step("features that are not the scorer's", async () => {
    const files = await aModelFiles("pc", {
      metadata: { features: [...featureNames("pc")].reverse() },
    });
    await assert.rejects(
      loadOnnxModel(files),
      (e) =>
        e instanceof ModelRefusedError &&
        /its features are in another order than the scorer's: .*retrain it/.test(e.message),
    );
  });
  await t.step("a Pi model's features for a pc model", async () => {
    const files = await aModelFiles("pc", {
      metadata: { features: [...featureNames("raspberry")] },
    });
    await assert.rejects(
      loadOnnxModel(files),
      /its features lack \d+ the scorer needs \(load_recent, load_mean, load_peak, and \d+ more\) and include \d+ the scorer does not compute \(/,
    );
  });
  await t.step("a model trained before features were added", async () => {
    const older = featureNames("pc").filter((n) => !n.includes("_x_"));
    const files = await aModelFiles("pc", { metadata: { features: older } });
    await assert.rejects(
      loadOnnxModel(files),
      /its features lack 21 the scorer needs \(temp_closeness_now_x_temp_closeness_now, .*, and 18 more\): it was trained by another version of the features; retrain it with this one \(deno task train\)$/,
    );
  });
  await t.step("a model trained before input ranges were kept", async () => {
    const files = await aModelFiles("pc");
    const { inputs: _, intercept: __, ...older } = files.metadata;
    await assert.rejects(
      loadOnnxModel({ ...files, metadata: older }),
      /its metadata has no input ranges \(inputs, intercept\), so inputs unlike its training could not be clipped: .*retrain it with this one \(deno task train\)$/,
    );
  });
  await t.step("metadata whose coefficients are not its graph's", async () => {
    const files = await aModelFiles("pc");
    await assert.rejects(
      loadOnnxModel({ ...files, metadata: { ...files.metadata, intercept: 1 } }),
      /its metadata's coefficients \(inputs, intercept\) give [0-9.]+ on the smoke window, its graph [0-9.]+: the metadata does not describe this graph/,
    );
  });
  await t.step("another window length", async () => {
    const files = await aModelFiles("pc", { metadata: { window: 24 } });
    await assert.rejects(
      loadOnnxModel(files),
      /trained on windows of 24 readings, the scorer uses 12/,
    );
  });
  await t.step("bytes that are not ONNX", async () => {
    const files = await aModelFiles("pc", { onnx: new TextEncoder().encode("not a model") });
    await assert.rejects(loadOnnxModel(files), /onnxruntime cannot load it/);
  });
  await t.step("a graph whose smoke prediction is not a probability", async () => {
    // scale 0 makes (x - mean) / scale infinite; opposite weights make the logit NaN.
    const bad = aLogisticModel("pc");
    const files = await aModelFiles("pc", {
      model: {
        ...bad,
        scale: bad.scale.map(() => 0),
        weights: bad.weights.map((_, i) => (i % 2 ? 1 : -1)),
      },
    });
    await assert.rejects(
      loadOnnxModel(files),
      /smoke prediction is not a probability in \[0, 1\]: \[NaN\]/,
    );
  });
});
