/**
 * A duration as the owner types it after `/mute pc1` or `/chart pc1`:
 * `30m`, `90s`, `2h`, `1d`, `1w`, `1h30m`, `45min`, `2 hours`; a plain number
 * is minutes. Null when it is none of these.
 */
export function parseDuration(text: string): number | null {
  const input = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(input)) return Math.round(Number(input) * UNIT_MS.m!);
  const parts = [...input.matchAll(PART)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== input) return null;
  let total = 0;
  for (const [, amount, unit] of parts) total += Number(amount) * UNIT_MS[ALIASES[unit!] ?? unit!]!;
  return Math.round(total);
}

const PART =
  /\s*(\d+(?:\.\d+)?)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w)\s*/g;

const ALIASES: Record<string, string> = {
  second: "s",
  seconds: "s",
  sec: "s",
  secs: "s",
  minute: "m",
  minutes: "m",
  min: "m",
  mins: "m",
  hour: "h",
  hours: "h",
  hr: "h",
  hrs: "h",
  day: "d",
  days: "d",
  week: "w",
  weeks: "w",
};

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** Whether `text` reads as a duration (for commands whose arguments come in any order). */
export function isDuration(text: string): boolean {
  return parseDuration(text) !== null;
}
