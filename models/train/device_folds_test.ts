import assert from "node:assert/strict";
import { buildDataset, DATASET_DEFAULTS } from "../dataset.ts";
import { SIMULATION_START } from "../simulate/simulate_fleet.ts";
import { simulateSequences } from "../simulate/write_jsonl.ts";
import { outOfFoldTraces, traceFrom } from "./device_folds.ts";

const sequences = simulateSequences({ devices: 6, hours: 4, seed: 3, profiles: ["pc"] });
const dataset = buildDataset("pc", sequences, { ...DATASET_DEFAULTS, onsetOnly: true });
const options = {
  folds: 3,
  before: SIMULATION_START + 3 * 3_600_000,
  l2: 1,
  window: 12,
  horizonS: 60,
};

Deno.test("outOfFoldTraces() scores every device once, over its whole time range", async () => {
  const lines: string[] = [];
  const traces = await outOfFoldTraces(dataset, sequences, {
    ...options,
    progress: (l) => lines.push(l),
  });
  assert.ok(traces);
  assert.equal(lines.length, 6, "a fitting and a scoring line per fold");
  assert.match(lines[0]!, /^cross-validation fold 1\/3: fitting on \d+ windows$/);
  assert.equal(lines[5], "cross-validation fold 3/3: scoring its devices");
  assert.deepEqual(
    traces.map((t) => t.readings[0]!.device).sort(),
    sequences.map((s) => s.device).sort(),
  );
  traces.forEach((trace, i) => {
    const own = sequences.find((s) => s.device === trace.readings[0]!.device)!;
    assert.equal(trace.readings.length, own.readings.length, `trace ${i}`);
  });
});

Deno.test("outOfFoldTraces() scores a device with a model that never saw it", async () => {
  // A fold model learns from the other folds' windows only: every window of the
  // first fold's devices relabelled "stressed soon" changes the other folds' scores,
  // not the first fold's own.
  const relabelled = {
    ...dataset,
    y: Uint8Array.from(dataset.y, (v, i) => dataset.deviceIndex[i]! % 3 === 0 ? 1 : v),
  };
  const plain = (await outOfFoldTraces(dataset, sequences, options))!;
  const skewed = (await outOfFoldTraces(relabelled, sequences, options))!;
  const byDevice = (traces: typeof plain) =>
    new Map(traces.map((t) => [t.readings[0]!.device, t.probabilities]));
  const [a, b] = [byDevice(plain), byDevice(skewed)];
  for (const [index, device] of dataset.devices.entries()) {
    const same = Array.from(a.get(device)!).every((p, i) => p === b.get(device)![i]);
    assert.equal(same, index % 3 === 0, device);
  }
});

Deno.test("outOfFoldTraces() needs a device per fold and refuses fewer than 2 folds", async () => {
  assert.equal(await outOfFoldTraces(dataset, sequences, { ...options, folds: 7 }), null);
  await assert.rejects(
    () => outOfFoldTraces(dataset, sequences, { ...options, folds: 1 }),
    /'folds' must be an integer >= 2, got 1/,
  );
});

Deno.test("traceFrom() keeps the readings from a time on, every field alike", async () => {
  const [trace] = (await outOfFoldTraces(dataset, sequences, options))!;
  const from = SIMULATION_START + 2 * 3_600_000;
  const part = traceFrom(trace!, from);
  const start = Array.from(trace!.times).findIndex((t) => t >= from);
  assert.equal(part.times[0], from);
  assert.equal(part.readings.length, trace!.readings.length - start);
  for (
    const field of ["times", "stressed", "causes", "probabilities", "thresholds", "labels"] as const
  ) {
    assert.equal(part[field].length, part.readings.length, field);
    assert.equal(part[field][0], trace![field][start], field);
  }
});
