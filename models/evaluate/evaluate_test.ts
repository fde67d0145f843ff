import assert from "node:assert/strict";
import { createRuleScorer } from "../../shared/scoring/rule_scorer.ts";
import { simulateSequences } from "../simulate/write_jsonl.ts";
import { type EvaluateInput, evaluateModels, formatTable } from "./evaluate.ts";

/** The rule evaluated as if it were a model, on a small simulated fleet. */
function evaluateTheRule(extra: Partial<EvaluateInput> = {}) {
  return evaluateModels({
    train: simulateSequences({ devices: 4, hours: 6, seed: 1 }),
    test: simulateSequences({ devices: 2, hours: 6, seed: 2, prefix: "heldout" }),
    model: createRuleScorer(),
    modelName: "the rule again",
    threshold: 0.5,
    horizonS: 60,
    ...extra,
  });
}

Deno.test("evaluateModels() compares a scorer with both baselines per profile and overall", async () => {
  const lines: string[] = [];
  const rows = await evaluateTheRule({ progress: (l) => lines.push(l) });
  assert.deepEqual(
    rows.map((r) => `${r.profile}/${r.scorer}`),
    [
      "pc/the rule again",
      "pc/single-reading LR (old system)",
      "pc/rule (within 5 °C of limit)",
      "raspberry/the rule again",
      "raspberry/single-reading LR (old system)",
      "raspberry/rule (within 5 °C of limit)",
      "all/the rule again",
      "all/single-reading LR (old system)",
      "all/rule (within 5 °C of limit)",
    ],
  );
  // The same scorer twice gives the same numbers: the comparison is like for like.
  assert.deepEqual(rows[0]!.metrics, rows[2]!.metrics);
  assert.ok(lines.some((l) => /single-reading baseline for pc/.test(l)));
  const table = formatTable(rows);
  assert.match(
    table.split("\n")[0]!,
    /^profile\s+scorer\s+precision\s+recall\s+false alerts\/dev-day/,
  );
  const tableLines = table.split("\n");
  assert.equal(tableLines.length, 12, "header, rule, 9 rows and the note on short data");
  // One device of each profile for 6 h less one reading: under 6 device-hours, counts only.
  assert.match(tableLines[2]!, /^pc\s+the rule again\s+\S+\s+\S+\s+\d+ in 6\.0 h\s+\d+ in 6\.0 h/);
  assert.match(tableLines[8]!, /^all\s+the rule again\s+\S+\s+\S+\s+\d+\.\d\d\s+\d+\.\d\d/);
  assert.equal(
    tableLines[11],
    "(a rate per device-day needs at least 6 device-hours; below that the count and the hours are given)",
  );
});

Deno.test("evaluateModels() adds the rule held to the false-alert budget when asked", async () => {
  const rows = await evaluateTheRule({
    budgetRule: { defaultThreshold: 0.5, falseAlertBudget: 1, margin: 0.8 },
  });
  const budget = rows.filter((r) => r.scorer.startsWith("rule at the false-alert budget"));
  assert.deepEqual(budget.map((r) => r.profile), ["pc", "raspberry", "all"]);
  assert.match(budget[0]!.scorer, /\(t: pc [0-9.]+, raspberry [0-9.]+\)/);
});
