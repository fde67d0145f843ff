/**
 * Wall-clock time in an IANA time zone, from `Intl.DateTimeFormat` (the only
 * source of zone rules on Deno Deploy: no tz database of our own). A wall-clock
 * time is written as the UTC ms of the same calendar date and time, so that
 * rounding it to a whole hour or day rounds in the zone.
 */
export interface ZonedClock {
  readonly timeZone: string;
  /** The wall-clock time in the zone at an instant (ms). */
  wallAt(time: number): number;
  /** The instant at which the zone's clocks show `wall` (the later one after a DST jump). */
  instantOf(wall: number): number;
}

export function zonedClock(timeZone: string): ZonedClock {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  const wallAt = (time: number) => {
    const part: Record<string, number> = {};
    for (const { type, value } of format.formatToParts(time)) part[type] = Number(value);
    const seconds = Date.UTC(
      part.year,
      part.month - 1,
      part.day,
      part.hour,
      part.minute,
      part.second,
    );
    return seconds + (((time % 1000) + 1000) % 1000);
  };
  return {
    timeZone,
    wallAt,
    instantOf(wall) {
      const guess = wall - (wallAt(wall) - wall);
      return wall - (wallAt(guess) - guess);
    },
  };
}

/** Throws a RangeError naming the option when `timeZone` is not a zone Intl knows. */
export function checkTimeZone(timeZone: string, what: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    throw new RangeError(
      `${what}: 'timeZone' must be an IANA time zone such as 'Europe/Berlin' or 'UTC', got '${timeZone}'`,
    );
  }
}
