import assert from "node:assert/strict";
import type { Reading } from "../shared/reading/mod.ts";
import { aPcReading, later } from "../testing/a_reading.ts";
import { aPrediction } from "../testing/a_prediction.ts";
import { createDeviceWindows, type DeviceWindows } from "./device_windows.ts";

const arrival = { source: "pc1:0", arrivedAt: 0 };
const times = (readings: readonly Reading[]) => readings.map((r) => r.timestamp.slice(17, 19));
/** Adds readings and gives each a prediction, as the pipeline does once it scored them. */
const addScored = (windows: DeviceWindows, readings: readonly Reading[], source = "pc1:0") => {
  for (const r of readings) windows.add(r, { source, arrivedAt: 0 });
  for (const entry of windows.entries(readings[0]!.device)) {
    entry.prediction ??= aPrediction(entry.reading);
  }
};

Deno.test("createDeviceWindows() orders readings by their own time, whatever order they arrive in", () => {
  const windows = createDeviceWindows({ size: 3 });
  const first = aPcReading({ device: "pc1", timestamp: "2026-01-31T12:00:00.000Z" });
  const readings = [0, 5, 10, 15, 20].map((s) => later(first, s));
  for (const i of [3, 0, 4, 1, 2]) windows.add(readings[i]!, arrival);
  assert.deepEqual(times(windows.entries("pc1").map((e) => e.reading)), [
    "00",
    "05",
    "10",
    "15",
    "20",
  ]);
  assert.deepEqual(times(windows.windowFor(readings[3]!)), ["05", "10", "15"]);
  assert.deepEqual(times(windows.windowFor(readings[0]!)), ["00"], "the real gap: nothing before");
  assert.equal(windows.has("pc1"), true);
  assert.equal(windows.has("pc2"), false);
  assert.equal(windows.newest("pc1"), Date.parse(readings[4]!.timestamp));
});

Deno.test("createDeviceWindows() drops a repeated uuid", () => {
  const windows = createDeviceWindows({ size: 3 });
  const reading = aPcReading({ device: "pc1" });
  assert.equal(windows.add(reading, arrival), "added");
  assert.equal(windows.add({ ...reading }, arrival), "duplicate");
  assert.equal(windows.entries("pc1").length, 1);
});

Deno.test("createDeviceWindows() marks the scored readings whose windows a late reading joins", () => {
  const windows = createDeviceWindows({ size: 3 });
  const first = aPcReading({ device: "pc1", timestamp: "2026-01-31T12:00:00.000Z" });
  const readings = [0, 10, 15, 20, 25].map((s) => later(first, s));
  addScored(windows, readings);
  assert.ok(windows.entries("pc1").every((e) => !e.stale));
  const late = later(first, 5);
  windows.add(late, { source: "pc1:1", arrivedAt: 0 });
  assert.deepEqual(
    windows.entries("pc1").map((e) => `${times([e.reading])[0]}${e.stale ? "*" : ""}`),
    ["00", "05", "10*", "15*", "20", "25"],
    "the 2 after it, whose 3-reading windows now hold it",
  );
  assert.deepEqual(times(windows.windowFor(readings[2]!)), ["05", "10", "15"]);
  assert.equal(windows.sourceCount("pc1"), 2);
});

Deno.test("createDeviceWindows() gives the highest clock up to a reading's time; a late higher one marks every later reading", () => {
  const windows = createDeviceWindows({ size: 2 });
  const first = aPcReading({ device: "pc1", ClockCPUCoreOne: 3000 });
  const readings = [
    first,
    later(first, 5, { ClockCPUCoreOne: 4200 }),
    later(first, 10, { ClockCPUCoreOne: 800 }),
    later(first, 15, { ClockCPUCoreOne: 900 }),
  ];
  addScored(windows, readings);
  const t = (s: number) => Date.parse(first.timestamp) + s * 1000;
  assert.deepEqual([0, 5, 15].map((s) => windows.maxClock("pc1", t(s))), [3000, 4200, 4200]);
  assert.equal(windows.maxClock("pc1", t(-1)), null);
  assert.equal(windows.maxClock("none", t(0)), null);
  windows.add(later(first, 2, { ClockCPUCoreOne: 4500 }), arrival);
  assert.equal(windows.maxClock("pc1", t(15)), 4500);
  assert.deepEqual(windows.entries("pc1").map((e) => e.stale), [false, false, true, true, true]);
});

Deno.test("createDeviceWindows() keeps `retain` decided readings and every undecided one", async (t) => {
  const first = aPcReading({ device: "pc1", timestamp: "2026-01-31T12:00:00.000Z" });
  const readings = Array.from({ length: 10 }, (_, i) => later(first, i * 5));
  const at = (i: number) => Date.parse(readings[i]!.timestamp);
  await t.step("decided ones beyond the newest 4 go; their clock maximum stays", () => {
    const windows = createDeviceWindows({ size: 2, retain: 4 });
    addScored(windows, readings.map((r, i) => i === 0 ? { ...r, ClockCPUCoreOne: 5000 } : r));
    windows.trim("pc1", at(9));
    assert.deepEqual(times(windows.entries("pc1").map((e) => e.reading)), ["30", "35", "40", "45"]);
    assert.equal(windows.maxClock("pc1", at(9)), 5000);
    assert.equal(windows.add(later(first, 27), arrival), "before_memory", "older than memory");
    assert.equal(windows.add(later(first, 33), arrival), "added", "its window is here");
  });
  await t.step("undecided ones stay", () => {
    const windows = createDeviceWindows({ size: 2, retain: 4 });
    addScored(windows, readings);
    windows.trim("pc1", at(2));
    assert.equal(windows.entries("pc1").length, 7);
    windows.trim("pc1", null);
    assert.equal(windows.entries("pc1").length, 7, "nothing decided: nothing dropped");
  });
});

Deno.test("createDeviceWindows() seeds a device from the store; complete when the store has no older reading", () => {
  const first = aPcReading({ device: "pc1", timestamp: "2026-01-31T12:00:00.000Z" });
  const stored = [10, 15, 20].map((s) => later(first, s));
  const partial = createDeviceWindows({ size: 3 });
  partial.seed("pc1", [...stored].reverse(), { complete: false });
  assert.ok(partial.entries("pc1").every((e) => e.fromStore && e.prediction === null));
  assert.deepEqual(times(partial.entries("pc1").map((e) => e.reading)), ["10", "15", "20"]);
  assert.equal(partial.add(later(first, 5), arrival), "before_memory");
  assert.equal(partial.sourceCount("pc1"), 0, "sources are those of readings added");
  const complete = createDeviceWindows({ size: 3 });
  complete.seed("pc1", stored, { complete: true });
  assert.equal(complete.add(later(first, 5), arrival), "added");
  assert.deepEqual(complete.entries("pc1").map((e) => e.stale), [false, true, true, false]);
  complete.forget("pc1");
  assert.equal(complete.has("pc1"), false);
});

Deno.test("createDeviceWindows() checks its options", () => {
  assert.throws(() => createDeviceWindows({ size: 0 }), /'size' must be a positive integer, got 0/);
  assert.throws(
    () => createDeviceWindows({ size: 3, retain: 2 }),
    /'retain' must be an integer of at least 'size' \(3\), got 2/,
  );
});
