import assert from "node:assert/strict";
import { loadOnnxModel } from "../../shared/scoring/onnx/onnx_model.ts";
import { createFolderModelRegistry } from "../../shared/models/folder_model_registry.ts";
import { anOldCsv, oldPcRows } from "../../testing/old_csv.ts";
import { featureNames } from "../../shared/scoring/features.ts";
import { simulateSequences, writeSimulation } from "../simulate/write_jsonl.ts";
import { main } from "./main.ts";
import { trainModels } from "./train_models.ts";
import { writeModel } from "./write_model.ts";

const NOW = Date.parse("2026-03-01T00:00:00.000Z");

Deno.test("trainModels() trains per profile and per device, and the consumer accepts what it writes", async () => {
  // Seed 3: both pcs and one Pi get stressed within 12 h.
  const sequences = simulateSequences({ devices: 4, hours: 12, seed: 3 });
  const lines: string[] = [];
  const trained = await trainModels(
    { sequences },
    { deviceMinRows: 5_000, deviceMinPositives: 20 },
    {
      progress: (line) => lines.push(line),
      now: () => NOW,
    },
  );
  const names = trained.map((t) => t.metadata.name);
  assert.ok(names.includes("pc") && names.includes("raspberry"), names.join());
  assert.ok(
    trained.some((t) => t.metadata.scope === "device"),
    "a device with enough stress gets its own model",
  );
  assert.ok(
    lines.some((l) => /pc: \d+ windows, \d+ stressed within 60 s/.test(l)),
    "progress lines",
  );
  assert.ok(lines.some((l) => /pc: alert threshold [0-9.]+/.test(l)));
  const pc = trained.find((t) => t.metadata.name === "pc")!.metadata;
  assert.deepEqual(pc.features, [...featureNames("pc")]);
  assert.equal(pc.window, 12);
  assert.equal(pc.horizon_s, 60);
  assert.equal(pc.created_at, new Date(NOW).toISOString());
  assert.ok(pc.training.rows > 1000 && pc.training.positives > 0);
  assert.ok(pc.training.split_at! > pc.training.from && pc.training.split_at! < pc.training.to);
  assert.ok(pc.metrics.validation_auc! > 0.9, `validation AUC ${pc.metrics.validation_auc}`);
  assert.equal(Object.keys(pc.inputs!).length, pc.features.length, "a range for every input");
  const recent = pc.inputs!.temp_headroom_recent!;
  assert.ok(recent.min < recent.max && recent.max <= 20, `headroom ${recent.min}-${recent.max}`);
  assert.ok(
    pc.rule_floor_threshold! > 0 && pc.rule_floor_threshold! <= 0.95,
    `rule floor ${pc.rule_floor_threshold}`,
  );
  assert.ok(lines.some((l) => /^rule floor: \{"pc":[0-9.]+,"raspberry":[0-9.]+\}$/.test(l)));

  const dir = await Deno.makeTempDir();
  try {
    for (const model of trained) await writeModel(dir, model);
    const registry = createFolderModelRegistry({ dir });
    for (const ref of await registry.list()) {
      const loaded = await loadOnnxModel(await registry.load(ref.name));
      await loaded.release();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("trainModels() chooses a profile model's threshold across devices it held out", async () => {
  const sequences = simulateSequences({ devices: 8, hours: 6, seed: 1, profiles: ["pc"] });
  const lines: string[] = [];
  const deps = { progress: (line: string) => lines.push(line), now: () => NOW };
  const [folds] = await trainModels({ sequences }, { perDevice: false }, deps);
  const m = folds!.metadata.metrics;
  assert.equal(m.cv_folds, 4);
  assert.equal(m.cv_devices, 8);
  assert.ok(m.cv_device_days! > 1.9, `all ${m.cv_device_days} device-days, not the last 20 %`);
  assert.ok(m.cv_later_device_days! < m.cv_device_days! / 3);
  assert.ok(m.cv_false_alerts_per_device_day! <= 0.8 || folds!.metadata.threshold === 0.95);
  assert.ok(lines.some((l) => /pc: alert threshold [0-9.]+ \(4 device folds, 8 devices: /.test(l)));
  const [timeSplit] = await trainModels(
    { sequences },
    { perDevice: false, thresholdFolds: 0 },
    deps,
  );
  assert.equal(timeSplit!.metadata.metrics.cv_folds, undefined);
  assert.ok(timeSplit!.metadata.metrics.validation_device_days! < 0.5);
});

Deno.test("trainModels() is deterministic: the same data gives the same ONNX bytes", async () => {
  const sequences = simulateSequences({ devices: 2, hours: 6, seed: 4 });
  const deps = { progress: () => {}, now: () => NOW };
  const a = await trainModels({ sequences }, { perDevice: false }, deps);
  const b = await trainModels({ sequences }, { perDevice: false }, deps);
  assert.deepEqual(a.map((t) => t.onnx), b.map((t) => t.onnx));
});

Deno.test("trainModels() weights owner feedback above derived labels", async () => {
  const sequences = simulateSequences({ devices: 3, hours: 12, seed: 3, profiles: ["pc"] });
  // The owner said "wrong" to alerts 2-4 °C below the limit: nothing there was a problem for them.
  const feedback = sequences.flatMap((s) =>
    s.readings.filter((r) =>
      r.profile === "pc" && r.TemperatureCPUPackage! >= s.hotLimitC - 4 &&
      r.TemperatureCPUPackage! < s.hotLimitC - 2
    )
      .map((r) => ({ device: s.device, time: Date.parse(r.timestamp), right: false }))
  );
  assert.ok(feedback.length > 50);
  const deps = { progress: () => {}, now: () => NOW };
  const [plain] = await trainModels({ sequences }, { perDevice: false }, deps);
  const [told] = await trainModels({ sequences, feedback }, { perDevice: false }, deps);
  assert.equal(told!.metadata.training.feedback_rows, feedback.length);
  assert.ok(told!.metadata.training.positives < plain!.metadata.training.positives);
});

Deno.test("trainModels() says when a profile has too little data and trains nothing for it", async () => {
  const sequences = simulateSequences({ devices: 1, hours: 0.2, seed: 1 });
  const lines: string[] = [];
  const trained = await trainModels({ sequences }, {}, {
    progress: (l) => lines.push(l),
    now: () => NOW,
  });
  assert.deepEqual(trained, []);
  assert.ok(lines.some((l) => /pc: not enough data for a model .* the rule stays in use/.test(l)));
});

Deno.test("deno task train reads JSONL and old CSV files and writes models", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeSimulation(`${dir}/sim.jsonl`, { devices: 4, hours: 8, seed: 3 });
    await Deno.writeTextFile(`${dir}/old-pc.csv`, anOldCsv(oldPcRows(60, 60, 0.5)));
    assert.equal(await main(["--out", `${dir}/models`]), 2, "no source");
    assert.equal(
      await main(["--jsonl", `${dir}/sim.jsonl`, "--out", `${dir}/models`, "--horizon", "0"]),
      2,
    );
    assert.equal(
      await main([
        "--jsonl",
        `${dir}/sim.jsonl`,
        "--out",
        `${dir}/models`,
        "--assume-interval",
        "5",
      ]),
      2,
      "--assume-interval without a CSV",
    );
    // The old PC export has no time column: its rows are taken 5 s apart only when told so.
    const code = await main([
      "--jsonl",
      `${dir}/sim.jsonl`,
      "--csv",
      `${dir}/old-pc.csv`,
      "--assume-interval",
      "5",
      "--out",
      `${dir}/models`,
      "--no-per-device",
    ]);
    assert.equal(code, 0);
    const refs = await createFolderModelRegistry({ dir: `${dir}/models` }).list();
    assert.deepEqual(refs.map((r) => r.name), ["pc", "raspberry"]);
    const pc = JSON.parse(await Deno.readTextFile(`${dir}/models/pc.json`));
    assert.ok(pc.training.devices.includes("old-pc"), "the CSV device is in the training data");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
