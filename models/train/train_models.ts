import type { ModelMetadata } from "../../shared/models/model_metadata.ts";
import { type Profile, PROFILES } from "../../shared/reading/mod.ts";
import {
  buildDataset,
  DATASET_DEFAULTS,
  type DatasetOptions,
  type DeviceSequence,
  type FeedbackLabel,
  selectRows,
} from "../dataset.ts";
import type { LogisticModel } from "../logistic_regression.ts";
import { exportOnnx } from "../onnx_export.ts";
import { inputStatsOf } from "../input_stats.ts";
import { createBudgetRuleScorer } from "../evaluate/budget_rule.ts";
import { fitWithTimeSplit } from "./fit_profile.ts";
import { validateThreshold } from "./threshold_validation.ts";

export interface TrainOptions extends DatasetOptions {
  l2: number;
  /** The alert threshold when none can be chosen on validation data. */
  threshold: number;
  /** False alerts per device-day the target allows. */
  falseAlertBudget: number;
  /**
   * Share of that budget a chosen threshold may use on validation data: false
   * alerts come from a few near-miss devices, so the rate differs from fleet
   * to fleet, and a threshold chosen at the budget would exceed it on many.
   */
  falseAlertMargin: number;
  /** Device folds for choosing a profile model's threshold; 0 = the later time range. */
  thresholdFolds: number;
  validationShare: number;
  /** Train a device's own model when it has this many windows... */
  deviceMinRows: number;
  /** ...and this many positive ones. */
  deviceMinPositives: number;
  perDevice: boolean;
  /**
   * Hold each model to the plain rule at the false-alert budget: choose the
   * rule's threshold on the training data (as `evaluate`'s budget rule does)
   * and keep it in the metadata (`rule_floor_threshold`): the consumer then
   * never scores below that rule, so the model never warns later than it.
   */
  ruleFloor: boolean;
  /**
   * Choose the model's own threshold with the rule floor under its score
   * (its false alerts count against the budget), or as if there were none
   * (the budget is the model's own; the floor adds the budget rule's false
   * alerts). Default false: on fleets where the budget rule alone exceeds the
   * budget, counting them leaves the model at its most cautious threshold,
   * and it adds no foresight to the rule.
   */
  thresholdWithFloor: boolean;
  /** Fewest windows (and positive windows / 10) a profile model needs. */
  minRows: number;
}

export const TRAIN_DEFAULTS: TrainOptions = {
  ...DATASET_DEFAULTS,
  l2: 1,
  threshold: 0.5,
  falseAlertBudget: 1,
  falseAlertMargin: 0.8,
  thresholdFolds: 4,
  validationShare: 0.2,
  deviceMinRows: 17_280, // a day at 5 s
  deviceMinPositives: 50,
  perDevice: true,
  ruleFloor: true,
  thresholdWithFloor: false,
  minRows: 500,
  onsetOnly: true,
};

export interface TrainedModel {
  model: LogisticModel;
  onnx: Uint8Array;
  /** Everything but the ONNX hash, which the writer adds. */
  metadata: Omit<ModelMetadata, "onnx_sha256">;
}

export interface TrainDeps {
  /** One line per step, for progress on long runs. */
  progress: (line: string) => void;
  now: () => number;
}

/**
 * Trains one model per profile, and one per device with enough data of its
 * own, each a standardised L2 logistic regression on window features,
 * validated on a later time range and exported to ONNX.
 */
export async function trainModels(
  input: { sequences: readonly DeviceSequence[]; feedback?: readonly FeedbackLabel[] },
  options: Partial<TrainOptions>,
  deps: TrainDeps,
): Promise<TrainedModel[]> {
  const opts = { ...TRAIN_DEFAULTS, ...options };
  const trained: TrainedModel[] = [];
  let floors: Partial<Record<Profile, number>> = {};
  if (opts.ruleFloor) {
    deps.progress("choosing the rule floor: the rule's threshold at the false-alert budget");
    floors = (await createBudgetRuleScorer({
      train: input.sequences,
      pick: {
        defaultThreshold: opts.threshold,
        falseAlertBudget: opts.falseAlertBudget,
        margin: opts.falseAlertMargin,
      },
      horizonS: opts.horizonS,
    })).thresholds;
    deps.progress(`rule floor: ${JSON.stringify(floors)}`);
  }
  for (const profile of PROFILES) {
    const devices = input.sequences.filter((s) => s.profile === profile);
    if (devices.length === 0) continue;
    const floor = floors[profile];
    let reported = 0;
    const dataset = buildDataset(profile, input.sequences, {
      ...opts,
      feedback: input.feedback,
      onProgress: (done, total) => {
        if (done - reported >= 200_000 || done === total) {
          reported = done;
          deps.progress(`${profile}: windows from ${done}/${total} readings`);
        }
      },
    });
    const positives = dataset.y.reduce((n, v) => n + v, 0);
    deps.progress(
      `${profile}: ${dataset.rows} windows, ${positives} stressed within ${opts.horizonS} s, ${dataset.feedbackRows} from feedback`,
    );
    if (dataset.rows < opts.minRows || positives < Math.max(5, opts.minRows / 100)) {
      deps.progress(
        `${profile}: not enough data for a model (need ${opts.minRows} windows and ${
          Math.max(5, opts.minRows / 100)
        } stressed); the rule stays in use`,
      );
      continue;
    }
    trained.push(await fitOne(profile, profile, "profile", dataset, devices, opts, deps, floor));
    if (!opts.perDevice) continue;
    for (const [index, device] of dataset.devices.entries()) {
      const own = selectRows(dataset, (i) => dataset.deviceIndex[i] === index);
      const ownPositives = own.y.reduce((n, v) => n + v, 0);
      if (own.rows < opts.deviceMinRows || ownPositives < opts.deviceMinPositives) continue;
      if ((PROFILES as readonly string[]).includes(device)) {
        deps.progress(`${device}: no device model, its name is a profile's`);
        continue;
      }
      const sequences = devices.filter((s) => s.device === device);
      trained.push(await fitOne(device, profile, "device", own, sequences, opts, deps, floor));
    }
  }
  return trained;
}

async function fitOne(
  name: string,
  profile: Profile,
  scope: "profile" | "device",
  dataset: ReturnType<typeof buildDataset>,
  sequences: readonly DeviceSequence[],
  opts: TrainOptions,
  deps: TrainDeps,
  ruleFloorThreshold: number | undefined,
): Promise<TrainedModel> {
  deps.progress(`${name}: fitting on ${dataset.rows} windows`);
  const fitted = fitWithTimeSplit(dataset, {
    validationShare: opts.validationShare,
    purgeS: opts.window * opts.intervalS + opts.horizonS,
    l2: opts.l2,
    threshold: opts.threshold,
  });
  let threshold = opts.threshold;
  let extra: Record<string, number> = {};
  if (fitted.early && fitted.splitAt !== null) {
    const choice = await validateThreshold({
      scope,
      profile,
      dataset,
      sequences,
      early: fitted.early,
      splitAt: fitted.splitAt,
      folds: opts.thresholdFolds,
      l2: opts.l2,
      window: opts.window,
      intervalS: opts.intervalS,
      horizonS: opts.horizonS,
      pick: {
        defaultThreshold: opts.threshold,
        falseAlertBudget: opts.falseAlertBudget,
        margin: opts.falseAlertMargin,
        ...(opts.thresholdWithFloor ? { ruleFloorThreshold } : {}),
      },
      progress: (line) => deps.progress(`${name}: ${line}`),
    });
    threshold = choice.threshold;
    extra = choice.metrics;
    deps.progress(`${name}: alert threshold ${threshold} (${choice.summary})`);
  }
  const metrics = Object.fromEntries(
    Object.entries({ ...fitted.metrics, ...extra }).filter(([, v]) => Number.isFinite(v)),
  );
  deps.progress(
    `${name}: ${
      Object.entries(metrics).filter(([k]) => k.startsWith("validation_")).map(([k, v]) =>
        `${k.slice(11)}=${+v.toFixed(4)}`
      ).join(" ") || "too little data to validate"
    }`,
  );
  let from = Infinity, to = -Infinity, positives = 0;
  for (let i = 0; i < dataset.rows; i++) {
    from = Math.min(from, dataset.time[i]!);
    to = Math.max(to, dataset.time[i]!);
    positives += dataset.y[i]!;
  }
  const devices = [...new Set(Array.from(dataset.deviceIndex, (i) => dataset.devices[i]!))].sort();
  return {
    model: fitted.model,
    onnx: exportOnnx(fitted.model, { features: dataset.names, name }),
    metadata: {
      name,
      scope,
      profile,
      features: [...dataset.names],
      window: opts.window,
      interval_s: opts.intervalS,
      min_readings: opts.minReadings,
      horizon_s: opts.horizonS,
      threshold,
      ...(ruleFloorThreshold !== undefined ? { rule_floor_threshold: ruleFloorThreshold } : {}),
      inputs: inputStatsOf(fitted.model, dataset.names),
      intercept: fitted.model.bias,
      training: {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        rows: dataset.rows,
        positives,
        devices,
        feedback_rows: dataset.feedbackRows,
        ...(fitted.splitAt !== null ? { split_at: new Date(fitted.splitAt).toISOString() } : {}),
      },
      metrics,
      created_at: new Date(deps.now()).toISOString(),
    },
  };
}
