import assert from "node:assert/strict";
import { createRuleScorer } from "../../shared/scoring/rule_scorer.ts";
import { limitsFor } from "../../shared/scoring/stressed.ts";
import { simulateSequences } from "../simulate/write_jsonl.ts";
import { THRESHOLD_GRID } from "../train/choose_threshold.ts";
import { createBudgetRuleScorer } from "./budget_rule.ts";

Deno.test("createBudgetRuleScorer() picks the rule's threshold per profile on training data and scores like the rule", async () => {
  const train = simulateSequences({ devices: 4, hours: 6, seed: 1 });
  const { scorer, thresholds } = await createBudgetRuleScorer({
    train,
    pick: { defaultThreshold: 0.5, falseAlertBudget: 1, margin: 0.8 },
    horizonS: 60,
  });
  assert.deepEqual(Object.keys(thresholds).sort(), ["pc", "raspberry"]);
  for (const t of Object.values(thresholds)) {
    assert.ok(THRESHOLD_GRID.includes(t!) || t === 0.5, `threshold ${t} comes from the grid`);
  }
  const window = train.find((s) => s.profile === "raspberry")!.readings.slice(0, 12);
  const input = {
    device: "d",
    profile: "raspberry" as const,
    window,
    limits: limitsFor("raspberry"),
  };
  const [own] = await scorer.score([input]);
  const [plain] = await createRuleScorer().score([input]);
  assert.equal(own!.probability, plain!.probability);
  assert.equal(own!.threshold, thresholds.raspberry);
});

Deno.test("createBudgetRuleScorer() leaves a profile without training devices out", async () => {
  const train = simulateSequences({ devices: 2, hours: 2, seed: 3, profiles: ["pc"] });
  const { thresholds } = await createBudgetRuleScorer({
    train,
    pick: { defaultThreshold: 0.5, falseAlertBudget: 1, margin: 0.8 },
    horizonS: 60,
  });
  assert.deepEqual(Object.keys(thresholds), ["pc"]);
});
