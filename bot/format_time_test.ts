import assert from "node:assert/strict";
import { ago, clockTime, formatDuration } from "./format_time.ts";

const now = Date.parse("2026-01-31T12:00:00.000Z");

Deno.test("clockTime() is the time in the owner's zone, with the day when not today", () => {
  assert.equal(clockTime(now - 5 * 60_000, { timeZone: "UTC", now }), "11:55");
  assert.equal(clockTime(now - 5_000, { timeZone: "UTC", now, seconds: true }), "11:59:55");
  assert.equal(clockTime(now, { timeZone: "Europe/Berlin", now }), "13:00");
  assert.equal(clockTime(now, { timeZone: "Asia/Kolkata", now }), "17:30");
  assert.equal(clockTime(now - 13 * 3_600_000, { timeZone: "UTC", now }), "30 Jan 23:00");
  assert.equal(
    clockTime(Date.parse("2025-12-31T23:30:00Z"), { timeZone: "UTC", now }),
    "31 Dec 2025 23:30",
  );
  // 23:30 UTC on the 31st is already the 1st of February in Tokyo: another day there.
  assert.equal(
    clockTime(Date.parse("2026-01-31T23:30:00Z"), { timeZone: "Asia/Tokyo", now }),
    "1 Feb 08:30",
  );
});

Deno.test("formatDuration() and ago() say durations in at most two units", () => {
  const cases: [number, string][] = [
    [4_400, "4 s"],
    [90_000, "2 min"],
    [3_600_000, "1 h"],
    [5_400_000, "1 h 30 min"],
    [86_400_000, "1 d"],
    [2 * 86_400_000 + 4 * 3_600_000, "2 d 4 h"],
  ];
  for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, `${ms}`);
  assert.equal(ago(now - 5_000, now), "5 s ago");
  assert.equal(ago(now - 200, now), "just now");
  assert.equal(ago(now + 120_000, now), "in 2 min");
});
