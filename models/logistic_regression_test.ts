import assert from "node:assert/strict";
import { fitLogistic, predictLogistic, sigmoid } from "./logistic_regression.ts";
import { createPrng } from "./simulate/prng.ts";

/** Rows drawn from a known logistic model: p = sigmoid(-1 + 2 x0 - 1 x1). */
function sample(rows: number, seed: number) {
  const rng = createPrng(seed);
  const x = new Float64Array(rows * 2);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    x[i * 2] = rng.normal(0, 1);
    x[i * 2 + 1] = rng.normal(5, 2);
    y[i] = rng.next() < sigmoid(-1 + 2 * x[i * 2]! - 1 * (x[i * 2 + 1]! - 5)) ? 1 : 0;
  }
  return { rows, width: 2, x, y };
}

Deno.test("fitLogistic() recovers known coefficients on standardised features", () => {
  const { model, converged } = fitLogistic(sample(20_000, 7), { l2: 0 });
  assert.ok(converged);
  // Weights are per standard deviation: x0 has sd 1, x1 sd 2.
  assert.ok(Math.abs(model.weights[0]! - 2) < 0.1, `w0 ${model.weights[0]}`);
  assert.ok(Math.abs(model.weights[1]! + 2) < 0.15, `w1 ${model.weights[1]}`);
  assert.ok(Math.abs(model.mean[1]! - 5) < 0.05);
  assert.ok(Math.abs(model.scale[1]! - 2) < 0.05);
});

Deno.test("fitLogistic() is deterministic and the L2 penalty shrinks weights", () => {
  const data = sample(2_000, 3);
  assert.deepEqual(fitLogistic(data).model, fitLogistic(data).model);
  const loose = fitLogistic(data, { l2: 0 }).model;
  const tight = fitLogistic(data, { l2: 5_000 }).model;
  assert.ok(Math.abs(tight.weights[0]!) < Math.abs(loose.weights[0]!) / 2);
});

Deno.test("fitLogistic() honours row weights and fills missing values with the mean", () => {
  const x = [0, 1, 2, 3, NaN, NaN];
  const y = [0, 0, 1, 1, 1, 0];
  const heavy = fitLogistic({ rows: 6, width: 1, x, y, weight: [1, 1, 1, 1, 50, 1] }).model;
  const plain = fitLogistic({ rows: 6, width: 1, x, y }).model;
  assert.ok(heavy.bias > plain.bias, "a heavy positive row raises the base rate");
  assert.equal(plain.mean[0], 1.5, "the mean ignores missing values");
  assert.equal(predictLogistic(plain, [NaN]), sigmoid(plain.bias), "a missing value adds nothing");
});

Deno.test("fitLogistic() refuses data it cannot use", () => {
  assert.throws(
    () => fitLogistic({ rows: 1, width: 1, x: [1], y: [1] }),
    /need at least 2 rows, got 1/,
  );
  assert.throws(
    () => fitLogistic({ rows: 2, width: 2, x: [1, 2, 3], y: [0, 1] }),
    /x has 3 values, expected rows × width = 4/,
  );
  assert.throws(() => fitLogistic(sample(10, 1), { l2: -1 }), /'l2' must be >= 0, got -1/);
});

Deno.test("fitLogistic() started from a nearby model reaches the same optimum in fewer steps", () => {
  const data = sample(20_000, 11);
  const cold = fitLogistic(data);
  const nearby = fitLogistic(sample(20_000, 12)).model;
  const warm = fitLogistic(data, { initial: nearby });
  assert.ok(warm.converged);
  assert.ok(warm.iterations < cold.iterations, `${warm.iterations} vs ${cold.iterations} steps`);
  cold.model.weights.forEach((w, j) => assert.ok(Math.abs(w - warm.model.weights[j]!) < 1e-5));
  assert.ok(Math.abs(cold.model.bias - warm.model.bias) < 1e-5);
  assert.throws(
    () => fitLogistic(data, { initial: { ...nearby, weights: [1] } }),
    /'initial' has 1 weights, the data 2 features/,
  );
});
