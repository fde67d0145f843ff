import assert from "node:assert/strict";
import { createRuleScorer } from "../../shared/scoring/rule_scorer.ts";
import { aPcHeatUp } from "../../testing/a_heat_up.ts";
import { aRaspberryReading, later } from "../../testing/a_reading.ts";
import { createRuleScorerAt } from "./budget_rule.ts";
import { evaluateTraceSet, formatTraceEvaluation, traceEvaluationJson } from "./evaluate_traces.ts";
import type { Trace } from "./read_traces.ts";

function aTrace(readings: Trace["readings"], hotLimitC: number): Trace {
  return {
    device: readings[0]!.device,
    profile: readings[0]!.profile,
    readings,
    hotLimitC,
    hotLimitFrom: "sidecar",
    hardware: null,
    file: `${readings[0]!.device}.jsonl`,
    refused: [],
  };
}

const pi = aRaspberryReading({ device: "idle-pi", CPU_temp_celsius: 45 });
/** A Ryzen-like heat-up to 86.5 °C against its 84.5 °C limit (onset 275 s in), and an idle Pi. */
const TRACES = [
  aTrace(aPcHeatUp({ device: "ryzen", peakC: 86.5 }), 84.5),
  aTrace(Array.from({ length: 30 }, (_, i) => later(pi, i * 5)), 80),
];
/** The rule judged at 0.3 (warns early), at 0.5 (plain) and at 0.95 (the budget-held reference). */
const SCORERS = [
  { key: "early", name: "rule at 0.3", scorer: createRuleScorerAt({ pc: 0.3, raspberry: 0.3 }) },
  { key: "rule", name: "rule", scorer: createRuleScorer() },
  { key: "budget_rule", name: "rule at 0.95", scorer: createRuleScorerAt({ pc: 0.95 }) },
];

function evaluate() {
  return evaluateTraceSet({
    traces: TRACES,
    scorers: SCORERS,
    reference: "budget_rule",
    threshold: 0.5,
    horizonS: 60,
  });
}

Deno.test("evaluateTraceSet() measures each recording at its own hot limit, with every scorer's lead per episode", async () => {
  const { traces } = await evaluate();
  const [ryzen, idle] = traces;
  assert.equal(ryzen!.hot_limit_c, 84.5);
  assert.equal(ryzen!.stressed_readings, 10, "84.7 to 86.5 °C and back: 5 readings each way");
  // The rule's probability is 0.3 at 78.65 °C, 0.5 at 79.5 and 0.95 at 82.44; 0.45 °C per reading.
  assert.deepEqual(ryzen!.episodes, [{
    onset: new Date(Date.parse(TRACES[0]!.readings[0]!.timestamp) + 275_000).toISOString(),
    kind: "thermal",
    causes: ["temperature"],
    leads: { early: 65, rule: 55, budget_rule: 25 },
  }]);
  assert.deepEqual(ryzen!.results.map((r) => [r.key, r.metrics.episodes]), [
    ["early", 1],
    ["rule", 1],
    ["budget_rule", 1],
  ]);
  assert.equal(idle!.episodes.length, 0);
  assert.equal(idle!.results[0]!.metrics.positives, 0);
});

Deno.test("evaluateTraceSet() totals per profile and overall, and reads the targets off", async () => {
  const { totals, targets } = await evaluate();
  assert.deepEqual(totals.map((r) => `${r.profile}/${r.scorer}`), [
    "pc/rule at 0.3",
    "pc/rule",
    "pc/rule at 0.95",
    "raspberry/rule at 0.3",
    "raspberry/rule",
    "raspberry/rule at 0.95",
    "all/rule at 0.3",
    "all/rule",
    "all/rule at 0.95",
  ]);
  assert.deepEqual(targets.find((t) => t.profile === "pc"), {
    profile: "pc",
    episodes: 1,
    warned_30s: { early: 1, rule: 1, budget_rule: 0 },
    false_alerts: { early: 0, rule: 0, budget_rule: 0 },
    not_later_than_reference: 1,
    reference: "budget_rule",
  });
  assert.equal(targets.find((t) => t.profile === "raspberry")!.episodes, 0);
});

Deno.test("formatTraceEvaluation() prints the table per recording and in total, the episodes and the targets", async () => {
  const text = formatTraceEvaluation(await evaluate());
  const lines = text.split("\n");
  assert.match(lines[0]!, /^recording \(hot limit\)\s+scorer\s+precision\s+recall/);
  assert.equal(lines.filter((l) => l.startsWith("ryzen (84.5 °C)")).length, 3);
  assert.equal(lines.filter((l) => l.startsWith("all recordings")).length, 3);
  const idle = lines.find((l) => l.startsWith("idle-pi (80 °C)"))!;
  assert.match(
    idle,
    /n\/a\s+n\/a\s+0 in 0\.0 h\s+0 in 0\.0 h\s+0\s+n\/a/,
    "nothing to measure: n/a",
  );
  assert.ok(
    lines.some((l) => /^ryzen\s+\S+Z\s+temperature\s+65 s\s+55 s\s+25 s\s+\+40 s$/.test(l)),
  );
  assert.ok(lines.includes(
    "pc: 1 episodes; warned ≥ 30 s ahead: early 1/1, rule 1/1, budget_rule 0/1; early at most 10 s later than budget_rule: 1/1; false alerts: early 0, rule 0, budget_rule 0",
  ));
});

Deno.test("traceEvaluationJson() gives no rate per device-day for a recording under 6 hours", async () => {
  const json = traceEvaluationJson(await evaluate());
  const metrics = json.traces[0]!.results[0]!.metrics;
  assert.equal(metrics.false_alerts_per_device_day, null);
  assert.equal(metrics.false_alerts, 0);
  assert.ok(metrics.device_days > 0);
});

Deno.test("evaluateTraceSet() refuses a reference no scorer has", async () => {
  await assert.rejects(
    evaluateTraceSet({
      traces: TRACES,
      scorers: SCORERS,
      reference: "nope",
      threshold: 0.5,
      horizonS: 60,
    }),
    /no scorer has the reference key 'nope'/,
  );
});
