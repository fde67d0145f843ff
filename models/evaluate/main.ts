import { AlertsEnv } from "../../shared/config/alerts_env.ts";
import { ModelsEnv } from "../../shared/config/models_env.ts";
import { composeEnv, envNumberMap, processEnv } from "../../shared/config/parse_env.ts";
import {
  createFlagCheck,
  defineCommand,
  type FlagOutput,
  parseCommandLine,
} from "../../shared/config/parse_flags.ts";
import { runCommand } from "../../shared/entry_point/run_command.ts";
import { type LoadedModel, loadOnnxModel } from "../../shared/scoring/onnx/onnx_model.ts";
import { createOnnxScorer } from "../../shared/scoring/onnx/onnx_scorer.ts";
import { createRuleScorer } from "../../shared/scoring/rule_scorer.ts";
import { PROFILES } from "../../shared/reading/mod.ts";
import { createFolderModelRegistry } from "../../shared/models/folder_model_registry.ts";
import type { DeviceSequence } from "../dataset.ts";
import { fleet, simulateDevice, SIMULATION_START } from "../simulate/simulate_fleet.ts";
import { simulateSequences } from "../simulate/write_jsonl.ts";
import { paramsOf } from "../simulate/simulated_device.ts";
import { readJsonl } from "../train/read_jsonl.ts";
import { toSequences } from "../train/sequences.ts";
import { TRAIN_DEFAULTS } from "../train/train_models.ts";
import { createBudgetRuleScorer, createRuleScorerAt } from "./budget_rule.ts";
import { evaluateModels, formatTable, metricsForJson } from "./evaluate.ts";
import { evaluateTraceSet, formatTraceEvaluation, traceEvaluationJson } from "./evaluate_traces.ts";
import { MIN_RATE_DEVICE_HOURS } from "./metrics.ts";
import { InvalidTraceFolderError, readTraceFolder, type Trace } from "./read_traces.ts";
import { hardCases } from "./hard_cases.ts";

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
the training data as a model's is.

--traces DIR evaluates real recordings instead: <device>.jsonl readings with a
<device>.json sidecar giving hot_limit_c (e.g. ../shared/real-traces). It
prints the table per recording and in total for the model, the plain rule and
the rule held to the false-alert budget, then every episode with each one's
lead. The budget rule's thresholds are the models' rule floors
(rule_floor_threshold: chosen on their training data as the budget rule is);
for models without one they are chosen on the default training fleet (about 5
minutes); --budget-thresholds pc=0.95,raspberry=0.95 gives them.

--hard-cases evaluates, the same way, the four heat-ups the models once got
wrong, rebuilt from their description (models/evaluate/hard_cases.ts; 3 variants
each): a Pi 4 at 1.8 GHz and 0.946 V with readings 18-40 s apart, a gaming
PC whose package jumps ±10 °C, a benchmark with 5-s pauses, a Pi 3B+
creeping to its 60 °C soft limit.

A device's hot limit: --hot-limits, else its sidecar (--traces), else
HOT_LIMITS from the environment, else the profile's default (pc 90, raspberry
80 °C). Rates per device-day over less than ${MIN_RATE_DEVICE_HOURS} device-hours are not given:
the table shows the count and the hours.`,
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
    traces: {
      type: "string",
      value: "dir",
      help: "evaluate the real recordings in this folder instead (<device>.jsonl + .json)",
    },
    "hard-cases": {
      type: "boolean",
      default: false,
      help: "evaluate the four hard heat-ups rebuilt in models/evaluate/hard_cases.ts instead",
    },
    "hot-limits": {
      type: "string",
      value: "dev=°C,...",
      help: "hot limits per device, over the sidecars' and HOT_LIMITS",
    },
    "budget-thresholds": {
      type: "string",
      value: "profile=p,...",
      help: "with --traces or --hard-cases: the budget rule's thresholds instead of choosing them",
    },
  },
  env: composeEnv(ModelsEnv.pick({ MODELS_DIR: true }), AlertsEnv.pick({ HOT_LIMITS: true })),
});

/** `deno task evaluate`. */
export async function main(
  args: string[],
  output: FlagOutput = { out: console.log, err: console.error },
  environment: Record<string, string | undefined> = processEnv(),
): Promise<number> {
  const line = parseCommandLine(EVALUATE_COMMAND, args, environment, output);
  if (typeof line === "number") return line;
  const { flags, config: env } = line;
  const modelsDir = env.MODELS_DIR;
  const check = createFlagCheck(EVALUATE_COMMAND, output);
  const num = (name: keyof typeof flags, ok: (n: number) => boolean) =>
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
  const flagLimits = numberMap(check, "hot-limits", flags["hot-limits"], 30, 130);
  const budgetThresholds = numberMap(check, "budget-thresholds", flags["budget-thresholds"], 0, 1);
  check.expect(
    Object.keys(budgetThresholds).every((p) => (PROFILES as readonly string[]).includes(p)),
    `--budget-thresholds names profiles (${PROFILES.join(", ")}), got '${
      flags["budget-thresholds"]
    }'`,
  );
  const recordings = flags.traces !== undefined || flags["hard-cases"];
  check.expect(
    flags["budget-thresholds"] === undefined || recordings,
    "--budget-thresholds is for --traces and --hard-cases",
  );
  check.expect(
    !recordings || (flags["test-jsonl"].length === 0 && later === 0),
    "--traces and --hard-cases replace --test-jsonl and --later: give one of them",
  );
  check.expect(
    flags.traces === undefined || !flags["hard-cases"],
    "--traces and --hard-cases evaluate different recordings: give one of them",
  );
  if (check.report()) return 2;
  const hotLimits = { ...env.HOT_LIMITS, ...flagLimits };
  const progress = (line: string) => output.err(`evaluate: ${line}`);
  const registry = createFolderModelRegistry({ dir: modelsDir });
  // By registry name, as the consumer keeps them: chooseModel() picks per device, as there.
  const models = new Map<string, LoadedModel>();
  for (const ref of await registry.list()) {
    models.set(ref.name, await loadOnnxModel(await registry.load(ref.name)));
  }
  const loaded = [...models.values()].filter((m) => m.metadata.scope === "profile");
  const deviceModelCount = models.size - loaded.length;
  if (loaded.length === 0) {
    output.err(
      `No profile models in ${modelsDir}: train some first (deno task train:default)`,
    );
    return 1;
  }
  const modelScorer = () => createOnnxScorer({ models, fallback: createRuleScorer() });
  const modelName = () =>
    `model (${
      loaded.map((m) =>
        `${m.ref.name}@${m.metadata.onnx_sha256.slice(0, 8)} t=${m.metadata.threshold}`
      ).join(", ")
    }${deviceModelCount > 0 ? ` + ${deviceModelCount} device models` : ""})`;
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
      return toSequences(readings, hotLimits);
    };
    if (recordings) {
      let traces: Trace[];
      try {
        traces = flags.traces !== undefined
          ? await readTraceFolder(flags.traces, { hotLimits: flagLimits, onProgress: progress })
          : hardCaseTraces(flagLimits);
      } catch (error) {
        if (!(error instanceof InvalidTraceFolderError)) throw error;
        output.err(error.message);
        return 1;
      }
      // The rule floor's threshold a model keeps was chosen on its training data exactly so.
      const floors = Object.fromEntries(
        loaded.filter((m) => m.metadata.rule_floor_threshold !== undefined)
          .map((m) => [m.metadata.profile, m.metadata.rule_floor_threshold!]),
      );
      const fromModels = Object.keys(budgetThresholds).length === 0 &&
        loaded.every((m) => m.metadata.rule_floor_threshold !== undefined);
      const given = fromModels ? floors : budgetThresholds;
      const budgetRule = Object.keys(given).length > 0
        ? { thresholds: given, scorer: createRuleScorerAt(given) }
        : await createBudgetRuleScorer({
          train: await read(flags["train-jsonl"], train, "sim"),
          pick: {
            defaultThreshold: threshold,
            falseAlertBudget: TRAIN_DEFAULTS.falseAlertBudget,
            margin: TRAIN_DEFAULTS.falseAlertMargin,
          },
          horizonS: loaded[0]!.metadata.horizon_s,
        });
      const chosen = Object.entries(budgetRule.thresholds).map(([p, t]) => `${p} ${t}`).join(", ");
      const evaluation = await evaluateTraceSet({
        traces,
        scorers: [
          { key: "model", name: "model", scorer: modelScorer() },
          { key: "rule", name: "rule (within 5 °C of limit)", scorer: createRuleScorer() },
          {
            key: "budget_rule",
            name: `rule at the false-alert budget (t: ${chosen})`,
            scorer: budgetRule.scorer,
          },
        ],
        reference: "budget_rule",
        threshold,
        horizonS: loaded[0]!.metadata.horizon_s,
        progress,
      });
      const where = flags.traces ?? "models/evaluate/hard_cases.ts";
      output.out(`\n${modelName()}, ${traces.length} recordings in ${where}\n`);
      output.out(formatTraceEvaluation(evaluation));
      await writeJson(flags.json, {
        created_at: new Date().toISOString(),
        threshold,
        models: loaded.map((m) => ({ name: m.ref.name, sha256: m.metadata.onnx_sha256 })),
        traces_dir: where,
        budget_rule: {
          thresholds: budgetRule.thresholds,
          chosen_on: Object.keys(budgetThresholds).length > 0
            ? "given (--budget-thresholds)"
            : fromModels
            ? "the models' rule floors (rule_floor_threshold, chosen on their training data)"
            : flags["train-jsonl"].length > 0
            ? { jsonl: flags["train-jsonl"] }
            : { simulated: train },
        },
        ...traceEvaluationJson(evaluation),
      });
      progress(`wrote ${flags.json}`);
      return 0;
    }
    const trainSequences = await read(flags["train-jsonl"], train, "sim");
    let testSequences: DeviceSequence[];
    if (later > 0) {
      progress(`simulating the training devices for ${later} more hours`);
      const boundary = SIMULATION_START + train.hours * 3_600_000 - 60_000;
      // Device by device, keeping only the later range: one device's full trace in memory at most.
      testSequences = fleet({ ...train, prefix: "sim" }).map((spec) => ({
        device: spec.name,
        profile: spec.profile,
        hotLimitC: paramsOf(spec).hotLimitC,
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
    const rows = await evaluateModels({
      train: trainSequences,
      test: testSequences,
      model: modelScorer(),
      modelName: "model",
      threshold,
      horizonS: loaded[0]!.metadata.horizon_s,
      budgetRule: {
        defaultThreshold: threshold,
        falseAlertBudget: TRAIN_DEFAULTS.falseAlertBudget,
        margin: TRAIN_DEFAULTS.falseAlertMargin,
      },
      progress,
    });
    output.out(
      `\n${modelName()}, threshold ${threshold}, ${testSequences.length} held-out devices\n`,
    );
    output.out(formatTable(rows));
    await writeJson(
      flags.json,
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
        results: rows.map((r) => ({ ...r, metrics: metricsForJson(r.metrics) })),
      },
    );
    progress(`wrote ${flags.json}`);
    return 0;
  } finally {
    await Promise.all([...models.values()].map((m) => m.release()));
  }
}

/** The hard cases (3 variants each) as recordings, their hot limits overridable like a sidecar's. */
function hardCaseTraces(hotLimits: Record<string, number>): Trace[] {
  return hardCases(3).map((c) => ({
    ...c,
    hotLimitC: hotLimits[c.device] ?? c.hotLimitC,
    hotLimitFrom: hotLimits[c.device] === undefined ? "sidecar" : "option",
    file: "models/evaluate/hard_cases.ts",
    refused: [],
  }));
}

/** `name=number,...` from a flag, each number in [min, max]; empty when the flag is absent. */
function numberMap(
  check: ReturnType<typeof createFlagCheck>,
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): Record<string, number> {
  if (value === undefined) return {};
  const parsed = envNumberMap(min, max).safeParse(value);
  if (parsed.success) return parsed.data;
  check.expect(false, `--${name}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  return {};
}

/** Writes `value` as indented JSON; numbers that are not finite become null. */
async function writeJson(path: string, value: unknown): Promise<void> {
  await Deno.writeTextFile(
    path,
    JSON.stringify(value, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) +
      "\n",
  );
}

if (import.meta.main) await runCommand(() => main(Deno.args));
