import assert from "node:assert/strict";
import { robustStats, stats } from "./_signal_stats.ts";

/** Times of `n` readings 5 s apart, the last at 0. */
const times = (n: number) => Array.from({ length: n }, (_, i) => (i - n + 1) * 5);
const close = (a: number, b: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(a - b) <= tolerance, `${a} is not ${b}`);

Deno.test("robustStats() agrees with least squares on a clean line", () => {
  const values = times(12).map((t) => 71 + t / 5); // 60 to 71: +12 per minute
  const robust = robustStats(times(12), values, { floor: 1.5, stress: "high" });
  const plain = stats(times(12), values);
  close(robust.slopePerMin, plain.slopePerMin);
  close(robust.fittedLast, plain.fittedLast);
  assert.equal(robust.recent, 71);
  assert.equal(robust.peak, 70, "the second highest");
  assert.equal(robust.low, 61, "the second lowest");
});

Deno.test("robustStats() is not thrown by one odd reading", async (t) => {
  const clean = times(12).map((t) => 80 + t / 10); // +6 per minute, 80 now
  await t.step("a spike inside the window is left out of the line", () => {
    const spiky = clean.map((v, i) => (i === 5 ? v + 12 : v));
    const s = robustStats(times(12), spiky, { floor: 1.5, stress: "high" });
    close(s.slopePerMin, 6, 1e-6);
    close(s.fittedLast, 80, 1e-6);
    assert.equal(s.max, clean[5]! + 12, "the plain max still sees it");
    assert.equal(s.peak, clean[11], "the peak does not");
  });
  await t.step("a pause in the last reading is waited out, toward no stress only", () => {
    const paused = clean.map((v, i) => (i === 11 ? v - 10 : v));
    const s = robustStats(times(12), paused, { floor: 1.5, stress: "high" });
    close(s.slopePerMin, 6, 1e-6);
    close(s.fittedLast, 80, 1e-6);
    assert.equal(s.recent, clean[9], "the median of the last three (79, 79.5, 70)");
    assert.equal(s.last, 70);
  });
  await t.step("a jump toward stress in the last reading counts at once", () => {
    const jumped = clean.map((v, i) => (i === 11 ? v + 10 : v));
    const s = robustStats(times(12), jumped, { floor: 1.5, stress: "high" });
    assert.equal(s.recent, 90);
    assert.ok(s.slopePerMin > 6 && s.fittedLast > 80, "the line follows it up");
  });
  await t.step("for headroom, less is toward stress", () => {
    const headroom = clean.map((v, i) => 100 - v + (i === 11 ? 10 : 0)); // a pause: 10 °C cooler
    const s = robustStats(times(12), headroom, { floor: 1.5, stress: "low" });
    close(s.fittedLast, 20, 1e-6);
    assert.equal(s.recent, headroom[9], "the cooler last reading waits for the next");
  });
});

Deno.test("robustStats() does not trim the noise of a sensor that reads in steps", () => {
  // A 1 °C/min creep read in whole degrees: steps, not outliers.
  const values = times(12).map((t) => Math.round(60 + t / 60));
  const s = robustStats(times(12), values, { floor: 1.5, stress: "high" });
  close(s.slopePerMin, stats(times(12), values).slopePerMin);
});

Deno.test("robustStats() gives NaN without values and copes with one or two", () => {
  assert.ok(Number.isNaN(robustStats([0], [null], { floor: 1, stress: "high" }).slopePerMin));
  const one = robustStats([0], [5], { floor: 1, stress: "high" });
  assert.deepEqual([one.recent, one.peak, one.low, one.slopePerMin], [5, 5, 5, 0]);
  const two = robustStats([-5, 0], [4, 6], { floor: 1, stress: "high" });
  assert.deepEqual([two.recent, two.peak, two.low], [6, 6, 4]);
  close(two.slopePerMin, 24);
});
