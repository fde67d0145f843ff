import assert from "node:assert/strict";
import { featureNames } from "../../shared/scoring/features.ts";
import { simulateSequences } from "../simulate/write_jsonl.ts";
import { SIMULATION_START } from "../simulate/simulate_fleet.ts";
import type { Reading } from "../../shared/reading/mod.ts";
import { aPcReading, later } from "../../testing/a_reading.ts";
import type { ScoredTrace } from "../evaluate/metrics.ts";
import { chooseThreshold, pickThreshold, THRESHOLD_GRID } from "./choose_threshold.ts";

/** A model that only looks at the last headroom: p = 0.5 at 3 °C below the limit. */
function headroomModel() {
  const names = featureNames("pc");
  const weights = names.map((n) => (n === "temp_headroom_recent" ? -2 : 0));
  return { mean: names.map(() => 0), scale: names.map(() => 1), weights, bias: 6 };
}

Deno.test("chooseThreshold() picks the most warning threshold within the false-alert budget", async () => {
  const sequences = simulateSequences({ devices: 6, hours: 12, seed: 1, profiles: ["pc"] });
  const input = {
    model: headroomModel(),
    profile: "pc" as const,
    sequences,
    from: SIMULATION_START + 6 * 3_600_000,
    window: 12,
    intervalS: 5,
    horizonS: 60,
    defaultThreshold: 0.5,
    margin: 1,
  };
  const generous = await chooseThreshold({ ...input, falseAlertBudget: 1000 });
  assert.ok(generous.metrics!.episodes > 0);
  assert.ok(THRESHOLD_GRID.includes(generous.threshold));
  const strict = await chooseThreshold({ ...input, falseAlertBudget: 0 });
  assert.ok(strict.threshold >= generous.threshold);
  assert.ok(strict.metrics!.warned_30s_share <= generous.metrics!.warned_30s_share);
  assert.ok(
    strict.metrics!.false_alerts_per_device_day <= generous.metrics!.false_alerts_per_device_day,
  );
  const empty = await chooseThreshold({
    ...input,
    sequences: sequences.slice(0, 0),
    falseAlertBudget: 1,
  });
  assert.deepEqual(empty, { threshold: 0.5, metrics: null });
});

/**
 * A day of one device, a reading every 5 s: 10 episodes, each warned at 0.45
 * from 60 s ahead and at 0.9 from 20 s ahead, and 3 near misses at 0.5 that
 * never become stressed. So a threshold up to 0.45 warns every episode at
 * 3 false alerts per device-day, 0.5 warns none late and raises 3, and from
 * 0.55 on none is warned ≥ 30 s ahead and no alert is false.
 */
function aDayTrace(): ScoredTrace {
  const n = 17_280;
  const first = aPcReading({ device: "pc1" });
  const readings: Reading[] = Array.from(
    { length: n },
    (_, i) => (i === 0 ? first : later(first, i * 5)),
  );
  const p = new Float64Array(n).fill(0.01);
  const s = new Array<boolean>(n).fill(false);
  for (let k = 0; k < 10; k++) {
    const onset = 1000 + k * 1500;
    p.fill(0.45, onset - 12, onset - 4);
    p.fill(0.9, onset - 4, onset);
    p.fill(0.99, onset, onset + 6);
    s.fill(true, onset, onset + 6);
  }
  for (const at of [16_000, 16_500, 17_000]) p.fill(0.5, at, at + 4);
  return {
    readings,
    times: readings.map((r) => Date.parse(r.timestamp)),
    stressed: s,
    causes: s.map((v) => (v ? ["temperature" as const] : [])),
    probabilities: p,
    thresholds: new Float64Array(n).fill(0.5),
    labels: new Array(n).fill(0),
  };
}

Deno.test("pickThreshold() takes the highest threshold that warns the most within the false-alert budget", async (t) => {
  const traces = [aDayTrace()];
  await t.step("with room in the budget: 0.45, not the equally warning but noisier 0.25", () => {
    const choice = pickThreshold(traces, {
      defaultThreshold: 0.5,
      falseAlertBudget: 3.5,
      margin: 1,
    });
    assert.equal(choice.threshold, 0.45);
    assert.equal(choice.metrics!.warned_30s_share, 1);
    assert.ok(Math.abs(choice.metrics!.false_alerts_per_device_day - 3) < 0.01);
  });
  await t.step("the margin keeps the rate below a share of the budget: 0.95, warning none", () => {
    const choice = pickThreshold(traces, {
      defaultThreshold: 0.5,
      falseAlertBudget: 3.5,
      margin: 0.5,
    });
    assert.equal(choice.threshold, 0.95);
    assert.equal(choice.metrics!.false_alerts_per_device_day, 0);
  });
  await t.step("over the budget everywhere: the threshold with the fewest false alerts", () => {
    // One more near miss at 0.97: every threshold raises at least one false alert.
    const noisy = { ...traces[0]!, probabilities: Float64Array.from(traces[0]!.probabilities) };
    noisy.probabilities.fill(0.97, 8000, 8004);
    const choice = pickThreshold([noisy], {
      defaultThreshold: 0.5,
      falseAlertBudget: 0.5,
      margin: 1,
    });
    assert.ok(Math.abs(choice.metrics!.false_alerts_per_device_day - 1) < 0.01);
    assert.equal(choice.threshold, 0.95);
  });
  await t.step("a margin outside (0, 1] is refused", () => {
    assert.throws(
      () => pickThreshold(traces, { defaultThreshold: 0.5, falseAlertBudget: 1, margin: 1.5 }),
      /'margin' must be in \(0, 1\], got 1.5/,
    );
  });
});
