import assert from "node:assert/strict";
import { createFolderModelRegistry } from "../../shared/models/folder_model_registry.ts";
import { type LoadedModel, loadOnnxModel } from "../../shared/scoring/onnx/onnx_model.ts";
import { createOnnxScorer } from "../../shared/scoring/onnx/onnx_scorer.ts";
import { createRuleScorer } from "../../shared/scoring/rule_scorer.ts";
import { rearmLevel } from "../../shared/scoring/alert_policy.ts";
import { type HardCase, hardCases } from "./hard_cases.ts";
import { createRuleScorerAt } from "./budget_rule.ts";
import { episodesOf, type ScoredTrace } from "./metrics.ts";
import { scoreSequence } from "./score_trace.ts";
import { MAX_LATER_THAN_BUDGET_RULE_S } from "./evaluate_traces.ts";

/**
 * The shipped models (models/trained) on the four heat-ups the issue says the
 * earlier models got wrong, rebuilt in models/evaluate/hard_cases.ts, three variants
 * each: what the shipped models promise there.
 */
const MODELS = new URL("../trained", import.meta.url).pathname;

async function withShippedModels(
  fn: (
    score: (c: HardCase) => Promise<ScoredTrace>,
    models: Map<string, LoadedModel>,
  ) => Promise<void>,
): Promise<void> {
  const registry = createFolderModelRegistry({ dir: MODELS });
  const models = new Map<string, LoadedModel>();
  for (const ref of await registry.list()) {
    models.set(ref.name, await loadOnnxModel(await registry.load(ref.name)));
  }
  try {
    const scorer = createOnnxScorer({ models, fallback: createRuleScorer() });
    await fn((c) => scoreSequence(c, scorer, { horizonS: 60, threshold: 0.5 }), models);
  } finally {
    await Promise.all([...models.values()].map((m) => m.release()));
  }
}

const cases = hardCases(3);

Deno.test("the shipped models warn the Pi 4 at 0.946 V (readings 18-40 s apart) at least 30 s ahead", async () => {
  await withShippedModels(async (score) => {
    for (const c of cases.filter((c) => c.device.startsWith("pi4-0946v"))) {
      const episodes = episodesOf(await score(c));
      assert.equal(episodes.length, 1, `${c.device}: one heat-up past 80 °C`);
      assert.ok(episodes[0]!.lead >= 30, `${c.device}: warned ${episodes[0]!.lead} s ahead`);
    }
  });
});

Deno.test("the shipped models are never more than 10 s later than the rule held to their false-alert budget", async () => {
  await withShippedModels(async (score, models) => {
    const floors = Object.fromEntries(
      [...models.values()].map((m) => [m.metadata.profile, m.metadata.rule_floor_threshold]),
    );
    const budgetRule = createRuleScorerAt(floors);
    for (const c of cases) {
      const model = episodesOf(await score(c));
      const rule = episodesOf(
        await scoreSequence(c, budgetRule, { horizonS: 60, threshold: 0.5 }),
      );
      model.forEach((e, i) =>
        assert.ok(
          e.lead >= rule[i]!.lead - MAX_LATER_THAN_BUDGET_RULE_S,
          `${c.device} at ${new Date(e.onset).toISOString()}: model ${e.lead} s, budget rule ${
            rule[i]!.lead
          } s`,
        )
      );
    }
  });
});

Deno.test("the shipped pc model holds its warning through a benchmark's 5-s pauses near the limit", async () => {
  await withShippedModels(async (score) => {
    for (const c of cases.filter((c) => c.device.startsWith("bench-pauses"))) {
      const trace = await score(c);
      const [episode] = episodesOf(trace);
      assert.ok(episode, `${c.device}: the benchmark reaches its limit`);
      assert.ok(episode.lead >= 30, `${c.device}: warned ${episode.lead} s ahead`);
      // From the first warning to the onset, every reading stays above the re-arm level,
      // the pause readings (20 W) included.
      const onset = Array.from(trace.times).indexOf(episode.onset);
      const start = Array.from(trace.times).findIndex((t) =>
        t >= episode.onset - episode.lead * 1000
      );
      for (let i = start; i < onset; i++) {
        assert.ok(
          trace.probabilities[i]! >= rearmLevel(trace.thresholds[i]!),
          `${c.device}: the warning broke at ${c.readings[i]!.timestamp}`,
        );
      }
    }
  });
});
