import assert from "node:assert/strict";
import { aPcReading, later } from "../testing/a_reading.ts";
import { createDeviceWindows } from "./device_windows.ts";

Deno.test("createDeviceWindows() keeps the newest readings per device in time order", () => {
  const windows = createDeviceWindows({ size: 3 });
  const first = aPcReading({ device: "a" });
  const readings = [first, later(first, 5), later(first, 10), later(first, 15)];
  const late = later(first, 12);
  for (const r of readings) windows.add(r);
  windows.add(late);
  windows.add(readings[3]!);
  assert.deepEqual(windows.windowFor(readings[3]!).map((r) => r.timestamp), [
    readings[2]!.timestamp,
    late.timestamp,
    readings[3]!.timestamp,
  ]);
  assert.deepEqual(windows.windowFor(late).map((r) => r.uuid), [readings[2]!.uuid, late.uuid]);
  assert.equal(windows.has("a"), true);
  assert.equal(windows.has("b"), false);
});

Deno.test("createDeviceWindows() tracks the highest clock seen", () => {
  const windows = createDeviceWindows({ size: 1 });
  windows.add(aPcReading({ device: "c", ClockCPUCoreOne: 3000 }));
  windows.add(aPcReading({ device: "c", ClockCPUCoreOne: 4200 }));
  windows.add(aPcReading({ device: "c", ClockCPUCoreOne: 800 }));
  assert.equal(windows.maxClock("c"), 4200);
  assert.equal(windows.maxClock("none"), null);
});

Deno.test("createDeviceWindows() checks its size", () => {
  assert.throws(() => createDeviceWindows({ size: 0 }), /'size' must be a positive integer, got 0/);
});
