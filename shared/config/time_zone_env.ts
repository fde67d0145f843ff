import { z } from "zod";

/** The time zone of this process: `TZ` when Deno was given one, else the system's, else UTC. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
}

/** Whether `Intl` knows `zone` as an IANA time zone (`Europe/Berlin`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return true;
  } catch {
    return false; // RangeError: Invalid time zone specified
  }
}

/**
 * Config piece: the owner's time zone (`TZ`, an IANA name such as
 * `Europe/Berlin`), in which the bot and the status page show times and
 * label chart axes. Deno Deploy runs in UTC whatever the owner's zone, so
 * set it there; on a machine of your own it defaults to the system's zone.
 */
export const TimeZoneEnv = z.object({
  TZ: z.string().refine(isTimeZone, {
    error: "must be an IANA time zone such as Europe/Berlin, America/New_York or UTC",
  }).default(systemTimeZone),
});

export type TimeZoneEnv = z.output<typeof TimeZoneEnv>;
