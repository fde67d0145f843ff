import assert from "node:assert/strict";
import type { Reading } from "../../shared/reading/mod.ts";
import { aPcReading, later } from "../../testing/a_reading.ts";
import {
  alertsOf,
  episodesOf,
  evaluateTraces,
  quantile,
  ratesAreMeaningful,
  type ScoredTrace,
} from "./metrics.ts";

/** A trace of readings 5 s apart from `p` (probabilities) and `s` (stressed 0/1). */
function trace(p: number[], s: number[], threshold = 0.5): ScoredTrace {
  const first = aPcReading({ device: "pc1" });
  const readings: Reading[] = p.map((_, i) => (i === 0 ? first : later(first, i * 5)));
  return {
    readings,
    times: readings.map((r) => Date.parse(r.timestamp)),
    stressed: s.map(Boolean),
    causes: s.map((v) => (v ? ["temperature" as const] : [])),
    probabilities: p,
    thresholds: p.map(() => threshold),
    labels: p.map((_, i) => (s.slice(i + 1, i + 13).some(Boolean) ? 1 : 0)),
  };
}

Deno.test("episodesOf() measures the lead from the first crossing of a warning still on at onset", async (t) => {
  await t.step("a warning 40 s ahead", () => {
    const p = [0, 0, 0, 0, 0.6, 0.7, 0.8, 0.9, 0.9, 0.9, 0.9, 0.9, 1];
    const s = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    assert.deepEqual(episodesOf(trace(p, s)).map((e) => e.lead), [40]);
  });
  await t.step(
    "a dip that does not re-arm (0.4 > 0.35) keeps the warning; the strict lead restarts",
    () => {
      const p = [0, 0, 0, 0, 0.6, 0.6, 0.4, 0.6, 0.6, 0.6, 0.6, 0.6, 1];
      const s = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
      const [episode] = episodesOf(trace(p, s));
      assert.equal(episode!.lead, 40);
      assert.equal(episode!.strictLead, 25);
    },
  );
  await t.step("a warning that ended (below 0.35) before onset does not count", () => {
    const p = [0, 0, 0, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 1];
    const s = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    assert.deepEqual(episodesOf(trace(p, s)).map((e) => e.lead), [0]);
  });
  await t.step(
    "stressed readings less than a minute apart are one episode; one without data before it is skipped",
    () => {
      const p = Array(40).fill(0);
      const s = Array(40).fill(0);
      s[1] = 1; // too early: no minute of data before
      s[20] = s[25] = 1; // one episode (25 s apart)
      s[38] = 1; // 65 s after the last: a new one
      assert.equal(episodesOf(trace(p, s)).length, 2);
    },
  );
});

Deno.test("alertsOf() counts alerts as the alert policy raises them and which were false", () => {
  // Crossing at 0 (false: nothing stressed within 120 s), re-armed, crossing at 200 s (right).
  const p = Array(70).fill(0.1);
  const s = Array(70).fill(0);
  p[0] = 0.9;
  p[40] = 0.9;
  s[45] = 1;
  assert.deepEqual(alertsOf(trace(p, s), 0), { alerts: 2, falseAlerts: 1 });
  assert.deepEqual(
    alertsOf(trace(p, s), 15 * 60_000),
    { alerts: 1, falseAlerts: 1 },
    "the cooldown holds back the second",
  );
});

Deno.test("evaluateTraces() gives precision, recall, episode leads and false alerts per device-day", () => {
  const p = [0, 0, 0, 0, 0.6, 0.7, 0.8, 0.9, 0.9, 0.9, 0.9, 0.9, 1, 1, 0, 0];
  const s = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0];
  const m = evaluateTraces([trace(p, s)]);
  assert.equal(m.episodes, 1);
  assert.equal(m.warned_30s_share, 1);
  assert.equal(m.lead_median_s, 40);
  assert.equal(m.false_alerts, 0);
  assert.equal(m.precision, 0.9, "the last stressed reading has nothing stressed after it");
  assert.ok(m.recall > 0.5 && m.recall <= 1);
  assert.equal(m.positives, 13, "every reading with a stressed one within 12 readings after it");
  assert.equal(m.predicted, 10);
  assert.equal(m.by_kind.thermal.episodes, 1);
  assert.equal(m.by_kind.sudden.episodes, 0);
  assert.ok(Math.abs(m.device_days - 75 / 86_400) < 1e-9);
});

Deno.test("episodesOf() gives each episode's onset time and causes", () => {
  const s = [0, 0, 0, 0, 0, 1, 1, 0];
  const t = trace(Array(8).fill(0), s);
  assert.deepEqual(
    episodesOf(t).map((e) => [e.onset, e.causes]),
    [[t.times[5], ["temperature"]]],
  );
});

Deno.test("ratesAreMeaningful() wants at least 6 device-hours", () => {
  assert.equal(ratesAreMeaningful({ device_days: 5.99 / 24 }), false);
  assert.equal(ratesAreMeaningful({ device_days: 6 / 24 }), true);
});

Deno.test("quantile() interpolates and is NaN without values", () => {
  assert.equal(quantile([0, 10], 0.5), 5);
  assert.equal(quantile([1, 2, 3, 4, 5], 0.1), 1.4);
  assert.ok(Number.isNaN(quantile([], 0.5)));
});
