import assert from "node:assert/strict";
import { aPcReading, aRaspberryReading, later } from "../../testing/a_reading.ts";
import { aStoreWith } from "../../testing/a_store.ts";
import { anOldCsv, oldPcRows } from "../../testing/old_csv.ts";
import { readJsonl } from "./read_jsonl.ts";
import { readOldCsv } from "./read_old_csv.ts";
import { readStore } from "./read_store.ts";
import { toSequences } from "./sequences.ts";

async function withFile(name: string, text: string, fn: (path: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/${name}`, text);
    await fn(`${dir}/${name}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("readOldCsv() reads an untimed PC export with --assume-interval: decimal commas, target as the stressed label, rows that far apart", async () => {
  await withFile("office-pc.csv", anOldCsv(oldPcRows(40, 60, 1)), async (path) => {
    const { sequences, refused, rows, notes } = await readOldCsv(path, { assumeIntervalS: 5 });
    assert.deepEqual(refused, []);
    assert.equal(rows, 40);
    assert.equal(notes.length, 1);
    assert.match(
      notes[0]!,
      /warning: 40 rows have no time; --assume-interval 5 places them 5 s apart in file order/,
    );
    const [seq] = sequences;
    assert.equal(seq!.device, "office-pc");
    assert.equal(seq!.profile, "pc");
    const first = seq!.readings[0]!;
    assert.equal(first.profile === "pc" && first.ClockCPUCoreOne, 3400.5);
    assert.equal(
      first.profile === "pc" && first.TemperatureGPUCore,
      undefined,
      "an empty cell is no sensor",
    );
    assert.equal(Date.parse(seq!.readings[1]!.timestamp) - Date.parse(first.timestamp), 5000);
    assert.deepEqual(
      seq!.stressed!.slice(28, 32),
      [false, false, true, true],
      "NoTechnicalInterventionRequired 0 = stressed",
    );
  });
});

Deno.test("readOldCsv() orders a Pi export by loading_datetime and refuses bad rows by line", async () => {
  const text = anOldCsv([
    {
      loading_datetime: "2024-05-01@10:00:10",
      CPU_temp_celsius: 61.5,
      throttled: "0x0",
      voltage_core_v: 0.85,
    },
    {
      loading_datetime: "2024-05-01@10:00:00",
      CPU_temp_celsius: 60.1,
      throttled: "0x0",
      voltage_core_v: 0.85,
    },
    {
      loading_datetime: "2024-05-01@10:00:05",
      CPU_temp_celsius: -55,
      throttled: "0x0",
      voltage_core_v: 0.85,
    },
    {
      loading_datetime: "2024-05-01@10:00:15",
      CPU_temp_celsius: 62,
      throttled: "0x50005",
      voltage_core_v: 0.85,
    },
  ]) + "1;2\n";
  await withFile("garden-pi.csv", text, async (path) => {
    const { sequences, refused } = await readOldCsv(path);
    assert.deepEqual(refused.map((r) => r.line), [4, 6]);
    assert.match(refused[0]!.error, /CPU_temp_celsius -55 °C is below the physical minimum -40 °C/);
    assert.match(refused[1]!.error, /has 2 cells, the header has 4/);
    const readings = sequences[0]!.readings;
    assert.equal(sequences[0]!.profile, "raspberry");
    assert.deepEqual(readings.map((r) => r.profile === "raspberry" && r.CPU_temp_celsius), [
      60.1,
      61.5,
      62,
    ]);
    assert.equal(readings[0]!.timestamp, "2024-05-01T10:00:00.000Z");
  });
});

Deno.test("readOldCsv() refuses rows without a time unless told the interval, in one note", async () => {
  await withFile("office-pc.csv", anOldCsv(oldPcRows(40, 60, 1)), async (path) => {
    const read = await readOldCsv(path);
    assert.deepEqual(read.sequences, []);
    assert.equal(read.rows, 0);
    assert.equal(read.refusedRows, 40);
    assert.deepEqual(read.refused, [], "not one refusal per row");
    assert.equal(read.notes.length, 1);
    assert.match(
      read.notes[0]!,
      /40 rows have no time \(no timestamp or loading_datetime; lines 2, 3, 4, \.\.\.\) and were refused/,
    );
    assert.match(read.notes[0]!, /pass --assume-interval S/);
  });
  await withFile("x.csv", anOldCsv(oldPcRows(2)), async (path) => {
    await assert.rejects(
      readOldCsv(path, { assumeIntervalS: 0 }),
      /'assumeIntervalS' must be in \(0, 3600\] s, got 0/,
    );
  });
});

Deno.test("readOldCsv() names a column whose decimal separator was lost once, not per row", async () => {
  // The old Pi export: 83,75 became 8375 and 0,8500 became 8500.
  const rows = Array.from({ length: 30 }, (_, i) => ({
    loading_datetime: `2024-05-01@10:00:${String(i).padStart(2, "0")}`,
    CPU_temp_celsius: 8375 + i,
    voltage_core_v: 8500,
    throttled: "0x0",
  }));
  rows.push({
    loading_datetime: "2024-05-01@10:00:45",
    CPU_temp_celsius: 61.5,
    voltage_core_v: 0.85,
    throttled: "0x0",
  });
  await withFile("garden-pi.csv", anOldCsv(rows), async (path) => {
    const read = await readOldCsv(path);
    assert.equal(read.rows, 1, "the good row is read");
    assert.equal(read.refusedRows, 30);
    assert.deepEqual(read.refused, []);
    assert.equal(read.notes.length, 2, "one note per column");
    assert.match(
      read.notes[0]!,
      /column CPU_temp_celsius: 30 rows refused \(lines 2, 3, 4, \.\.\.\) with values like 8375 where 83\.75 would be plausible: the export probably lost its decimal separator/,
    );
    assert.match(read.notes[1]!, /column voltage_core_v: 30 rows .* like 8500 where 0\.85 would/);
  });
});

Deno.test("readOldCsv() refuses a row that a decimal separator does not explain row by row", async () => {
  const text = anOldCsv([
    { loading_datetime: "2024-05-01@10:00:00", CPU_temp_celsius: 8375, throttled: "hot" },
  ]);
  await withFile("pi.csv", text, async (path) => {
    const read = await readOldCsv(path);
    assert.equal(read.notes.length, 0, "the bad throttled cell is wrong whatever the separator");
    assert.equal(read.refused.length, 1);
    assert.match(read.refused[0]!.error, /CPU_temp_celsius 8375 °C is above/);
  });
});

Deno.test("readOldCsv() says what is wrong with a header or a target", async () => {
  await withFile("x.csv", "just one column\n1\n", async (path) => {
    await assert.rejects(readOldCsv(path), /the header has no ';'-separated columns/);
  });
  await withFile(
    "y.csv",
    anOldCsv([{ TemperatureCPUPackage: 50, NoTechnicalInterventionRequired: 3 }]),
    async (path) => {
      const { refused } = await readOldCsv(path);
      assert.match(refused[0]!.error, /NoTechnicalInterventionRequired must be 0 or 1, got '3'/);
    },
  );
});

Deno.test("readJsonl() reads readings and refuses bad lines with their numbers", async () => {
  const good = aPcReading({ device: "pc1" });
  const text = [
    JSON.stringify(good),
    "{not json",
    JSON.stringify({ ...good, TemperatureCPUPackage: 900 }),
    "",
    JSON.stringify(later(good, 5)),
  ].join("\n");
  await withFile("r.jsonl", text, async (path) => {
    const { readings, refused } = await readJsonl(path);
    assert.equal(readings.length, 2);
    assert.deepEqual(refused.map((r) => r.line), [2, 3]);
    assert.match(refused[1]!.error, /TemperatureCPUPackage 900 °C is above the physical maximum/);
  });
});

Deno.test("toSequences() groups by device in time order, each uuid once", () => {
  const a = aPcReading({ device: "pc1" });
  const b = later(a, 5);
  const pi = aRaspberryReading({ device: "pi" });
  const sequences = toSequences([b, pi, a, b], { pc1: 85 });
  assert.deepEqual(sequences.map((s) => [s.device, s.readings.length]), [["pc1", 2], ["pi", 1]]);
  assert.equal(sequences[0]!.readings[0]!.uuid, a.uuid);
  assert.equal(sequences[0]!.hotLimitC, 85);
});

Deno.test("readStore() reads every device page by page and the owner's feedback", async () => {
  const first = aPcReading({ device: "pc1" });
  const readings = [first, ...Array.from({ length: 1200 }, (_, i) => later(first, (i + 1) * 5))];
  await using store = await aStoreWith([...readings, aRaspberryReading({ device: "pi" })]);
  await store.saveFeedback({
    alert_id: "a1",
    device: "pc1",
    timestamp: readings[10]!.timestamp,
    verdict: "wrong",
    given_at: "2026-02-01T00:00:00.000Z",
  });
  const data = await readStore(store);
  assert.equal(data.readings.length, 1202);
  assert.deepEqual(data.feedback, [{
    device: "pc1",
    time: Date.parse(readings[10]!.timestamp),
    right: false,
  }]);
});
