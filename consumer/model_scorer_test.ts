import assert from "node:assert/strict";
import { limitsFor } from "../shared/scoring/stressed.ts";
import { createFakeClock } from "../testing/fake_clock.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";
import type { Reading } from "../shared/reading/mod.ts";
import { aLogisticModel, aModelFiles } from "../testing/a_model.ts";
import { aPcReading, aRaspberryReading, later } from "../testing/a_reading.ts";
import { createMemoryModelRegistry } from "../testing/memory_model_registry.ts";
import { createModelScorer } from "./model_scorer.ts";
import { RULE_MODEL } from "../shared/scoring/rule_scorer.ts";
import type { ScoreInput } from "../shared/scoring/scorer.ts";

/** A pc one minute into warming, ending 5 °C below its 90 °C limit. */
function pcInput(device = "pc1"): ScoreInput {
  const first = aPcReading({ device, TemperatureCPUPackage: 74 });
  const window: Reading[] = Array.from(
    { length: 12 },
    (_, i) => i === 0 ? first : later(first, i * 5, { TemperatureCPUPackage: 74 + i }),
  );
  return { device, profile: "pc", window, limits: limitsFor("pc") };
}

const piInput = (): ScoreInput => ({
  device: "pi",
  profile: "raspberry",
  window: [aRaspberryReading({ device: "pi" })],
  limits: limitsFor("raspberry"),
});

async function setup() {
  const clock = createFakeClock();
  const log = createMemoryLogger();
  const v1 = await aModelFiles("pc", { model: aLogisticModel("pc", { halfAtHeadroomC: 5 }) });
  const registry = createMemoryModelRegistry([v1]);
  const scorer = createModelScorer({ registry, clock, log, checkIntervalS: 30 });
  return { clock, log, registry, scorer, v1 };
}

Deno.test("createModelScorer() scores with the registry's model and the rule for profiles without one", async () => {
  const { scorer, v1 } = await setup();
  await scorer.start();
  try {
    const [pc, pi] = await scorer.score([pcInput(), piInput()]);
    assert.equal(pc!.model, `pc@${v1.ref.version.slice(0, 12)}`);
    assert.ok(Math.abs(pc!.probability - 0.5) < 1e-5);
    assert.equal(pi!.model, RULE_MODEL);
    assert.deepEqual(scorer.models(), [{ name: "pc", version: v1.ref.version }]);
  } finally {
    await scorer.stop();
  }
});

Deno.test("createModelScorer() checks every interval, downloads only a changed model and swaps it in", async () => {
  const { clock, registry, scorer } = await setup();
  await scorer.start();
  try {
    assert.deepEqual(registry.calls.load, ["pc"]);
    await clock.advance(30_000);
    assert.equal(registry.calls.list, 2, "listed again after 30 s");
    assert.deepEqual(registry.calls.load, ["pc"], "unchanged: not downloaded again");

    const v2 = await aModelFiles("pc", { model: aLogisticModel("pc", { halfAtHeadroomC: 10 }) });
    registry.put(v2);
    await clock.advance(29_000);
    assert.equal(
      (await scorer.score([pcInput()]))[0]!.probability < 0.99,
      true,
      "still v1 before the check",
    );
    await clock.advance(1_000);
    assert.deepEqual(registry.calls.load, ["pc", "pc"]);
    const [score] = await scorer.score([pcInput()]);
    assert.equal(score!.model, `pc@${v2.ref.version.slice(0, 12)}`);
    assert.ok(
      Math.abs(score!.probability - 1 / (1 + Math.exp(-5))) < 1e-5,
      "v2 is half at 10 °C below",
    );
    assert.equal(scorer.stats().loaded, 2);
  } finally {
    await scorer.stop();
  }
});

Deno.test("createModelScorer() refuses a bad model, keeps the previous one and does not retry the same version", async () => {
  const { clock, log, registry, scorer, v1 } = await setup();
  await scorer.start();
  try {
    const wrong = await aModelFiles("pc", {
      model: aLogisticModel("pc", { halfAtHeadroomC: 7 }),
      metadata: { features: ["temp_last"] },
    });
    registry.put(wrong);
    await clock.advance(30_000);
    assert.equal(scorer.stats().refused, 1);
    assert.ok(
      log.lines.some((l) =>
        /model refused .*model=pc .*does not compute \(temp_last\).* keeping=/.test(l)
      ),
    );
    assert.equal((await scorer.score([pcInput()]))[0]!.model, `pc@${v1.ref.version.slice(0, 12)}`);
    await clock.advance(30_000);
    assert.equal(registry.calls.load.length, 2, "the refused version is not downloaded again");
    assert.equal(scorer.stats().refused, 1);
  } finally {
    await scorer.stop();
  }
});

Deno.test("createModelScorer() keeps its models when the registry cannot be listed, and drops removed ones", async () => {
  const { clock, registry, scorer, v1 } = await setup();
  await scorer.start();
  try {
    registry.failList(new Error("S3 is down"));
    await clock.advance(30_000);
    assert.equal(scorer.stats().check_failures, 1);
    assert.equal((await scorer.score([pcInput()]))[0]!.model, `pc@${v1.ref.version.slice(0, 12)}`);
    registry.failList(null);
    registry.remove("pc");
    await clock.advance(30_000);
    assert.equal((await scorer.score([pcInput()]))[0]!.model, RULE_MODEL);
    assert.equal(scorer.stats().unloaded, 1);
  } finally {
    await scorer.stop();
  }
});

Deno.test("createModelScorer() prefers a device's own model over its profile's", async () => {
  const { clock, registry, scorer } = await setup();
  const own = await aModelFiles("pc", {
    name: "pc7",
    model: aLogisticModel("pc", { halfAtHeadroomC: 20 }),
  });
  registry.put(own);
  await scorer.start();
  try {
    const [mine, other] = await scorer.score([pcInput("pc7"), pcInput("pc8")]);
    assert.equal(mine!.model, `pc7@${own.ref.version.slice(0, 12)}`);
    assert.match(other!.model, /^pc@/);
    assert.equal(clock.pending, 1, "one timer: the next check");
  } finally {
    await scorer.stop();
  }
  assert.equal(clock.pending, 0, "stop() ends the check loop");
});

Deno.test("createModelScorer() checks its interval up front", () => {
  const registry = createMemoryModelRegistry();
  assert.throws(
    () =>
      createModelScorer({
        registry,
        clock: createFakeClock(),
        log: createMemoryLogger(),
        checkIntervalS: 0,
      }),
    /'checkIntervalS' must be at least 1, got 0/,
  );
});
