import assert from "node:assert/strict";
import { FEATURE_DEFAULTS } from "../features.ts";
import { limitsFor, mainTemperature } from "../stressed.ts";
import type { PcReading, RaspberryReading, Reading } from "../../reading/mod.ts";
import { aLogisticModel, aModelFiles } from "../../../testing/a_model.ts";
import { aPcReading, aRaspberryReading, later } from "../../../testing/a_reading.ts";
import { aPi4At0946V } from "../../../testing/hard_cases.ts";
import { type LoadedModel, loadOnnxModel } from "./onnx_model.ts";
import { createOnnxScorer } from "./onnx_scorer.ts";
import { createRuleScorer, RULE_MODEL, ruleProbability } from "../rule_scorer.ts";
import { decideAlert, INITIAL_ALERT_STATE } from "../alert_policy.ts";
import type { Score, ScoreInput } from "../scorer.ts";
import type { Profile } from "../../reading/mod.ts";

function input(window: Reading[], hotLimitC?: number): ScoreInput {
  const last = window[window.length - 1]!;
  return {
    device: last.device,
    profile: last.profile,
    window,
    limits: limitsFor(last.profile, hotLimitC),
  };
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

/** Scores `inputs` with a model built by `aLogisticModel(profile, options)`, then releases it. */
async function scoreWith(
  profile: Profile,
  options: Parameters<typeof aLogisticModel>[1],
  inputs: ScoreInput[],
): Promise<Score[]> {
  const model = await loadOnnxModel(
    await aModelFiles(profile, { model: aLogisticModel(profile, options) }),
  );
  try {
    const scorer = createOnnxScorer({
      models: new Map([[profile, model]]),
      fallback: createRuleScorer(),
    });
    return await scorer.score(inputs);
  } finally {
    await model.release();
  }
}

/** The alert message the alert policy would send for this score (it quotes the first reason). */
function messageFor(score: Score, reading: Reading): string {
  const decision = decideAlert(INITIAL_ALERT_STATE, {
    reading,
    now: Date.parse(reading.timestamp),
    prediction: {
      device: reading.device,
      reading_uuid: reading.uuid,
      timestamp: reading.timestamp,
      scored_at: reading.timestamp,
      probability: score.probability,
      threshold: score.threshold ?? 0.5,
      stressed_soon: score.probability >= (score.threshold ?? 0.5),
      stressed_now: false,
      model: score.model,
      reasons: score.reasons,
    },
  });
  assert.ok(decision.alert, `an alert is raised (p ${score.probability})`);
  return decision.alert.message;
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
    assert.equal(
      scores[1]!.reasons[0],
      "CPU package 89.0 °C, +12.0 °C/min, limit 90 °C (there in about 5 s at this rate)",
    );
    assert.equal(scores[2]!.model, RULE_MODEL);
    assert.equal(scores[3]!.model, RULE_MODEL);
  } finally {
    await pcModel.release();
  }
});

Deno.test("createOnnxScorer() orders the reasons by what drove this prediction", async (t) => {
  // Weights on the trend, on the work and on a weak supply, so each case has its own driver.
  const pcWeights = { temp_slope_recent_c_per_min: 0.3, load_recent: 0.05 };

  await t.step("rising: the temperature's trend first, with its numbers", async () => {
    const first = aPcReading({ device: "rising", TemperatureCPUPackage: 78.5, LoadCPUTotal: 30 });
    const window: PcReading[] = Array.from(
      { length: 12 },
      (_, i) => i === 0 ? first : later(first, i * 5, { TemperatureCPUPackage: 78.5 + i * 0.5 }),
    );
    const [score] = await scoreWith("pc", { weights: pcWeights }, [input(window)]);
    assert.equal(
      score!.reasons[0],
      "CPU package 84.0 °C, +6.0 °C/min, limit 90 °C (there in about 60 s at this rate)",
    );
    // The alert message lists the reasons in this order, the driver first.
    assert.match(
      messageFor(score!, window.at(-1)!),
      /\nWhy:\n- CPU package 84\.0 °C, \+6\.0 °C\/min/,
    );
  });

  await t.step("loaded: the work first, then the rise", async () => {
    // The simulated PC of the issue: 39 → 51 → 57 °C in 10 s at 94 % and 80 W.
    const first = aPcReading({ device: "loaded", TemperatureCPUPackage: 39, LoadCPUTotal: 94 });
    const window = [
      first,
      later(first, 5, { TemperatureCPUPackage: 51, PowerCPUPackage: 80 }),
      later(first, 10, { TemperatureCPUPackage: 57, PowerCPUPackage: 80 }),
    ];
    const [score] = await scoreWith("pc", { weights: { load_recent: 0.2 } }, [input(window)]);
    assert.equal(score!.reasons[0], "under heavy load: CPU 94 %, 80 W");
    assert.match(
      score!.reasons[1]!,
      /^CPU package 57\.0 °C, \+108\.0 °C\/min, limit 90 °C/,
      "the temperature says it is rising, with numbers",
    );
    assert.match(
      messageFor(score!, window.at(-1)!),
      /\nWhy:\n- under heavy load: CPU 94 %, 80 W\n/,
    );
  });

  await t.step(
    "under-voltage now: the Pi's bits by name; since boot: the weak supply",
    async () => {
      const first = aRaspberryReading({
        device: "sagging",
        throttled: "0x50000",
        cpu_load_percent: 20,
      });
      const window: RaspberryReading[] = [
        first,
        later(first, 5),
        later(first, 10, { cpu_load_percent: 95 }),
      ];
      const weights = { under_voltage_occurred_x_cpu_load: 4 };
      const [before, now] = await scoreWith("raspberry", { weights }, [
        input(window),
        input([
          ...window.slice(1),
          later(first, 15, { throttled: "0x50005", cpu_load_percent: 97 }),
        ]),
      ]);
      assert.equal(
        before!.reasons[0],
        "the Pi has seen under-voltage since boot (weak power supply) and is working hard (CPU 95 %)",
      );
      assert.equal(now!.reasons[0], "Pi reports under-voltage, throttling now (0x50005)");
      assert.ok(now!.probability >= 0.99, "stressed now");
    },
  );
});

Deno.test("createOnnxScorer() clips inputs unlike its training and is never quieter than the rule there", async () => {
  // The Pi 4 at 1.8 GHz and 0.946 V, readings 18-40 s apart. This model learned from
  // readings 4-12 s apart only, and a long gap pulls its score down hard.
  const heatUp = aPi4At0946V();
  const options = { weights: { gap_s: -2 }, ranges: { gap_s: [4, 12] as [number, number] } };
  const inputs = heatUp.readings.map((_, i) =>
    input(heatUp.readings.slice(Math.max(0, i - 11), i + 1), heatUp.hotLimitC)
  );
  const scores = await scoreWith("raspberry", options, inputs);
  let floored = 0;
  scores.forEach((score, i) => {
    if (score.model === RULE_MODEL) return; // too few readings in the minute: the rule scored it
    const reading = heatUp.readings[i]!;
    const rule = ruleProbability(reading, limitsFor("raspberry", heatUp.hotLimitC));
    assert.ok(
      score.probability >= rule - 1e-6,
      `${mainTemperature(reading)} °C: ${score.probability} < the rule's ${rule}`,
    );
    const said = score.reasons.find((r) => r.startsWith("gap between readings"));
    assert.ok(said, `the reasons say the input was out of range: ${score.reasons}`);
    assert.match(
      said,
      /^gap between readings \d+ s is outside the 4 to 12 s the model was trained on/,
    );
    if (/scored at least as the plain rule$/.test(said)) floored++;
  });
  assert.ok(floored > 0, "far out of range: the rule's score was kept");
  const warm = scores.findIndex((s, i) =>
    s.model !== RULE_MODEL && mainTemperature(heatUp.readings[i]!)! >= 76
  );
  assert.ok(scores[warm]!.probability > 0.5, "warns before the 80 °C limit like the rule");
});

Deno.test("createOnnxScorer() explains an input only a little outside training without the rule", async () => {
  const first = aPcReading({ device: "pc7", TemperatureCPUPackage: 70, LoadCPUTotal: 50 });
  const window = Array.from({ length: 12 }, (_, i) => (i === 0 ? first : later(first, i * 5)));
  const options = {
    weights: { load_recent: 0.01 },
    ranges: { load_recent: [0, 40] as [number, number] },
  };
  const [score] = await scoreWith("pc", options, [input(window)]);
  assert.ok(
    score!.reasons.includes(
      "CPU load 50 % is outside the 0 to 40 % the model was trained on: clipped to that range",
    ),
    String(score!.reasons),
  );
  // Clipped to 40 %: 0.01 × 40 on the logit, and the rule's 0.0067 (20 °C below) not needed.
  assert.ok(Math.abs(score!.probability - 1 / (1 + Math.exp(-(5 - 20 + 0.4)))) < 1e-6);
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
