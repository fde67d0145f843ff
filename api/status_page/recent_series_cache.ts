import type { ChartPoint } from "../../shared/charts/mod.ts";
import type { Reading } from "../../shared/reading/mod.ts";
import type { DeviceSummary } from "../../shared/store/records.ts";
import type { Store } from "../../shared/store/store.ts";

/** How a device's series was brought up to date, for tests and figures. */
export interface SeriesCacheCounts {
  /** Read whole from the store (first time, or something changed that the cache cannot follow). */
  full: number;
  /** Only the readings newer than the cached ones were read. */
  incremental: number;
  /** No reading since the last time: nothing was read. */
  unchanged: number;
}

export interface RecentSeriesCache {
  /**
   * The device's `metric` from `from` (ms) on, for the summary just read
   * from the store: min, mean and max per step, drawn at the mean time of
   * its readings (steps on the clock, so they hold still while the period
   * moves on), then the newest reading itself when its step holds others.
   * Steps without a value are left out, so a gap stays a gap.
   */
  series(summary: DeviceSummary, metric: string, from: number): Promise<ChartPoint[]>;
  /** Forgets every device but these (the ones on the page), so the cache stays bounded. */
  keepOnly(devices: ReadonlySet<string>): void;
  readonly counts: Readonly<SeriesCacheCounts>;
}

export interface RecentSeriesCacheOptions {
  /** Seconds per chart step, 1 to 3600. Default 30: 120 steps in an hour. */
  stepS?: number;
}

interface Step {
  min: number;
  max: number;
  sum: number;
  count: number;
  /** Sum of the readings' times: the step is drawn at their mean time. */
  times: number;
}

interface Entry {
  metric: string;
  /** The earliest time the steps cover. */
  from: number;
  /** The summary's reading count the steps account for. */
  readings: number;
  /** Time of the newest reading read. */
  newest: number;
  /** Steps by their index on the clock (`floor(time / step)`). */
  steps: Map<number, Step>;
  /** The newest reading with a value. */
  latest: { time: number; value: number } | null;
}

/** Readings per store request (the port's page limit). */
const PAGE = 1000;

/**
 * A device's recent series kept between refreshes of the status page, so a
 * refresh reads only the readings stored since the last one instead of the
 * whole hour again (a page left open with 50 devices sampling every 5 s
 * would otherwise read 36,000 readings every 15 s: seconds of CPU, and on
 * DynamoDB a bill). It keeps min, max, sum and count per step, not the
 * readings, so it holds at most one hour's steps per device whatever the
 * sampling rate.
 *
 * It follows the summary's reading count: when the readings newer than the
 * cached ones number exactly the readings stored since, nothing was missed;
 * any other count (a reading delivered late, with an older time) reads the
 * period whole again. A reading stored between the summary and the series
 * read is known by its time, newer than the summary's `last_seen`.
 */
export function createRecentSeriesCache(
  store: Pick<Store, "listReadings">,
  options: RecentSeriesCacheOptions = {},
): RecentSeriesCache {
  const stepS = options.stepS ?? 30;
  if (!Number.isInteger(stepS) || stepS < 1 || stepS > 3600) {
    throw new RangeError(
      `Cannot keep chart series: 'stepS' must be a whole number from 1 to 3600, got ${stepS}`,
    );
  }
  const stepMs = stepS * 1000;
  const entries = new Map<string, Entry>();
  /** The update in progress per device: updates of one device run one after another. */
  const queues = new Map<string, Promise<unknown>>();
  const counts: SeriesCacheCounts = { full: 0, incremental: 0, unchanged: 0 };

  /** Readings of `device` after `after` (ms), oldest first, every page. */
  async function readAfter(device: string, after: number): Promise<Reading[]> {
    const readings: Reading[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listReadings(device, { limit: PAGE, after, order: "asc", cursor });
      readings.push(...page.items);
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);
    return readings;
  }

  /** Adds readings (oldest first) to the entry's steps, latest and newest. */
  function add(entry: Entry, readings: readonly Reading[]) {
    for (const reading of readings) {
      const time = Date.parse(reading.timestamp);
      entry.newest = Math.max(entry.newest, time);
      const value = (reading as unknown as Record<string, unknown>)[entry.metric];
      if (typeof value !== "number" || !Number.isFinite(value)) continue;
      if (!entry.latest || time >= entry.latest.time) entry.latest = { time, value };
      const index = Math.floor(time / stepMs);
      const step = entry.steps.get(index);
      if (!step) {
        entry.steps.set(index, { min: value, max: value, sum: value, count: 1, times: time });
      } else {
        step.min = Math.min(step.min, value);
        step.max = Math.max(step.max, value);
        step.sum += value;
        step.count++;
        step.times += time;
      }
    }
  }

  async function update(
    summary: DeviceSummary,
    metric: string,
    from: number,
  ): Promise<ChartPoint[]> {
    const { device } = summary;
    const lastSeen = Date.parse(summary.last_seen);
    const storedLater = (readings: Reading[]) =>
      readings.filter((r) => Date.parse(r.timestamp) > lastSeen).length;
    const entry = entries.get(device);
    if (entry && entry.metric === metric && entry.from <= from) {
      const fresh = summary.readings - entry.readings;
      if (fresh === 0) {
        counts.unchanged++;
        return pointsOf(entry, from);
      }
      if (fresh > 0) {
        const added = await readAfter(device, entry.newest);
        const later = storedLater(added);
        if (added.length - later === fresh) {
          counts.incremental++;
          add(entry, added);
          entry.readings = summary.readings + later;
          return pointsOf(entry, from);
        }
      }
    }
    counts.full++;
    const readings = await readAfter(device, from - 1);
    const next: Entry = {
      metric,
      from,
      readings: summary.readings + storedLater(readings),
      newest: from - 1,
      steps: new Map(),
      latest: null,
    };
    add(next, readings);
    entries.set(device, next);
    return pointsOf(next, from);
  }

  /** Drops the steps that start before `from` and gives the rest as chart points. */
  function pointsOf(entry: Entry, from: number): ChartPoint[] {
    for (const index of entry.steps.keys()) {
      if (index * stepMs < from) entry.steps.delete(index);
    }
    entry.from = from;
    const points: ChartPoint[] = [...entry.steps.entries()].sort(([a], [b]) => a - b)
      .map(([, step]) => ({
        time: Math.round(step.times / step.count),
        min: step.min,
        mean: step.sum / step.count,
        max: step.max,
      }));
    const { latest } = entry;
    const last = points.at(-1);
    if (latest && last && latest.time > last.time) points.push(latest);
    return points;
  }

  return {
    series(summary, metric, from) {
      const { device } = summary;
      const previous = queues.get(device) ?? Promise.resolve();
      // A failed update leaves the entry as it was: the next one carries on from it.
      const run = previous.catch(() => {}).then(() => update(summary, metric, from));
      queues.set(device, run);
      const done = () => {
        if (queues.get(device) === run) queues.delete(device);
      };
      run.then(done, done);
      return run;
    },
    keepOnly(devices) {
      for (const device of entries.keys()) if (!devices.has(device)) entries.delete(device);
    },
    counts,
  };
}
