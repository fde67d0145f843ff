import assert from "node:assert/strict";
import { limitsFor } from "./stressed.ts";
import type { Reading } from "../reading/mod.ts";
import { aPcReading, aRaspberryReading } from "../../testing/a_reading.ts";
import { createRuleScorer, RULE_MODEL } from "./rule_scorer.ts";

const scoreOf = async (reading: Reading, hotLimitC?: number) =>
  (await createRuleScorer().score([{
    device: reading.device,
    profile: reading.profile,
    window: [reading],
    limits: limitsFor(reading.profile, hotLimitC),
  }]))[0]!;

Deno.test("createRuleScorer() passes 0.5 at 5 °C below the hot limit", async () => {
  const at = await scoreOf(aPcReading({ TemperatureCPUPackage: 85 }));
  assert.equal(at.probability, 0.5);
  assert.equal(at.model, RULE_MODEL);
  assert.match(at.reasons[0]!, /within 5 °C of the 90 °C hot limit/);
  assert.ok((await scoreOf(aPcReading({ TemperatureCPUPackage: 60 }))).probability < 0.001);
  assert.ok((await scoreOf(aPcReading({ TemperatureCPUPackage: 89 }))).probability > 0.98);
});

Deno.test("createRuleScorer() uses a device's own hot limit", async () => {
  assert.equal((await scoreOf(aPcReading({ TemperatureCPUPackage: 70 }), 75)).probability, 0.5);
});

Deno.test("createRuleScorer() scores a Pi throttling now as stressed", async () => {
  const score = await scoreOf(aRaspberryReading({ throttled: "0x50005", CPU_temp_celsius: 50 }));
  assert.equal(score.probability, 0.99);
  assert.match(score.reasons[0]!, /throttling now/);
});

Deno.test("createRuleScorer() scores a device without a temperature sensor at 0", async () => {
  const score = await scoreOf(aPcReading({ TemperatureCPUPackage: null }));
  assert.equal(score.probability, 0);
  assert.match(score.reasons[0]!, /no CPU temperature sensor/);
});

Deno.test("createRuleScorer() scores every input of a batch in order", async () => {
  const readings = [
    aPcReading({ TemperatureCPUPackage: 40 }),
    aRaspberryReading({ CPU_temp_celsius: 79 }),
  ];
  const scores = await createRuleScorer().score(readings.map((r) => ({
    device: r.device,
    profile: r.profile,
    window: [r],
    limits: limitsFor(r.profile),
  })));
  assert.equal(scores.length, 2);
  assert.ok(scores[0]!.probability < 0.01 && scores[1]!.probability > 0.98);
});
