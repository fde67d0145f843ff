import assert from "node:assert/strict";
import { parseDuration } from "./parse_duration.ts";

Deno.test("parseDuration() reads what the owner types", () => {
  const cases: [string, number][] = [
    ["90s", 90_000],
    ["30m", 1_800_000],
    ["45min", 2_700_000],
    ["2h", 7_200_000],
    ["2 hours", 7_200_000],
    ["1h30m", 5_400_000],
    ["1.5h", 5_400_000],
    ["1d", 86_400_000],
    ["1w", 604_800_000],
    ["15", 900_000], // a plain number is minutes
    [" 6H ", 21_600_000],
  ];
  for (const [text, ms] of cases) assert.equal(parseDuration(text), ms, text);
});

Deno.test("parseDuration() gives null for what is not a duration", () => {
  for (const text of ["", "soon", "h", "2x", "1h foo", "-1h", "1y", "temp"]) {
    assert.equal(parseDuration(text), null, text);
  }
});
