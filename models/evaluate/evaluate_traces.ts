import type { Scorer } from "../../shared/scoring/scorer.ts";
import { type Profile, PROFILES } from "../../shared/reading/mod.ts";
import type { StressCause } from "../../shared/scoring/stressed.ts";
import {
  type EvaluationRow,
  formatMetricsTable,
  metricsForJson,
  type TableRow,
} from "./evaluate.ts";
import {
  type EpisodeKind,
  episodesOf,
  evaluateTraces,
  type Metrics,
  type ScoredTrace,
  WARNED_AHEAD_S,
} from "./metrics.ts";
import type { Trace } from "./read_traces.ts";
import { scoreSequence } from "./score_trace.ts";

/** A scorer under evaluation: a short key for the JSON and the name the table shows. */
export interface NamedScorer {
  key: string;
  name: string;
  scorer: Scorer;
}

/** The target: per episode, the model warns at most this much later than the budget rule, s. */
export const MAX_LATER_THAN_BUDGET_RULE_S = 10;

/** One stress episode of a recording and each scorer's lead, s (0 = not warned). */
export interface EpisodeReport {
  /** Its first stressed reading, ISO time. */
  onset: string;
  kind: EpisodeKind;
  causes: readonly StressCause[];
  /** By scorer key. */
  leads: Record<string, number>;
}

export interface TraceReport {
  device: string;
  profile: Profile;
  hardware: string | null;
  hot_limit_c: number;
  hot_limit_from: Trace["hotLimitFrom"];
  readings: number;
  hours: number;
  stressed_readings: number;
  results: { key: string; scorer: string; metrics: Metrics }[];
  episodes: EpisodeReport[];
}

/** Per profile (and all), what the targets on real recordings read off. */
export interface TraceTargets {
  profile: Profile | "all";
  episodes: number;
  /** By scorer key: episodes warned at least 30 s ahead. */
  warned_30s: Record<string, number>;
  /** By scorer key: alerts with no stress at or within 120 s after them. */
  false_alerts: Record<string, number>;
  /** Episodes where the first scorer warned at most 10 s later than the reference. */
  not_later_than_reference: number;
  /** The scorer key the first is compared with per episode; null without one. */
  reference: string | null;
}

export interface TraceEvaluation {
  scorers: { key: string; name: string }[];
  traces: TraceReport[];
  /** Over all recordings of a profile, and over all. */
  totals: EvaluationRow[];
  targets: TraceTargets[];
}

/**
 * Scores every recording with each scorer (as the consumer would, with the
 * recording's own hot limit) and measures each per recording, per profile and
 * over all: the same metrics as the simulated evaluation, plus every episode
 * with each scorer's lead. The first scorer is the one under test; the one
 * keyed `reference` (the rule held to the false-alert budget) is what its
 * per-episode lead is compared with.
 */
export async function evaluateTraceSet(input: {
  traces: readonly Trace[];
  scorers: readonly NamedScorer[];
  /** For scores without a threshold of their own (the rule). */
  threshold: number;
  horizonS: number;
  reference?: string;
  progress?: (line: string) => void;
}): Promise<TraceEvaluation> {
  if (input.scorers.length === 0) throw new RangeError("Cannot evaluate traces: no scorer given");
  const reference = input.reference ?? null;
  if (reference !== null && !input.scorers.some((s) => s.key === reference)) {
    throw new RangeError(`Cannot evaluate traces: no scorer has the reference key '${reference}'`);
  }
  const scored = new Map<string, ScoredTrace[]>(input.scorers.map((s) => [s.key, []]));
  const traces: TraceReport[] = [];
  for (const trace of input.traces) {
    const results: TraceReport["results"] = [];
    const leads: Record<string, number>[] = [];
    let episodes: ReturnType<typeof episodesOf> = [];
    let stressedReadings = 0;
    for (const { key, name, scorer } of input.scorers) {
      const one = await scoreSequence(trace, scorer, {
        horizonS: input.horizonS,
        threshold: input.threshold,
      });
      scored.get(key)!.push(one);
      results.push({ key, scorer: name, metrics: evaluateTraces([one]) });
      // Episodes depend on the readings alone, so every scorer sees the same ones.
      episodes = episodesOf(one);
      episodes.forEach((e, i) => ((leads[i] ??= {})[key] = e.lead));
      stressedReadings = Array.from(one.stressed).filter(Boolean).length;
    }
    const times = trace.readings.map((r) => Date.parse(r.timestamp));
    traces.push({
      device: trace.device,
      profile: trace.profile,
      hardware: trace.hardware,
      hot_limit_c: trace.hotLimitC,
      hot_limit_from: trace.hotLimitFrom,
      readings: trace.readings.length,
      hours: times.length > 1 ? (times.at(-1)! - times[0]!) / 3_600_000 : 0,
      stressed_readings: stressedReadings,
      results,
      episodes: episodes.map((e, i) => ({
        onset: new Date(e.onset).toISOString(),
        kind: e.kind,
        causes: e.causes,
        leads: leads[i]!,
      })),
    });
    input.progress?.(
      `${trace.device}: ${trace.readings.length} readings, ${episodes.length} episodes`,
    );
  }
  const totals: EvaluationRow[] = [];
  const groups: (Profile | "all")[] = [
    ...PROFILES.filter((p) => input.traces.some((t) => t.profile === p)),
    "all",
  ];
  for (const profile of groups) {
    for (const { key, name } of input.scorers) {
      const list = scored.get(key)!.filter((_, i) =>
        profile === "all" || input.traces[i]!.profile === profile
      );
      totals.push({ profile, scorer: name, metrics: evaluateTraces(list) });
    }
  }
  const first = input.scorers[0]!.key;
  const targets = groups.map((profile): TraceTargets => {
    const mine = traces.filter((t) => profile === "all" || t.profile === profile);
    const episodes = mine.flatMap((t) => t.episodes);
    const count = (f: (key: string) => number) =>
      Object.fromEntries(input.scorers.map(({ key }) => [key, f(key)]));
    return {
      profile,
      episodes: episodes.length,
      warned_30s: count((key) => episodes.filter((e) => e.leads[key]! >= WARNED_AHEAD_S).length),
      false_alerts: count((key) =>
        mine.reduce((n, t) => n + t.results.find((r) => r.key === key)!.metrics.false_alerts, 0)
      ),
      not_later_than_reference: reference === null
        ? 0
        : episodes.filter((e) =>
          e.leads[first]! >= e.leads[reference]! - MAX_LATER_THAN_BUDGET_RULE_S
        ).length,
      reference,
    };
  });
  return {
    scorers: input.scorers.map(({ key, name }) => ({ key, name })),
    traces,
    totals,
    targets,
  };
}

/**
 * The evaluation as text: the metrics table per recording and in total, every
 * episode with each scorer's lead, and the targets read off per profile.
 */
export function formatTraceEvaluation(evaluation: TraceEvaluation): string {
  const { scorers, traces, totals, targets } = evaluation;
  const rows: TableRow[] = [
    ...traces.flatMap((t) =>
      t.results.map((r) => ({
        label: `${t.device} (${t.hot_limit_c} °C)`,
        scorer: r.scorer,
        metrics: r.metrics,
      }))
    ),
    ...totals.map((r) => ({
      label: r.profile === "all" ? "all recordings" : `all ${r.profile}`,
      scorer: r.scorer,
      metrics: r.metrics,
    })),
  ];
  const reference = targets[0]?.reference ?? null;
  const first = scorers[0]!;
  const episodeRows = traces.flatMap((t) =>
    t.episodes.map((e) => [
      t.device,
      e.onset.replace(".000Z", "Z"),
      e.causes.join(", "),
      ...scorers.map((s) => `${e.leads[s.key]!.toFixed(0)} s`),
      ...(reference === null ? [] : [signed(e.leads[first.key]! - e.leads[reference]!)]),
    ])
  );
  const episodeHeader = [
    "recording",
    "onset (UTC)",
    "cause",
    ...scorers.map((s) => `lead: ${s.key}`),
    ...(reference === null ? [] : [`${first.key} − ${reference}`]),
  ];
  const targetLines = targets.map((g) => {
    const share = (n: number) => `${n}/${g.episodes}`;
    const warned = scorers.map((s) => `${s.key} ${share(g.warned_30s[s.key]!)}`).join(", ");
    const falseAlerts = scorers.map((s) => `${s.key} ${g.false_alerts[s.key]}`).join(", ");
    const later = reference === null
      ? ""
      : `; ${first.key} at most ${MAX_LATER_THAN_BUDGET_RULE_S} s later than ${reference}: ${
        share(g.not_later_than_reference)
      }`;
    return `${g.profile}: ${g.episodes} episodes; warned ≥ ${WARNED_AHEAD_S} s ahead: ${warned}${later}; false alerts: ${falseAlerts}`;
  });
  return [
    formatMetricsTable(rows, "recording (hot limit)"),
    "",
    episodeRows.length === 0
      ? "No stress episode in these recordings."
      : alignColumns([episodeHeader, ...episodeRows]),
    "",
    ...targetLines,
  ].join("\n");
}

/** The evaluation as its JSON keeps it (rates per device-day null where too little data). */
export function traceEvaluationJson(evaluation: TraceEvaluation) {
  return {
    scorers: evaluation.scorers,
    targets: evaluation.targets,
    traces: evaluation.traces.map((t) => ({
      ...t,
      results: t.results.map((r) => ({ ...r, metrics: metricsForJson(r.metrics) })),
    })),
    totals: evaluation.totals.map((r) => ({ ...r, metrics: metricsForJson(r.metrics) })),
  };
}

const signed = (s: number) => `${s > 0 ? "+" : s < 0 ? "−" : ""}${Math.abs(s).toFixed(0)} s`;

/** Rows of cells as left-aligned columns, a rule under the first row. */
function alignColumns(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(rows[0]!), line(widths.map((w) => "-".repeat(w))), ...rows.slice(1).map(line)]
    .join("\n");
}
