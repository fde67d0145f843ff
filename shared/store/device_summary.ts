import type { DeviceSummary, Prediction } from "./records.ts";
import { RECENT_GAPS } from "./records.ts";
import type { ScoredReading } from "./store.ts";

/**
 * A device's summary after `fresh`, its readings stored now (new uuids, any
 * order), given the summary stored before (null for a new device). Both
 * adapters use it, so they count, date and retire devices the same way:
 *
 * - `readings` grows by the number of fresh readings;
 * - `last_seen` and `latest` follow the newest reading, never an older one
 *   delivered late;
 * - the gaps between readings newer than the previous `last_seen` are kept,
 *   the newest {@linkcode RECENT_GAPS};
 * - a reading taken after `decommissioned_at` brings the device back.
 */
export function nextSummary(
  current: DeviceSummary | null,
  fresh: readonly ScoredReading[],
): DeviceSummary {
  if (fresh.length === 0) throw new RangeError("Cannot summarise: no readings");
  const sorted = fresh.map((item) => ({ item, time: Date.parse(item.reading.timestamp) }))
    .sort((a, b) => a.time - b.time);
  const newest = sorted.at(-1)!;
  const oldest = sorted[0]!;
  const lastSeen = current ? Date.parse(current.last_seen) : null;
  const gaps = [...(current?.recent_gaps_s ?? [])];
  let previous = lastSeen;
  for (const { time } of sorted) {
    if (previous !== null && time > previous) gaps.push((time - previous) / 1000);
    if (previous === null || time > previous) previous = time;
  }
  const newestIsLatest = lastSeen === null || newest.time >= lastSeen;
  const { reading, prediction } = newest.item;
  const decommissioned = current?.decommissioned_at ?? null;
  const back = decommissioned !== null && newest.time > Date.parse(decommissioned);
  return {
    device: reading.device,
    profile: newestIsLatest ? reading.profile : current!.profile,
    ...((newestIsLatest ? reading.simulated : current!.simulated) ? { simulated: true } : {}),
    first_seen: current && Date.parse(current.first_seen) <= oldest.time
      ? current.first_seen
      : oldest.item.reading.timestamp,
    last_seen: newestIsLatest ? reading.timestamp : current!.last_seen,
    readings: (current?.readings ?? 0) + fresh.length,
    latest: newestIsLatest ? latestOf(prediction) : current!.latest,
    recent_gaps_s: gaps.slice(-RECENT_GAPS),
    muted_until: current?.muted_until ?? null,
    decommissioned_at: back ? null : decommissioned,
  };
}

/**
 * The summary with `latest` replaced by `prediction` when that is the
 * prediction of its newest reading (the same time as `latest`), else null:
 * what a replaced prediction changes in a summary.
 */
export function withReplacedLatest(
  summary: DeviceSummary,
  prediction: Prediction,
): DeviceSummary | null {
  if (summary.latest === null || summary.latest.timestamp !== prediction.timestamp) return null;
  return { ...summary, latest: latestOf(prediction) };
}

/**
 * A summary stored before mutes, retirement and gaps were kept, with those
 * fields filled in (not muted, not retired, no gaps yet).
 */
export function upgradeSummary(stored: DeviceSummary): DeviceSummary {
  return {
    ...stored,
    recent_gaps_s: stored.recent_gaps_s ?? [],
    muted_until: stored.muted_until ?? null,
    decommissioned_at: stored.decommissioned_at ?? null,
  };
}

function latestOf(prediction: Prediction): DeviceSummary["latest"] {
  const { timestamp, probability, stressed_soon, stressed_now, model } = prediction;
  return { timestamp, probability, stressed_soon, stressed_now, model };
}
