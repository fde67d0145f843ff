import assert from "node:assert/strict";
import { ago, clockTime, dateTime, percent, sameDay } from "./_format.ts";

const T = Date.parse("2026-01-31T23:30:05.000Z");

Deno.test("ago() says how long ago in the largest whole unit", () => {
  assert.equal(ago(T, T), "just now");
  assert.equal(ago(T, T + 12_000), "12 s ago");
  assert.equal(ago(T, T + 5 * 60_000 + 59_000), "5 min ago");
  assert.equal(ago(T, T + 3 * 3_600_000), "3 h ago");
  assert.equal(ago(T, T + 50 * 3_600_000), "2 d ago");
  assert.equal(ago(T + 3_000, T), "just now", "a clock a little ahead is not the future");
});

Deno.test("clockTime(), dateTime() and sameDay() use the time zone, not the process's", () => {
  assert.equal(clockTime(T, "UTC"), "23:30:05");
  assert.equal(clockTime(T, "Europe/Berlin"), "00:30:05");
  assert.equal(dateTime(T, "Europe/Berlin"), "1 Feb 2026, 00:30:05");
  assert.equal(sameDay(T, T + 3_600_000, "UTC"), false);
  assert.equal(sameDay(T, T + 3_600_000, "Europe/Berlin"), true);
});

Deno.test("percent() never rounds a small or near-certain probability to 0 or 100", () => {
  assert.equal(percent(0), "0 %");
  assert.equal(percent(0.001), "<1 %");
  assert.equal(percent(0.372), "37 %");
  assert.equal(percent(0.999), ">99 %");
  assert.equal(percent(1), "100 %");
});
