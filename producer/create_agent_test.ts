import assert from "node:assert/strict";
import { createFakeClock } from "../testing/fake_clock.ts";
import { silentLogger } from "../shared/log.ts";
import type { Reading } from "../shared/reading/mod.ts";
import { createAgent, formatInventory } from "./create_agent.ts";
import type { SensorSource } from "../shared/sensors/sensor_source.ts";

const fakeSensors = (values: Record<string, number | null>): SensorSource => ({
  profile: "pc",
  inventory: () =>
    Promise.resolve([
      {
        field: "TemperatureCPUPackage",
        present: values.TemperatureCPUPackage != null,
        detail: "fake",
      },
    ]),
  sample: () => Promise.resolve(values),
});

Deno.test("createAgent() delivers one valid reading per tick, stamped with the tick time", async () => {
  const clock = createFakeClock(Date.parse("2026-01-31T12:00:00.000Z"));
  const readings: Reading[] = [];
  const agent = createAgent({
    sensors: fakeSensors({ TemperatureCPUPackage: 55, LoadCPUTotal: 12 }),
    device: "pc1",
    intervalMs: 5000,
    clock,
    log: silentLogger,
    deliver: (r) => (readings.push(r), Promise.resolve()),
  });
  await agent.start();
  await clock.advance(10_000);
  await agent.stop();
  assert.deepEqual(readings.map((r) => r.timestamp), [
    "2026-01-31T12:00:00.000Z",
    "2026-01-31T12:00:05.000Z",
    "2026-01-31T12:00:10.000Z",
  ]);
  assert.equal(readings[0]!.device, "pc1");
  assert.equal(readings[0]!.loading_datetime, "2026-01-31@12:00:00");
  assert.equal(new Set(readings.map((r) => r.uuid)).size, 3);
  assert.equal(agent.stats().delivered, 3);
});

Deno.test("createAgent() counts a failed delivery and keeps sampling", async () => {
  const clock = createFakeClock(0);
  let calls = 0;
  const agent = createAgent({
    sensors: fakeSensors({ TemperatureCPUPackage: null }),
    device: "vm",
    intervalMs: 1000,
    clock,
    log: silentLogger,
    deliver: () => (++calls === 1 ? Promise.reject(new Error("broker away")) : Promise.resolve()),
  });
  await agent.start();
  await clock.advance(2000);
  await agent.stop();
  assert.equal(agent.stats().delivery_failures, 1);
  assert.equal(agent.stats().delivered, 2);
});

Deno.test("createAgent() refuses a sample outside physics instead of sending it", async () => {
  const clock = createFakeClock(0);
  const readings: Reading[] = [];
  const agent = createAgent({
    sensors: fakeSensors({ TemperatureCPUPackage: 837 }),
    device: "pc1",
    intervalMs: 1000,
    clock,
    log: silentLogger,
    deliver: (r) => (readings.push(r), Promise.resolve()),
  });
  await agent.start();
  await clock.advance(10);
  await agent.stop();
  assert.equal(readings.length, 0);
  assert.equal(agent.stats().failures, 1);
});

Deno.test("formatInventory() prints present and absent sensors in one block", () => {
  const block = formatInventory("vm", "pc", [
    { field: "TemperatureCPUPackage", present: false, detail: "no CPU temperature sensor" },
    { field: "LoadCPUTotal", present: true, detail: "/proc/stat" },
  ]);
  assert.equal(
    block,
    "Sensors of vm (pc):\n  ✗ TemperatureCPUPackage  no CPU temperature sensor\n  ✓ LoadCPUTotal           /proc/stat",
  );
});
