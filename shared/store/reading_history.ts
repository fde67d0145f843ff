import type { z } from "zod";
import {
  PcReadingSchema,
  type Profile,
  RaspberryReadingSchema,
  type Reading,
} from "../reading/mod.ts";
import type { Store } from "./store.ts";

/** Most points a history has: enough for a chart as wide as a screen. */
export const HISTORY_MAX_POINTS = 1000;

/** The steps a history picks from when none is asked for, seconds. */
const NICE_STEPS_S = [
  5,
  10,
  15,
  30,
  60,
  120,
  300,
  600,
  900,
  1800,
  3600,
  7200,
  10_800,
  21_600,
  43_200,
  86_400,
];

/** Readings fetched per store request while a history is built (the port's page limit). */
const PAGE = 1000;

/** One step of a history: the readings whose time falls in `[time, time + step)`. */
export interface HistoryPoint {
  /** Start of the step, ms since epoch. */
  time: number;
  min: number;
  mean: number;
  max: number;
  /** Readings with a value in the step. */
  count: number;
}

export interface History {
  device: string;
  metric: string;
  /** ms since epoch, inclusive. */
  from: number;
  /** ms since epoch, exclusive. */
  to: number;
  step_s: number;
  /** Steps without a value are left out: a gap in the series is a gap in the data. */
  points: HistoryPoint[];
}

export interface HistoryQuery {
  /** A numeric reading field, e.g. `TemperatureCPUPackage` (see {@linkcode numericMetrics}). */
  metric: string;
  from: number;
  to: number;
  /** Seconds per point; by default the smallest usual step that keeps to {@linkcode HISTORY_MAX_POINTS}. */
  stepS?: number;
}

const numericFields = (schema: z.ZodObject): string[] =>
  Object.entries(schema.shape).filter(([, field]) => isNumber(field as z.ZodType)).map(([n]) => n)
    .filter((name) => name !== "schema_version");

function isNumber(schema: z.ZodType): boolean {
  let def = schema._zod.def as { type: string; innerType?: z.ZodType };
  while ((def.type === "optional" || def.type === "nullable") && def.innerType) {
    def = def.innerType._zod.def as typeof def;
  }
  return def.type === "number";
}

const METRICS: Record<Profile, readonly string[]> = {
  pc: numericFields(PcReadingSchema),
  raspberry: numericFields(RaspberryReadingSchema),
};

/** The numeric reading fields a history can be made of, for one profile or both. */
export function numericMetrics(profile?: Profile): string[] {
  return profile ? [...METRICS[profile]] : [...new Set([...METRICS.pc, ...METRICS.raspberry])];
}

/** The step {@linkcode readingHistory} uses for a range when none is given, seconds. */
export function historyStepS(from: number, to: number): number {
  const spanS = (to - from) / 1000;
  return NICE_STEPS_S.find((s) => spanS / s <= HISTORY_MAX_POINTS) ??
    Math.ceil(spanS / HISTORY_MAX_POINTS / 86_400) * 86_400;
}

/**
 * A device's series of one metric, downsampled to min, mean and max per
 * step, for charts (the API's `/history`, the bot's `/chart`, the status
 * page). Reads the device's readings in the range through the store's time
 * index, oldest first, page by page: never a scan. Bad queries throw a
 * RangeError that names what is wrong.
 */
export async function readingHistory(
  store: Pick<Store, "listReadings">,
  device: string,
  query: HistoryQuery,
): Promise<History> {
  const { metric, from, to } = query;
  if (!numericMetrics().includes(metric)) {
    throw new RangeError(
      `Cannot chart '${metric}': 'metric' must be a numeric reading field (${
        numericMetrics().join(", ")
      })`,
    );
  }
  if (!Number.isFinite(from) || !Number.isFinite(to) || !(from < to)) {
    throw new RangeError(
      `Cannot chart ${metric}: 'from' must be a time before 'to', got ${from} and ${to}`,
    );
  }
  const stepS = query.stepS ?? historyStepS(from, to);
  if (!(stepS >= 1) || !Number.isInteger(stepS)) {
    throw new RangeError(`Cannot chart ${metric}: 'step' must be a whole number of seconds ≥ 1`);
  }
  const steps = Math.ceil((to - from) / (stepS * 1000));
  if (steps > HISTORY_MAX_POINTS) {
    throw new RangeError(
      `Cannot chart ${metric}: ${steps} steps of ${stepS} s, at most ${HISTORY_MAX_POINTS}; ` +
        `take a step of at least ${historyStepS(from, to)} s or a shorter range`,
    );
  }
  const buckets = new Map<number, { min: number; max: number; sum: number; count: number }>();
  let cursor: string | undefined;
  do {
    const page = await store.listReadings(device, {
      limit: PAGE,
      after: from - 1,
      before: to,
      order: "asc",
      cursor,
    });
    for (const reading of page.items) {
      const value = valueOf(reading, metric);
      if (value === null) continue;
      const index = Math.floor((Date.parse(reading.timestamp) - from) / (stepS * 1000));
      const bucket = buckets.get(index);
      if (!bucket) buckets.set(index, { min: value, max: value, sum: value, count: 1 });
      else {
        bucket.min = Math.min(bucket.min, value);
        bucket.max = Math.max(bucket.max, value);
        bucket.sum += value;
        bucket.count++;
      }
    }
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  const points = [...buckets.entries()].sort(([a], [b]) => a - b).map(([index, b]) => ({
    time: from + index * stepS * 1000,
    min: b.min,
    mean: b.sum / b.count,
    max: b.max,
    count: b.count,
  }));
  return { device, metric, from, to, step_s: stepS, points };
}

function valueOf(reading: Reading, metric: string): number | null {
  const value = (reading as unknown as Record<string, unknown>)[metric];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
