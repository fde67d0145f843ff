import { zonedClock } from "./_zoned_clock.ts";

/** A tick of the time axis. */
export interface TimeTick {
  /** The instant, ms. */
  time: number;
  /** The wall-clock time in the zone (`14:30`), or the date (`3 Mar`) for ticks a day or more apart. */
  label: string;
  /** The date (`3 Mar`) under a time label, on the first tick and where the day changes. */
  date?: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SUB_DAY_STEPS = [
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
];
/** 1970-01-01 was a Thursday: day number + 3 is a multiple of 7 on Mondays. */
const MONDAY_SHIFT = 3;

/**
 * At most `maxTicks` ticks between `from` and `to`, on round wall-clock times
 * of the zone: every 15 minutes at :00, :15, ... local time, every 6 hours at
 * 00:00, 06:00, ... local time, days at local midnight, weeks on Mondays. A
 * zone half an hour off UTC still gets ticks on its own full hours; on a
 * daylight-saving day the hour that does not exist gets no tick, and the hour
 * that happens twice gets one.
 */
export function timeTicks(
  from: number,
  to: number,
  options: { timeZone: string; maxTicks: number; locale: string },
): TimeTick[] {
  if (!(to > from)) return [];
  const clock = zonedClock(options.timeZone);
  const span = to - from;
  const maxTicks = Math.max(2, options.maxTicks);
  const subDay = SUB_DAY_STEPS.find((step) => span / step <= maxTicks);
  const times = subDay === undefined
    ? dayTicks(clock, from, to, dayStep(span, maxTicks))
    : wallTicks(clock, from, to, subDay);
  const date = new Intl.DateTimeFormat(options.locale, {
    timeZone: options.timeZone,
    day: "numeric",
    month: "short",
  });
  if (subDay === undefined) return times.map((time) => ({ time, label: date.format(time) }));
  const clockTime = new Intl.DateTimeFormat(options.locale, {
    timeZone: options.timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  let lastDate = "";
  return times.map((time) => {
    const tick: TimeTick = { time, label: clockTime.format(time) };
    const day = date.format(time);
    if (day !== lastDate) tick.date = day;
    lastDate = day;
    return tick;
  });
}

function dayStep(span: number, maxTicks: number): number {
  for (const days of [1, 2]) if (span / (days * DAY) <= maxTicks) return days * DAY;
  const weeks = Math.ceil(span / (7 * DAY) / maxTicks);
  return weeks * 7 * DAY;
}

/** Instants in [from, to] whose wall-clock time is a multiple of `step` (under a day). */
function wallTicks(
  clock: ReturnType<typeof zonedClock>,
  from: number,
  to: number,
  step: number,
): number[] {
  const times: number[] = [];
  // An hour of margin: a DST change moves the wall clock by up to an hour either way.
  for (
    let wall = Math.ceil((clock.wallAt(from) - HOUR) / step) * step;
    wall <= clock.wallAt(to) + HOUR;
    wall += step
  ) {
    const time = clock.instantOf(wall);
    if (clock.wallAt(time) !== wall) continue; // a wall time the zone skipped
    if (time >= from && time <= to && time > (times.at(-1) ?? -Infinity)) times.push(time);
  }
  return times;
}

/** Local midnights in [from, to], every `step` days (weeks start on Monday). */
function dayTicks(
  clock: ReturnType<typeof zonedClock>,
  from: number,
  to: number,
  step: number,
): number[] {
  const days = step / DAY;
  const times: number[] = [];
  for (
    let wall = Math.floor(clock.wallAt(from) / DAY) * DAY;
    wall <= clock.wallAt(to);
    wall += DAY
  ) {
    const day = wall / DAY;
    if ((days % 7 === 0 ? day + MONDAY_SHIFT : day) % days !== 0) continue;
    const time = clock.instantOf(wall);
    if (time >= from && time <= to) times.push(time);
  }
  return times;
}
