/**
 * How the status page writes times and numbers: wall-clock times in the
 * owner's time zone (24-hour, like the charts), ages as "12 s ago".
 */

const clocks = new Map<string, Intl.DateTimeFormat>();
const dates = new Map<string, Intl.DateTimeFormat>();

function formatter(
  cache: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  let format = cache.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { ...options, timeZone, hourCycle: "h23" });
    cache.set(timeZone, format);
  }
  return format;
}

/** `14:05:09` in `timeZone`. */
export function clockTime(time: number, timeZone: string): string {
  return formatter(clocks, timeZone, { hour: "2-digit", minute: "2-digit", second: "2-digit" })
    .format(time);
}

/** `31 Jan 2026, 14:05:09` in `timeZone`. */
export function dateTime(time: number, timeZone: string): string {
  return formatter(dates, timeZone, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).format(time);
}

/** How long before `now` `time` was: `just now`, `12 s ago`, `5 min ago`, `3 h ago`, `2 d ago`. */
export function ago(time: number, now: number): string {
  const s = Math.round((now - time) / 1000);
  if (s < 1) return "just now";
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** A probability as a whole percentage: `37 %`; `<1 %` and `>99 %` rather than a misleading 0 or 100. */
export function percent(probability: number): string {
  if (probability > 0 && probability < 0.005) return "<1 %";
  if (probability < 1 && probability >= 0.995) return ">99 %";
  return `${Math.round(probability * 100)} %`;
}

const days = new Map<string, Intl.DateTimeFormat>();

/** Whether two times fall on the same calendar day in `timeZone`. */
export function sameDay(a: number, b: number, timeZone: string): boolean {
  const format = formatter(days, timeZone, { year: "numeric", month: "numeric", day: "numeric" });
  return format.format(a) === format.format(b);
}
