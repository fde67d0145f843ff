import assert from "node:assert/strict";
import { parseReading } from "../../shared/reading/mod.ts";
import { stressedFlags } from "../dataset.ts";
import { createPrng } from "./prng.ts";
import { fleet, simulateDevice, timingOf } from "./simulate_fleet.ts";
import { writeSimulation } from "./write_jsonl.ts";
import { main } from "./main.ts";

Deno.test("simulateDevice() is deterministic from the seed and differs between seeds", () => {
  const [spec] = fleet({ devices: 1, seed: 42 });
  const a = [...simulateDevice(spec!, { hours: 0.5 })];
  const b = [...simulateDevice(spec!, { hours: 0.5 })];
  assert.deepEqual(a, b);
  const [other] = fleet({ devices: 1, seed: 43 });
  const c = [...simulateDevice(other!, { hours: 0.5 })];
  const temps = (readings: typeof a) =>
    readings.map((r) => (r.profile === "pc" ? r.TemperatureCPUPackage : null));
  assert.notDeepEqual(temps(a), temps(c));
});

Deno.test("simulateDevice() loses samples and has outages, never silently", () => {
  const [spec] = fleet({ devices: 1, seed: 3 });
  const readings = [
    ...simulateDevice(spec!, {
      hours: 6,
      missRate: 0.02,
      outageRate: 1 / 500,
      regularTiming: true,
    }),
  ];
  const expected = (6 * 3600) / 5;
  assert.ok(readings.length < expected * 0.99, `${readings.length} of ${expected}`);
  const gaps = readings.slice(1).map((r, i) =>
    (Date.parse(r.timestamp) - Date.parse(readings[i]!.timestamp)) / 1000
  );
  assert.ok(gaps.every((g) => g % 5 === 0 && g >= 5), "readings stay on the 5 s rhythm");
  assert.ok(gaps.some((g) => g >= 30), "an outage of 30 s or more");
});

Deno.test("simulateDevice() spaces some devices' readings as real recorders do", () => {
  const specs = fleet({ devices: 60, seed: 4 });
  const spacings = specs.map((spec) => timingOf(spec, {}));
  assert.ok(spacings.some((t) => t.minS === 5 && t.maxS === 5), "most read every 5 s");
  assert.ok(spacings.some((t) => t.minS === 4 && t.maxS === 7), "some every 4-7 s");
  assert.ok(spacings.some((t) => t.minS === 15 && t.maxS === 40), "some every 15-40 s");
  const sparse = specs[spacings.findIndex((t) => t.minS === 15)]!;
  const readings = [...simulateDevice(sparse, { hours: 1, missRate: 0, outageRate: 0 })];
  const gaps = readings.slice(1).map((r, i) =>
    (Date.parse(r.timestamp) - Date.parse(readings[i]!.timestamp)) / 1000
  );
  assert.ok(
    gaps.every((g) => g >= 15 && g <= 40),
    `gaps ${Math.min(...gaps)}-${Math.max(...gaps)} s`,
  );
  assert.ok(
    specs.every((spec) => timingOf(spec, { regularTiming: true }).maxS === 5),
    "regularTiming keeps every device on the rhythm",
  );
});

Deno.test("simulated devices heat up under load, get stressed and cool down again", () => {
  const sequences = fleet({ devices: 8, seed: 1 }).map((spec) => ({
    device: spec.name,
    profile: spec.profile,
    readings: [...simulateDevice(spec, { hours: 12 })],
  }));
  const shares = sequences.map((s) => {
    const flags = stressedFlags(s);
    return flags.filter(Boolean).length / flags.length;
  });
  assert.ok(shares.some((share) => share > 0.001), "some devices get stressed");
  assert.ok(shares.every((share) => share < 0.5), "no device is stressed most of the time");
  const pc = sequences.find((s) => s.profile === "pc")!.readings;
  const temps = pc.map((r) => (r.profile === "pc" ? r.TemperatureCPUPackage! : 0));
  assert.ok(Math.max(...temps) - Math.min(...temps) > 20, "temperature follows the work phases");
});

Deno.test("writeSimulation() writes JSONL that parseReading accepts line by line, flagged simulated", async () => {
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  try {
    const progress: number[] = [];
    const summary = await writeSimulation(
      path,
      { devices: 3, hours: 0.5, seed: 9 },
      (p) => progress.push(p.devices),
    );
    assert.deepEqual(progress, [1, 2, 3]);
    const lines = (await Deno.readTextFile(path)).trimEnd().split("\n");
    assert.equal(lines.length, summary.readings);
    const readings = lines.map((line) => parseReading(JSON.parse(line)));
    assert.ok(readings.every((r) => r.simulated === true));
    assert.deepEqual([...new Set(readings.map((r) => r.device))], [
      "sim-pc-1",
      "sim-pi-1",
      "sim-pc-2",
    ]);
    assert.ok(readings.some((r) => r.profile === "raspberry" && r.throttled !== undefined));
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("deno task simulate checks its flags and writes the file", async () => {
  const path = await Deno.makeTempFile({ suffix: ".jsonl" });
  try {
    assert.equal(await main(["--devices", "0", "--hours", "1", "--out", path]), 2);
    assert.equal(await main(["--hours", "1", "--out", path]), 2);
    assert.equal(await main(["--devices", "2", "--hours", "0.2", "--seed", "5", "--out", path]), 0);
    const lines = (await Deno.readTextFile(path)).trimEnd().split("\n");
    assert.ok(lines.length > 100);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("createPrng() gives the same sequence for a seed and sane draws", () => {
  const a = createPrng(7), b = createPrng(7);
  const xs = Array.from({ length: 1000 }, () => a.next());
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => b.next()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05);
  assert.throws(() => createPrng(1.5), /'seed' must be an integer, got 1.5/);
});

Deno.test("fleet() checks its size", () => {
  assert.throws(
    () => fleet({ devices: 0, seed: 1 }),
    /'devices' must be an integer from 1 to 10000, got 0/,
  );
});
