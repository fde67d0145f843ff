import assert from "node:assert/strict";
import { featureNames } from "../features.ts";
import { simulateSequences } from "../simulate/write_jsonl.ts";
import { SIMULATION_START } from "../simulate/simulate_fleet.ts";
import { chooseThreshold, THRESHOLD_GRID } from "./choose_threshold.ts";

/** A model that only looks at the last headroom: p = 0.5 at 3 °C below the limit. */
function headroomModel() {
  const names = featureNames("pc");
  const weights = names.map((n) => (n === "temp_headroom_last" ? -2 : 0));
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
