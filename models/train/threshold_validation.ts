import type { Profile } from "../../shared/reading/mod.ts";
import type { Dataset, DeviceSequence } from "../dataset.ts";
import { evaluateTraces, type Metrics } from "../evaluate/metrics.ts";
import type { LogisticModel } from "../logistic_regression.ts";
import {
  atThreshold,
  chooseThreshold,
  type PickOptions,
  pickThreshold,
} from "./choose_threshold.ts";
import { outOfFoldTraces, traceFrom } from "./device_folds.ts";

export interface ThresholdValidation {
  threshold: number;
  /** How it was chosen: across devices (`cv_*` metrics) or on the later time range (`validation_*`). */
  method: "device_folds" | "time_split" | "default";
  /** Figures at the chosen threshold, for the model's metadata. */
  metrics: Record<string, number>;
  /** One line for the training log. */
  summary: string;
}

/**
 * Chooses a model's alert threshold on training data only. A profile model
 * with at least `folds` devices: by device-grouped cross-validation over
 * every device-day (see {@linkcode outOfFoldTraces}), so the threshold must
 * hold on devices the model has not seen; the figures on the later range
 * alone (held out by device and in time) are kept as `cv_later_*`. Otherwise
 * (a device's own model, or too few devices): on the later time range.
 */
export async function validateThreshold(input: {
  scope: "profile" | "device";
  profile: Profile;
  dataset: Dataset;
  sequences: readonly DeviceSequence[];
  /** Fitted before `splitAt`; validation starts at `splitAt` (ms). */
  early: LogisticModel;
  splitAt: number;
  /** Device folds; 0 = always the time split. */
  folds: number;
  l2: number;
  window: number;
  intervalS: number;
  horizonS: number;
  pick: PickOptions;
  progress?: (line: string) => void;
}): Promise<ThresholdValidation> {
  const { pick } = input;
  if (input.scope === "profile" && input.folds >= 2) {
    const traces = await outOfFoldTraces(input.dataset, input.sequences, {
      folds: input.folds,
      before: input.splitAt,
      l2: input.l2,
      window: input.window,
      horizonS: input.horizonS,
      initial: input.early,
      progress: input.progress,
    });
    if (traces) {
      const choice = pickThreshold(traces, pick);
      if (!choice.metrics) return defaultChoice(pick.defaultThreshold);
      const at = choice.threshold;
      const later = evaluateTraces(
        traces.map((t) => atThreshold(traceFrom(t, input.splitAt), at, pick.ruleFloorThreshold)),
      );
      return {
        threshold: at,
        method: "device_folds",
        metrics: {
          cv_folds: input.folds,
          cv_devices: traces.length,
          ...figures("cv", choice.metrics),
          ...figures("cv_later", later),
        },
        summary: `${input.folds} device folds, ${traces.length} devices: ${
          describe(choice.metrics)
        }; later range only: ${describe(later)}`,
      };
    }
  }
  const choice = await chooseThreshold({
    model: input.early,
    profile: input.profile,
    sequences: input.sequences,
    from: input.splitAt,
    window: input.window,
    intervalS: input.intervalS,
    horizonS: input.horizonS,
    ...pick,
  });
  if (!choice.metrics) return defaultChoice(pick.defaultThreshold);
  return {
    threshold: choice.threshold,
    method: "time_split",
    metrics: figures("validation", choice.metrics),
    summary: `later time range: ${describe(choice.metrics)}`,
  };
}

function defaultChoice(threshold: number): ThresholdValidation {
  return { threshold, method: "default", metrics: {}, summary: "default: no validation episode" };
}

function figures(prefix: string, m: Metrics): Record<string, number> {
  return {
    [`${prefix}_device_days`]: m.device_days,
    [`${prefix}_episodes`]: m.episodes,
    [`${prefix}_warned_30s_share`]: m.warned_30s_share,
    [`${prefix}_false_alerts_per_device_day`]: m.false_alerts_per_device_day,
    [`${prefix}_lead_median_s`]: m.lead_median_s,
  };
}

function describe(m: Metrics): string {
  return `${m.episodes} episodes over ${m.device_days.toFixed(1)} device-days, ${
    (m.warned_30s_share * 100).toFixed(0)
  } % warned >= 30 s ahead, ${m.false_alerts_per_device_day.toFixed(2)} false alerts/device-day`;
}
