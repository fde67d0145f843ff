import type { Scorer } from "../../shared/scoring/scorer.ts";
import { createRuleScorer } from "../../shared/scoring/rule_scorer.ts";
import { type Profile, PROFILES } from "../../shared/reading/mod.ts";
import type { DeviceSequence } from "../dataset.ts";
import type { LogisticModel } from "../logistic_regression.ts";
import type { PickOptions } from "../train/choose_threshold.ts";
import { createBudgetRuleScorer } from "./budget_rule.ts";
import {
  evaluateTraces,
  type Metrics,
  MIN_RATE_DEVICE_HOURS,
  ratesAreMeaningful,
  type ScoredTrace,
} from "./metrics.ts";
import { scoreSequence } from "./score_trace.ts";
import {
  createSingleReadingScorer,
  trainSingleReadingBaseline,
} from "./single_reading_baseline.ts";

export interface EvaluationRow {
  profile: Profile | "all";
  scorer: string;
  metrics: Metrics;
}

export interface EvaluateInput {
  /** What the single-reading baseline is trained on (the model's own training data). */
  train: readonly DeviceSequence[];
  /** Held-out devices or a later time range. */
  test: readonly DeviceSequence[];
  /** The model under test, e.g. the consumer's ONNX scorer. */
  model: Scorer;
  modelName: string;
  /** For scores without a threshold of their own (the baselines). */
  threshold: number;
  horizonS: number;
  /**
   * When given, a fourth scorer: the rule with its threshold chosen on the
   * training data for this false-alert budget, as a model's is.
   */
  budgetRule?: PickOptions;
  progress?: (line: string) => void;
}

/**
 * Scores the held-out sequences with the model and both baselines in the
 * same run (the old system's single-reading logistic regression, trained on
 * the same data, and the plain rule) and measures each per profile and over
 * all devices.
 */
export async function evaluateModels(input: EvaluateInput): Promise<EvaluationRow[]> {
  const progress = input.progress ?? (() => {});
  const baselines: Partial<Record<Profile, LogisticModel>> = {};
  for (const profile of PROFILES) {
    if (!input.train.some((s) => s.profile === profile)) continue;
    progress(`training the single-reading baseline for ${profile}`);
    baselines[profile] = trainSingleReadingBaseline(profile, input.train, input.horizonS);
  }
  const scorers: [string, Scorer][] = [
    [input.modelName, input.model],
    ["single-reading LR (old system)", createSingleReadingScorer(baselines)],
    ["rule (within 5 °C of limit)", createRuleScorer()],
  ];
  if (input.budgetRule) {
    progress("choosing the rule's threshold for the false-alert budget on the training data");
    const budget = await createBudgetRuleScorer({
      train: input.train,
      pick: input.budgetRule,
      horizonS: input.horizonS,
    });
    const chosen = Object.entries(budget.thresholds).map(([p, t]) => `${p} ${t}`).join(", ");
    scorers.push([`rule at the false-alert budget (t: ${chosen})`, budget.scorer]);
  }
  const rows: EvaluationRow[] = [];
  for (const [name, scorer] of scorers) {
    const traces = new Map<Profile, ScoredTrace[]>();
    for (const sequence of input.test) {
      const trace = await scoreSequence(sequence, scorer, {
        horizonS: input.horizonS,
        threshold: input.threshold,
      });
      traces.set(sequence.profile, [...(traces.get(sequence.profile) ?? []), trace]);
    }
    progress(`scored ${input.test.length} held-out devices with ${name}`);
    for (const [profile, list] of traces) {
      rows.push({ profile, scorer: name, metrics: evaluateTraces(list) });
    }
    rows.push({
      profile: "all",
      scorer: name,
      metrics: evaluateTraces([...traces.values()].flat()),
    });
  }
  const order = (p: string) => (p === "all" ? 99 : PROFILES.indexOf(p as Profile));
  return rows.sort((a, b) => order(a.profile) - order(b.profile));
}

/** The rows as a plain-text table. */
export function formatTable(rows: readonly EvaluationRow[]): string {
  return formatMetricsTable(rows.map((r) => ({ label: r.profile, ...r })), "profile");
}

/** One row of a metrics table: what it is about (a profile, a trace), the scorer, its metrics. */
export interface TableRow {
  label: string;
  scorer: string;
  metrics: Metrics;
}

/**
 * Metrics as a plain-text table, the first column headed `labelHeader`.
 * Figures without a meaning say so: precision and recall without any alert
 * or positive row, and the warned share without any episode, are "n/a"; a
 * rate per device-day over less than {@linkcode MIN_RATE_DEVICE_HOURS} is not
 * given, only the count and the hours.
 */
export function formatMetricsTable(rows: readonly TableRow[], labelHeader: string): string {
  const header = [
    labelHeader,
    "scorer",
    "precision",
    "recall",
    "false alerts/dev-day",
    "(no cooldown)",
    "episodes",
    "warned ≥30 s",
    "lead median",
    "lead p10",
    "thermal: warned ≥30 s, lead median/p10",
    "sudden (under-voltage): same",
  ];
  const pct = (v: number) => `${(v * 100).toFixed(0)} %`;
  const secs = (v: number) => (Number.isNaN(v) ? "-" : `${v.toFixed(0)} s`);
  const kind = (k: Metrics["by_kind"]["thermal"]) =>
    k.episodes === 0
      ? "-"
      : `${pct(k.warned_30s_share)} of ${k.episodes}, ${secs(k.lead_median_s)}/${
        secs(k.lead_p10_s)
      }`;
  const perDay = (m: Metrics, count: number, rate: number) =>
    ratesAreMeaningful(m) ? rate.toFixed(2) : `${count} in ${(m.device_days * 24).toFixed(1)} h`;
  const body = rows.map(({ label, scorer, metrics: m }) => [
    label,
    scorer,
    m.predicted === 0 ? "n/a" : m.precision.toFixed(3),
    m.positives === 0 ? "n/a" : m.recall.toFixed(3),
    perDay(m, m.false_alerts, m.false_alerts_per_device_day),
    perDay(m, m.false_crossings, m.false_crossings_per_device_day),
    String(m.episodes),
    m.episodes === 0 ? "n/a" : pct(m.warned_30s_share),
    secs(m.lead_median_s),
    secs(m.lead_p10_s),
    kind(m.by_kind.thermal),
    kind(m.by_kind.sudden),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  const lines = [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)];
  if (rows.some((r) => !ratesAreMeaningful(r.metrics))) {
    lines.push(
      `(a rate per device-day needs at least ${MIN_RATE_DEVICE_HOURS} device-hours; ` +
        `below that the count and the hours are given)`,
    );
  }
  return lines.join("\n");
}

/**
 * Metrics as the evaluation's JSON keeps them: rates per device-day are null
 * below {@linkcode MIN_RATE_DEVICE_HOURS} (the counts and `device_days` stay).
 */
export function metricsForJson(metrics: Metrics):
  & Omit<
    Metrics,
    "false_alerts_per_device_day" | "false_crossings_per_device_day"
  >
  & {
    false_alerts_per_device_day: number | null;
    false_crossings_per_device_day: number | null;
  } {
  if (ratesAreMeaningful(metrics)) return metrics;
  return { ...metrics, false_alerts_per_device_day: null, false_crossings_per_device_day: null };
}
