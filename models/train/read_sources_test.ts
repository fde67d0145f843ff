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

Deno.test("readOldCsv() reads a PC export: decimal commas, target as the stressed label, rows 5 s apart", async () => {
  await withFile("office-pc.csv", anOldCsv(oldPcRows(40, 60, 1)), async (path) => {
    const { sequences, refused, rows } = await readOldCsv(path);
    assert.deepEqual(refused, []);
    assert.equal(rows, 40);
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
      CPU_temp_celsius: 837,
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
    assert.match(refused[0]!.error, /CPU_temp_celsius 837 °C is above the physical maximum 150 °C/);
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
