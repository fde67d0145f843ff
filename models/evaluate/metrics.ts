import {
  ALERT_POLICY_DEFAULTS,
  type AlertState,
  decideAlert,
  INITIAL_ALERT_STATE,
  rearmLevel,
} from "../../shared/scoring/alert_policy.ts";
import type { Reading } from "../../shared/reading/mod.ts";
import type { StressCause } from "../../shared/scoring/stressed.ts";

/**
 * How well a scorer warns, on held-out readings. See models/README.md
 * ("Evaluation") for the definitions.
 */

/** Stressed readings closer than this, s, belong to one episode. */
export const EPISODE_GAP_S = 60;
/** A warning run longer than this, s, counts as this long. */
export const LEAD_CAP_S = 300;
/** An alert is right when the device is stressed at it or within this, s. */
export const ALERT_TRUE_WITHIN_S = 120;
/** Lead the issue asks for, s. */
export const WARNED_AHEAD_S = 30;
/** Below this much data, device-hours, a rate per device-day is not given: only the counts. */
export const MIN_RATE_DEVICE_HOURS = 6;

/** One device's scored readings, oldest first. */
export interface ScoredTrace {
  readings: readonly Reading[];
  /** ms, per reading. */
  times: ArrayLike<number>;
  stressed: ArrayLike<boolean>;
  /** Per reading, the causes of its stress (empty when not stressed). */
  causes: readonly (readonly StressCause[])[];
  probabilities: ArrayLike<number>;
  /** The alert threshold that went with each probability (a model's own, or the configured one). */
  thresholds: ArrayLike<number>;
  /** Horizon label per reading, null when unknown (end of data). */
  labels: ArrayLike<0 | 1 | null>;
  /** The plain rule's probability per reading (for a rule floor chosen with the threshold). */
  ruleProbabilities?: ArrayLike<number>;
}

/** Episodes that begin with a Pi's under-voltage below its hot limit are "sudden"; all others "thermal". */
export type EpisodeKind = "thermal" | "sudden";

export interface LeadSummary {
  episodes: number;
  /** Median lead if a warning ended the moment the probability dipped below the threshold. */
  strict_lead_median_s: number;
  /** Share of episodes whose warning began at least 30 s before onset. */
  warned_30s_share: number;
  lead_median_s: number;
  lead_p10_s: number;
}

export interface Metrics extends LeadSummary {
  rows: number;
  /** Rows labelled "stressed within the horizon"; recall means nothing without any. */
  positives: number;
  /** Rows at or above their threshold; precision means nothing without any. */
  predicted: number;
  precision: number;
  recall: number;
  by_kind: Record<EpisodeKind, LeadSummary>;
  device_days: number;
  /** Alerts the consumer's alert policy would raise (threshold, re-arm, cooldown). */
  alerts: number;
  false_alerts: number;
  false_alerts_per_device_day: number;
  /** The same without the cooldown: every re-armed crossing of the threshold. */
  false_crossings: number;
  false_crossings_per_device_day: number;
}

/** One stress episode of a trace and how early the scorer warned of it. */
export interface Episode {
  /** Time of its first stressed reading, ms. */
  onset: number;
  kind: EpisodeKind;
  /** What made its first reading stressed. */
  causes: readonly StressCause[];
  /** s; 0 when not warned. */
  lead: number;
  strictLead: number;
}

/**
 * Seconds between the start of the warning that was still on at reading
 * `onset` and the onset itself; 0 when there was none. A warning starts when
 * the probability crosses `threshold` and lasts until it falls below
 * `endBelow` (the alert policy's re-arm level; `threshold` itself for the
 * strict reading), or a stressed reading, or `LEAD_CAP_S` back.
 */
function leadBefore(
  trace: ScoredTrace,
  onset: number,
  endBelow: (threshold: number) => number,
): number {
  const { times, stressed, probabilities: p, thresholds } = trace;
  const t = times[onset]!;
  let first = -1;
  for (let j = onset - 1; j >= 0; j--) {
    const threshold = thresholds[j]!;
    if (p[j]! < endBelow(threshold) || stressed[j] || t - times[j]! > LEAD_CAP_S * 1000) break;
    if (p[j]! >= threshold) first = j;
  }
  return first === -1 ? 0 : Math.min(LEAD_CAP_S, (t - times[first]!) / 1000);
}

/**
 * Readings an episode needs before it to count as foreseeable, within a
 * minute or within this many of the trace's own intervals, whichever is
 * longer (a recorder that reads every 30 s has 2 readings a minute).
 */
export const READINGS_BEFORE_EPISODE = 3;

/**
 * Each episode's lead (s) in one trace, skipping those without
 * {@linkcode READINGS_BEFORE_EPISODE} readings in the minute before them (or
 * in as many of the trace's median intervals, when that is longer).
 */
export function episodesOf(trace: ScoredTrace): Episode[] {
  const { times, stressed } = trace;
  const episodes: Episode[] = [];
  const contextMs = Math.max(60_000, READINGS_BEFORE_EPISODE * medianGapMs(times));
  let lastStressed = -Infinity;
  for (let i = 0; i < times.length; i++) {
    if (!stressed[i]) continue;
    const t = times[i]!;
    if (t - lastStressed > EPISODE_GAP_S * 1000) {
      let before = 0;
      for (let j = i - 1; j >= 0 && t - times[j]! <= contextMs; j--) before++;
      if (before >= READINGS_BEFORE_EPISODE) {
        const causes = trace.causes[i]!;
        episodes.push({
          onset: t,
          causes,
          kind: causes.includes("under_voltage") && !causes.includes("temperature")
            ? "sudden"
            : "thermal",
          lead: leadBefore(trace, i, rearmLevel),
          strictLead: leadBefore(trace, i, (threshold) => threshold),
        });
      }
    }
    lastStressed = t;
  }
  return episodes;
}

/** The median gap between consecutive readings, ms; 0 with fewer than two. */
function medianGapMs(times: ArrayLike<number>): number {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push(times[i]! - times[i - 1]!);
  if (gaps.length === 0) return 0;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}

/** Alerts raised by the consumer's alert policy over one trace, and how many were false. */
export function alertsOf(
  trace: ScoredTrace,
  cooldownMs: number,
): { alerts: number; falseAlerts: number } {
  const { times, stressed, probabilities: p, readings, thresholds } = trace;
  let state: AlertState = INITIAL_ALERT_STATE;
  let alerts = 0, falseAlerts = 0;
  const policy = { ...ALERT_POLICY_DEFAULTS, cooldownMs };
  for (let i = 0; i < times.length; i++) {
    const reading = readings[i]!;
    const probability = p[i]!;
    const threshold = thresholds[i]!;
    // Below the threshold while armed the policy changes nothing (most readings): skip the call.
    if (probability < threshold && state.armed) continue;
    const decision = decideAlert(state, {
      reading,
      now: times[i]!,
      prediction: {
        device: reading.device,
        reading_uuid: reading.uuid,
        timestamp: reading.timestamp,
        scored_at: reading.timestamp,
        probability,
        threshold,
        stressed_soon: probability >= threshold,
        stressed_now: stressed[i]!,
        model: "evaluation",
        reasons: [],
      },
    }, policy);
    state = decision.state;
    if (!decision.alert) continue;
    alerts++;
    let right = false;
    for (let j = i; j < times.length && times[j]! - times[i]! <= ALERT_TRUE_WITHIN_S * 1000; j++) {
      if (stressed[j]) {
        right = true;
        break;
      }
    }
    if (!right) falseAlerts++;
  }
  return { alerts, falseAlerts };
}

/** Metrics over several devices' traces, each reading judged at its own threshold. */
export function evaluateTraces(
  traces: readonly ScoredTrace[],
  options: { cooldownMs?: number } = {},
): Metrics {
  const cooldownMs = options.cooldownMs ?? ALERT_POLICY_DEFAULTS.cooldownMs;
  let tp = 0, fp = 0, fn = 0, rows = 0, alerts = 0, falseAlerts = 0, falseCrossings = 0, span = 0;
  const episodes: Episode[] = [];
  for (const trace of traces) {
    for (let i = 0; i < trace.times.length; i++) {
      const label = trace.labels[i];
      if (label === null || label === undefined) continue;
      rows++;
      const predicted = trace.probabilities[i]! >= trace.thresholds[i]!;
      if (predicted && label === 1) tp++;
      else if (predicted) fp++;
      else if (label === 1) fn++;
    }
    episodes.push(...episodesOf(trace));
    const withPolicy = alertsOf(trace, cooldownMs);
    alerts += withPolicy.alerts;
    falseAlerts += withPolicy.falseAlerts;
    falseCrossings += alertsOf(trace, 0).falseAlerts;
    const n = trace.times.length;
    if (n > 1) span += trace.times[n - 1]! - trace.times[0]!;
  }
  const deviceDays = span / 86_400_000;
  const perDay = (count: number) => (deviceDays === 0 ? 0 : count / deviceDays);
  return {
    rows,
    positives: tp + fn,
    predicted: tp + fp,
    precision: tp + fp === 0 ? 0 : tp / (tp + fp),
    recall: tp + fn === 0 ? 0 : tp / (tp + fn),
    ...leadSummary(episodes),
    by_kind: {
      thermal: leadSummary(episodes.filter((e) => e.kind === "thermal")),
      sudden: leadSummary(episodes.filter((e) => e.kind === "sudden")),
    },
    device_days: deviceDays,
    alerts,
    false_alerts: falseAlerts,
    false_alerts_per_device_day: perDay(falseAlerts),
    false_crossings: falseCrossings,
    false_crossings_per_device_day: perDay(falseCrossings),
  };
}

function leadSummary(episodes: readonly Episode[]): LeadSummary {
  const sorted = episodes.map((e) => e.lead).sort((a, b) => a - b);
  const strict = episodes.map((e) => e.strictLead).sort((a, b) => a - b);
  return {
    episodes: sorted.length,
    strict_lead_median_s: quantile(strict, 0.5),
    warned_30s_share: sorted.length === 0
      ? 0
      : sorted.filter((l) => l >= WARNED_AHEAD_S).length / sorted.length,
    lead_median_s: quantile(sorted, 0.5),
    lead_p10_s: quantile(sorted, 0.1),
  };
}

/** Whether `metrics` cover enough device-hours for a rate per device-day to mean something. */
export function ratesAreMeaningful(metrics: Pick<Metrics, "device_days">): boolean {
  return metrics.device_days * 24 >= MIN_RATE_DEVICE_HOURS;
}

/** The q-quantile of sorted values (linear interpolation); NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at), hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}
