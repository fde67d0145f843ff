/**
 * Times as the owner reads them on a phone: a clock time in their time zone
 * (`TZ`), with the day only when it is not today, and how long ago.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone} ${JSON.stringify(options)}`;
  let found = formats.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat("en-GB", { timeZone, hourCycle: "h23", ...options });
    formats.set(key, found);
  }
  return found;
}

const dayOf = (time: number, timeZone: string) =>
  format(timeZone, { year: "numeric", month: "2-digit", day: "2-digit" }).format(time);

/**
 * `13:05`, `13:05:07` with `seconds`, `31 Jan 13:05` on another day, `31 Jan 2025 13:05` in
 * another year, in `timeZone`.
 */
export function clockTime(
  time: number,
  options: { timeZone: string; now: number; seconds?: boolean },
): string {
  const { timeZone, now } = options;
  const clock = format(timeZone, {
    hour: "2-digit",
    minute: "2-digit",
    ...(options.seconds ? { second: "2-digit" } : {}),
  }).format(time);
  if (dayOf(time, timeZone) === dayOf(now, timeZone)) return clock;
  const sameYear = format(timeZone, { year: "numeric" }).format(time) ===
    format(timeZone, { year: "numeric" }).format(now);
  const day = format(timeZone, {
    day: "numeric",
    month: "short",
    ...(sameYear ? {} : { year: "numeric" }),
  }).format(time);
  return `${day} ${clock}`;
}

/** `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`: a duration in at most two units. */
export function formatDuration(ms: number): string {
  const abs = Math.max(0, Math.round(ms));
  if (abs < MINUTE) return `${Math.round(abs / 1000)} s`;
  if (abs < HOUR) return `${Math.round(abs / MINUTE)} min`;
  if (abs < DAY) {
    const hours = Math.floor(abs / HOUR);
    const minutes = Math.round((abs - hours * HOUR) / MINUTE);
    return minutes === 0 || minutes === 60
      ? `${hours + (minutes === 60 ? 1 : 0)} h`
      : `${hours} h ${minutes} min`;
  }
  const days = Math.floor(abs / DAY);
  const hours = Math.round((abs - days * DAY) / HOUR);
  return hours === 0 || hours === 24
    ? `${days + (hours === 24 ? 1 : 0)} d`
    : `${days} d ${hours} h`;
}

/** `5 s ago`, `3 min ago`; `just now` under a second; `in 2 min` for a time ahead. */
export function ago(time: number, now: number): string {
  const delta = now - time;
  if (Math.abs(delta) < 1000) return "just now";
  return delta > 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(-delta)}`;
}
