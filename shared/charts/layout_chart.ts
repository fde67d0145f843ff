import { linearTicks } from "./_linear_ticks.ts";
import { type TimeTick, timeTicks } from "./_time_ticks.ts";
import { checkTimeZone } from "./_zoned_clock.ts";

/**
 * One point of a series: a single value (raw readings), or the min, mean and
 * max of a step (a downsampled history; the mean is the line, min to max a
 * band). A null value, or a missing point, is a gap.
 */
export type ChartPoint =
  | { time: number; value: number | null }
  | { time: number; min: number | null; mean: number | null; max: number | null };

export interface ChartOptions {
  /** Shown at the top: "pc1 · CPU package temperature". */
  title: string;
  /** Unit of the values: "°C", "W", "%". */
  unit: string;
  /** IANA time zone of the axis labels, e.g. the `TZ` setting: "Europe/Berlin". */
  timeZone: string;
  /** Size in CSS pixels (a PNG gets `scale` times as many). Default 720 × 360. */
  width?: number;
  height?: number;
  /** Drawn as a dashed red line and always inside the value axis. */
  hotLimit?: number | null;
  /** Times of alerts (ms), drawn as marks. */
  alerts?: readonly number[];
  /** The time axis; default the first and last point. Points outside are left out. */
  from?: number;
  to?: number;
  /** Locale of the labels. Default `en-GB` (24-hour clock, "3 Mar"). */
  locale?: string;
}

/** A point as drawn: the line's value and the band's ends (both the value without a band). */
export interface PlotPoint {
  time: number;
  value: number;
  low: number;
  high: number;
}

/** Where everything goes: the scales and what is drawn, for the SVG and for tests. */
export interface ChartLayout {
  width: number;
  height: number;
  /** The plot area, in pixels from the top left. */
  plot: { left: number; top: number; right: number; bottom: number };
  /** The time axis (ms), or null with no point and no `from`/`to`. */
  xDomain: [number, number] | null;
  yDomain: [number, number];
  /** Time (ms) to x pixel. */
  x(time: number): number;
  /** Value to y pixel. */
  y(value: number): number;
  yTicks: { value: number; label: string }[];
  timeTicks: TimeTick[];
  /** Runs of points joined by one line; a gap ends a run. A run of one point is a dot. */
  segments: PlotPoint[][];
  /** The newest point with a value. */
  latest: PlotPoint | null;
  /** Alert times inside the time axis. */
  alerts: number[];
  hotLimit: number | null;
}

export const CHART_DEFAULTS = { width: 720, height: 360, locale: "en-GB" } as const;

/** Two points further apart than this many median steps are not joined. */
export const GAP_STEPS = 3;

const MIN_SIZE = 200;
const MAX_SIZE = 4000;
const ONE_POINT_SPAN = 10 * 60_000;
/** Label font size and the width of one of its characters, px (DejaVu Sans digits are 0.64 em). */
export const LABEL_FONT = 11;
export const LABEL_CHAR_WIDTH = 7.1;
const HEADER = 46;
const FOOTER = 36;
const RIGHT = 16;

/**
 * Lays out a time-series chart: checks the options, sorts the points, splits
 * them at gaps, and fits the value and time axes to the plot area.
 */
export function layoutChart(series: readonly ChartPoint[], options: ChartOptions): ChartLayout {
  const what = "Cannot draw the chart";
  const width = options.width ?? CHART_DEFAULTS.width;
  const height = options.height ?? CHART_DEFAULTS.height;
  for (const [name, value] of [["width", width], ["height", height]] as const) {
    if (!Number.isInteger(value) || value < MIN_SIZE || value > MAX_SIZE) {
      throw new RangeError(
        `${what}: '${name}' must be a whole number from ${MIN_SIZE} to ${MAX_SIZE}, got ${value}`,
      );
    }
  }
  checkTimeZone(options.timeZone, what);
  const locale = options.locale ?? CHART_DEFAULTS.locale;
  for (const bound of ["from", "to"] as const) {
    const value = options[bound];
    if (value !== undefined && !Number.isFinite(value)) {
      throw new RangeError(`${what}: '${bound}' must be a time in ms, got ${value}`);
    }
  }
  if (options.from !== undefined && options.to !== undefined && options.from >= options.to) {
    throw new RangeError(
      `${what}: 'from' (${options.from}) must be before 'to' (${options.to})`,
    );
  }
  const hotLimit = options.hotLimit ?? null;
  if (hotLimit !== null && !Number.isFinite(hotLimit)) {
    throw new RangeError(`${what}: 'hotLimit' must be a number, got ${hotLimit}`);
  }
  series.forEach((point, i) => {
    if (!Number.isFinite(point?.time)) {
      throw new RangeError(`${what}: point ${i} has no valid 'time' (ms), got ${point?.time}`);
    }
  });

  const sorted = isSorted(series) ? series : [...series].sort((a, b) => a.time - b.time);
  const xDomain = timeDomain(sorted, options);
  const inside = xDomain
    ? sorted.filter((p) => p.time >= xDomain[0] && p.time <= xDomain[1])
    : sorted;
  const segments = splitAtGaps(inside);
  const drawn = segments.flat();

  let low = Infinity;
  let high = -Infinity;
  for (const point of drawn) {
    low = Math.min(low, point.low);
    high = Math.max(high, point.high);
  }
  if (hotLimit !== null) [low, high] = [Math.min(low, hotLimit), Math.max(high, hotLimit)];
  if (low === Infinity) [low, high] = [0, 1];

  const top = HEADER;
  const bottom = height - FOOTER;
  const values = linearTicks(low, high, Math.max(2, Math.round((bottom - top) / 50)));
  const yTicks = values.ticks.map((value) => ({ value, label: value.toFixed(values.decimals) }));
  const labelChars = Math.max(...yTicks.map((t) => t.label.length));
  const left = Math.round(labelChars * LABEL_CHAR_WIDTH + 14);
  const right = width - RIGHT;
  const [y0, y1] = values.domain;
  const y = (value: number) => bottom - ((value - y0) / (y1 - y0)) * (bottom - top);
  const x = xDomain
    ? (time: number) => left + ((time - xDomain[0]) / (xDomain[1] - xDomain[0])) * (right - left)
    : () => left;

  return {
    width,
    height,
    plot: { left, top, right, bottom },
    xDomain,
    yDomain: values.domain,
    x,
    y,
    yTicks,
    timeTicks: xDomain
      ? timeTicks(xDomain[0], xDomain[1], {
        timeZone: options.timeZone,
        locale,
        maxTicks: Math.floor((right - left) / 64),
      })
      : [],
    segments,
    latest: drawn.at(-1) ?? null,
    alerts: xDomain ? (options.alerts ?? []).filter((t) => t >= xDomain[0] && t <= xDomain[1]) : [],
    hotLimit,
  };
}

function isSorted(series: readonly ChartPoint[]): boolean {
  for (let i = 1; i < series.length; i++) if (series[i].time < series[i - 1].time) return false;
  return true;
}

function timeDomain(
  sorted: readonly ChartPoint[],
  options: ChartOptions,
): [number, number] | null {
  const from = options.from ?? sorted[0]?.time;
  const to = options.to ?? sorted.at(-1)?.time;
  if (from !== undefined && to !== undefined && from < to) return [from, to];
  if (options.from !== undefined) return [options.from, options.from + ONE_POINT_SPAN];
  if (options.to !== undefined) return [options.to - ONE_POINT_SPAN, options.to];
  if (from === undefined || to === undefined) return null;
  return [from - ONE_POINT_SPAN / 2, to + ONE_POINT_SPAN / 2];
}

/** The point as drawn, or null for a gap (a null or non-finite value). */
function plotPoint(point: ChartPoint): PlotPoint | null {
  const value = "value" in point ? point.value : point.mean;
  if (typeof value !== "number" || !Number.isFinite(value)) return null;
  if ("value" in point) return { time: point.time, value, low: value, high: value };
  const finite = (v: number | null) => typeof v === "number" && Number.isFinite(v);
  return {
    time: point.time,
    value,
    low: finite(point.min) ? Math.min(point.min as number, value) : value,
    high: finite(point.max) ? Math.max(point.max as number, value) : value,
  };
}

/**
 * Runs of points to join: a null value ends a run, and so does a step longer
 * than {@linkcode GAP_STEPS} times the series' median step (missing points).
 */
function splitAtGaps(sorted: readonly ChartPoint[]): PlotPoint[][] {
  const steps: number[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const step = sorted[i].time - sorted[i - 1].time;
    if (step > 0) steps.push(step);
  }
  steps.sort((a, b) => a - b);
  const median = steps.length === 0
    ? Infinity
    : steps.length % 2 === 1
    ? steps[(steps.length - 1) / 2]
    : (steps[steps.length / 2 - 1] + steps[steps.length / 2]) / 2;
  const longest = GAP_STEPS * median;

  const segments: PlotPoint[][] = [];
  let run: PlotPoint[] = [];
  for (const point of sorted) {
    const drawn = plotPoint(point);
    const last = run.at(-1);
    if (!drawn || (last && drawn.time - last.time > longest)) {
      if (run.length > 0) segments.push(run);
      run = [];
    }
    if (drawn) run.push(drawn);
  }
  if (run.length > 0) segments.push(run);
  return segments;
}
