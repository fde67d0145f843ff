import assert from "node:assert/strict";
import process from "node:process";
import { filterKnownWarnings } from "./filter_warnings.ts";

Deno.test("filterKnownWarnings() drops kafkajs's TimeoutNegativeWarning and keeps every other warning", async () => {
  filterKnownWarnings();
  filterKnownWarnings(); // twice is once
  const seen: string[] = [];
  const listener = (warning: Error) => seen.push(warning.name);
  process.on("warning", listener);
  try {
    process.emitWarning("-5 is a negative number.", "TimeoutNegativeWarning");
    const negative = new Error("-1 is a negative number.");
    negative.name = "TimeoutNegativeWarning";
    process.emitWarning(negative);
    setTimeout(() => {}, -5); // what kafkajs does
    process.emitWarning("something else", { type: "OtherTestWarning" });
    await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    process.off("warning", listener);
  }
  assert.deepEqual(seen, ["OtherTestWarning"]);
});
