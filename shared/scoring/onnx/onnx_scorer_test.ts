import assert from "node:assert/strict";
import { FEATURE_DEFAULTS } from "../features.ts";
import { limitsFor } from "../stressed.ts";
import type { Reading } from "../../reading/mod.ts";
import { aModelFiles } from "../../../testing/a_model.ts";
import { aPcReading, aRaspberryReading, later } from "../../../testing/a_reading.ts";
import { type LoadedModel, loadOnnxModel } from "./onnx_model.ts";
import { createOnnxScorer } from "./onnx_scorer.ts";
import { createRuleScorer, RULE_MODEL } from "../rule_scorer.ts";
import type { ScoreInput } from "../scorer.ts";

function input(window: Reading[]): ScoreInput {
  const last = window[window.length - 1]!;
  return { device: last.device, profile: last.profile, window, limits: limitsFor(last.profile) };
}

function warmingPc(device: string, from: number): Reading[] {
  const first = aPcReading({ device, TemperatureCPUPackage: from });
  return Array.from(
    { length: 12 },
    (_, i) => (i === 0 ? first : later(first, i * 5, { TemperatureCPUPackage: from + i })),
  );
}

/** Counts session runs of a loaded model. */
function counting(model: LoadedModel): LoadedModel & { runs: number[] } {
  const runs: number[] = [];
  return Object.assign({
    ...model,
    predict: (x: Float32Array, rows: number) => (runs.push(rows), model.predict(x, rows)),
  }, { runs });
}

Deno.test("createOnnxScorer() scores a batch with one run per model and the rule for the rest", async () => {
  const pcModel = await loadOnnxModel(await aModelFiles("pc"));
  try {
    const pc = counting(pcModel);
    const scorer = createOnnxScorer({
      models: new Map([["pc", pc]]),
      fallback: createRuleScorer(),
    });
    const inputs = [
      input(warmingPc("pc1", 70)), // 81 °C at the end: 9 °C below the limit
      input(warmingPc("pc2", 78)), // 89 °C: 1 °C below
      input([aPcReading({ device: "pc3", TemperatureCPUPackage: 88 })]), // one reading: too short a window
      input([aRaspberryReading({ device: "pi" })]), // no Pi model
    ];
    const scores = await scorer.score(inputs);
    assert.deepEqual(pc.runs, [2], "one session run for both pc windows");
    assert.ok(Math.abs(scores[0]!.probability - 1 / (1 + Math.exp(4))) < 1e-5);
    assert.ok(Math.abs(scores[1]!.probability - 1 / (1 + Math.exp(-4))) < 1e-5);
    assert.match(scores[0]!.model, /^pc@[0-9a-f]{12}$/);
    assert.equal(scores[0]!.threshold, 0.5, "the model's own threshold goes with its score");
    assert.equal(scores[2]!.threshold, undefined, "the rule leaves the threshold to the pipeline");
    assert.match(
      scores[1]!.reasons.join(" "),
      /CPU package at 89\.0 °C rising 12\.0 °C\/min: the 90 °C limit in about 5 s/,
    );
    assert.equal(scores[2]!.model, RULE_MODEL);
    assert.equal(scores[3]!.model, RULE_MODEL);
  } finally {
    await pcModel.release();
  }
});

Deno.test("createOnnxScorer() explains with the real temperature and the steeper trend", async () => {
  const model = await loadOnnxModel(await aModelFiles("pc"));
  try {
    const scorer = createOnnxScorer({
      models: new Map([[model.ref.name, model]]),
      fallback: createRuleScorer(),
    });
    // 70 °C for 45 s, then a jump to 82 °C: the last half-minute rises much faster than the minute.
    const first = aPcReading({ device: "pc9", TemperatureCPUPackage: 70 });
    const window: Reading[] = Array.from(
      { length: 12 },
      (_, i) => i === 0 ? first : later(first, i * 5, { TemperatureCPUPackage: i < 9 ? 70 : 82 }),
    );
    const [score] = await scorer.score([input(window)]);
    assert.match(
      score!.reasons[0]!,
      /^CPU package at 82\.0 °C rising [0-9.]+ °C\/min: the 90 °C limit in about \d+ s$/,
    );
  } finally {
    await model.release();
  }
});

Deno.test("createOnnxScorer() names heavy work, and a weak supply under load", async (t) => {
  await t.step("a pc jumping to full load, still far from the limit", async () => {
    const model = await loadOnnxModel(await aModelFiles("pc"));
    try {
      const scorer = createOnnxScorer({
        models: new Map([[model.ref.name, model]]),
        fallback: createRuleScorer(),
      });
      const first = aPcReading({ device: "pc8", TemperatureCPUPackage: 40 });
      const window = [
        first,
        later(first, 5, { TemperatureCPUPackage: 48 }),
        later(first, 10, { TemperatureCPUPackage: 57, LoadCPUTotal: 99.6, PowerCPUPackage: 118.4 }),
      ];
      const [score] = await scorer.score([input(window)]);
      assert.deepEqual(score!.reasons, [
        "CPU package at 57.0 °C, 33.0 °C below the 90 °C limit",
        "under heavy load: CPU 100 %, 118 W",
      ]);
    } finally {
      await model.release();
    }
  });
  await t.step("a Pi that sagged before, now at 95 % CPU", async () => {
    const model = await loadOnnxModel(await aModelFiles("raspberry"));
    try {
      const scorer = createOnnxScorer({
        models: new Map([[model.ref.name, model]]),
        fallback: createRuleScorer(),
      });
      const first = aRaspberryReading({ throttled: "0x50000", cpu_load_percent: 20 });
      const window = [first, later(first, 5), later(first, 10, { cpu_load_percent: 95 })];
      const [score] = await scorer.score([input(window)]);
      assert.equal(
        score!.reasons.at(-1),
        "the Pi has seen under-voltage since boot (weak power supply) and is working hard (CPU 95 %)",
      );
      const [calm] = await scorer.score([
        input(window.map((r) => ({ ...r, cpu_load_percent: 10 }))),
      ]);
      assert.equal(
        calm!.reasons.at(-1),
        "the Pi has seen under-voltage since boot (weak power supply)",
      );
    } finally {
      await model.release();
    }
  });
});

Deno.test("createOnnxScorer() asks for the features' window, or its fallback's when longer", () => {
  const models = new Map<string, LoadedModel>();
  const rule = createRuleScorer();
  assert.equal(createOnnxScorer({ models, fallback: rule }).windowSize, 12);
  assert.equal(
    createOnnxScorer({ models, fallback: rule, features: { ...FEATURE_DEFAULTS, window: 24 } })
      .windowSize,
    24,
  );
  const longer = { windowSize: 30, score: rule.score };
  assert.equal(createOnnxScorer({ models, fallback: longer }).windowSize, 30);
});
