import { ModelsEnv } from "../../shared/config/models_env.ts";
import { processEnv } from "../../shared/config/parse_env.ts";
import {
  createFlagCheck,
  defineCommand,
  parseCommandLine,
} from "../../shared/config/parse_flags.ts";
import { runCommand } from "../../shared/entry_point/run_command.ts";
import { type LoadedModel, loadOnnxModel } from "../../consumer/onnx_model.ts";
import { createOnnxScorer } from "../../consumer/onnx_scorer.ts";
import { createRuleScorer } from "../../consumer/rule_scorer.ts";
import { createFolderModelRegistry } from "../../shared/models/folder_model_registry.ts";
import type { DeviceSequence } from "../dataset.ts";
import { fleet, simulateDevice, SIMULATION_START } from "../simulate/simulate_fleet.ts";
import { simulateSequences } from "../simulate/write_jsonl.ts";
import { readJsonl } from "../train/read_jsonl.ts";
import { toSequences } from "../train/sequences.ts";
import { TRAIN_DEFAULTS } from "../train/train_models.ts";
import { evaluateModels, formatTable } from "./evaluate.ts";

export const EVALUATE_COMMAND = defineCommand({
  name: "deno task evaluate",
  about: `Scores held-out devices (by default simulated ones never seen in training:
another seed, other names) with the models in --models (through onnxruntime,
as the consumer does), the old system's single-reading logistic regression
(trained here on the training data) and the plain rule, and prints one table.
The defaults match deno task train:default. --later H tests on a later time
range instead: the training devices' next H hours, each scored by its own
device model when --models has one (deno task train without --no-per-device).
--threshold applies to the baselines; models bring their own. A fourth row
holds the rule to the models' false-alert budget: its threshold is chosen on
the training data as a model's is.`,
  flags: {
    models: { type: "string", value: "dir", env: "MODELS_DIR", help: "the models to evaluate" },
    json: {
      type: "string",
      value: "file",
      default: "evaluation.json",
      help: "where to write the results",
    },
    "train-jsonl": {
      type: "string",
      value: "file",
      multiple: true,
      default: [],
      help: "training readings instead of simulated ones (repeat)",
    },
    "train-devices": {
      type: "string",
      value: "N",
      default: "192",
      help: "simulated training devices",
    },
    "train-hours": { type: "string", value: "H", default: "48", help: "their hours" },
    "train-seed": { type: "string", value: "S", default: "1", help: "their seed" },
    "test-jsonl": {
      type: "string",
      value: "file",
      multiple: true,
      default: [],
      help: "test readings instead of simulated ones (repeat)",
    },
    "test-devices": { type: "string", value: "N", default: "48", help: "simulated test devices" },
    "test-hours": { type: "string", value: "H", default: "24", help: "their hours" },
    "test-seed": { type: "string", value: "S", default: "2", help: "their seed" },
    threshold: { type: "string", value: "p", default: "0.5", help: "the baselines' threshold" },
    later: {
      type: "string",
      value: "H",
      help: "test on the training devices' next H hours instead",
    },
  },
  env: ModelsEnv.pick({ MODELS_DIR: true }),
});

/** `deno task evaluate`. */
export async function main(
  args: string[],
  env: Record<string, string | undefined> = processEnv(),
): Promise<number> {
  const line = parseCommandLine(EVALUATE_COMMAND, args, env);
  if (typeof line === "number") return line;
  const { flags } = line;
  const modelsDir = line.config.MODELS_DIR;
  const check = createFlagCheck(EVALUATE_COMMAND);
  const num = (name: keyof typeof flags & string, ok: (n: number) => boolean) =>
    check.number(name, flags[name] as string | undefined, ok);
  const positiveInt = (n: number) => Number.isInteger(n) && n > 0;
  const threshold = num("threshold", (n) => n > 0 && n <= 1);
  const train = {
    devices: num("train-devices", positiveInt),
    hours: num("train-hours", (n) => n > 0),
    seed: num("train-seed", Number.isInteger),
  };
  const test = {
    devices: num("test-devices", positiveInt),
    hours: num("test-hours", (n) => n > 0),
    seed: num("test-seed", Number.isInteger),
  };
  const later = flags.later === undefined ? 0 : num("later", (n) => n > 0 && n <= 8784);
  if (check.report()) return 2;
  const progress = (line: string) => console.error(`evaluate: ${line}`);
  const registry = createFolderModelRegistry({ dir: modelsDir });
  const loaded: LoadedModel[] = [];
  const deviceModels = new Map<string, LoadedModel>();
  for (const ref of await registry.list()) {
    const model = await loadOnnxModel(await registry.load(ref.name));
    if (model.metadata.scope === "profile") loaded.push(model);
    else deviceModels.set(model.ref.name, model);
  }
  if (loaded.length === 0) {
    console.error(
      `No profile models in ${modelsDir}: train some first (deno task train:default)`,
    );
    return 1;
  }
  try {
    const read = async (
      files: string[],
      sim: typeof train,
      prefix: string,
    ): Promise<DeviceSequence[]> => {
      if (files.length === 0) {
        progress(
          `simulating ${sim.devices} ${prefix} devices for ${sim.hours} h (seed ${sim.seed})`,
        );
        return simulateSequences({ ...sim, prefix });
      }
      const readings = [];
      for (const file of files) {
        const data = await readJsonl(file);
        readings.push(...data.readings);
        progress(`${file}: ${data.readings.length} readings, ${data.refused.length} refused`);
      }
      return toSequences(readings);
    };
    const trainSequences = await read(flags["train-jsonl"], train, "sim");
    let testSequences: DeviceSequence[];
    if (later > 0) {
      progress(`simulating the training devices for ${later} more hours`);
      const boundary = SIMULATION_START + train.hours * 3_600_000 - 60_000;
      // Device by device, keeping only the later range: one device's full trace in memory at most.
      testSequences = fleet({ ...train, prefix: "sim" }).map((spec) => ({
        device: spec.name,
        profile: spec.profile,
        readings: [...simulateDevice(spec, { hours: train.hours + later })]
          .filter((r) => Date.parse(r.timestamp) >= boundary),
      }));
    } else {
      testSequences = await read(flags["test-jsonl"], test, "heldout");
    }
    const seen = new Set(trainSequences.map((s) => s.device));
    const overlap = testSequences.filter((s) => seen.has(s.device)).map((s) => s.device);
    if (overlap.length > 0) {
      progress(
        `note: ${overlap.length} test devices were also in training (${overlap.slice(0, 3)}...)`,
      );
    }
    const byProfile = new Map(loaded.map((m) => [m.metadata.profile, m]));
    const modelName = `model (${
      loaded.map((m) =>
        `${m.ref.name}@${m.metadata.onnx_sha256.slice(0, 8)} t=${m.metadata.threshold}`
      ).join(", ")
    }${deviceModels.size > 0 ? ` + ${deviceModels.size} device models` : ""})`;
    const rows = await evaluateModels({
      train: trainSequences,
      test: testSequences,
      model: createOnnxScorer({
        pick: (i) => {
          const own = deviceModels.get(i.device);
          return own?.metadata.profile === i.profile ? own : byProfile.get(i.profile) ?? null;
        },
        fallback: createRuleScorer(),
      }),
      modelName: "model",
      threshold,
      horizonS: loaded[0]!.metadata.horizon_s,
      window: loaded[0]!.metadata.window,
      budgetRule: {
        defaultThreshold: threshold,
        falseAlertBudget: TRAIN_DEFAULTS.falseAlertBudget,
        margin: TRAIN_DEFAULTS.falseAlertMargin,
      },
      progress,
    });
    console.log(
      `\n${modelName}, threshold ${threshold}, ${testSequences.length} held-out devices\n`,
    );
    console.log(formatTable(rows));
    await Deno.writeTextFile(
      flags.json,
      JSON.stringify(
        {
          created_at: new Date().toISOString(),
          threshold,
          models: loaded.map((m) => ({ name: m.ref.name, sha256: m.metadata.onnx_sha256 })),
          train: flags["train-jsonl"].length > 0
            ? { jsonl: flags["train-jsonl"] }
            : { simulated: train },
          test: later > 0
            ? { later_hours: later, devices: "the training devices" }
            : flags["test-jsonl"].length > 0
            ? { jsonl: flags["test-jsonl"] }
            : { simulated: test, prefix: "heldout" },
          results: rows,
        },
        (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v),
        2,
      ) + "\n",
    );
    progress(`wrote ${flags.json}`);
    return 0;
  } finally {
    await Promise.all([...loaded, ...deviceModels.values()].map((m) => m.release()));
  }
}

if (import.meta.main) await runCommand(() => main(Deno.args));
