import assert from "node:assert/strict";
import { aPcReading, aRaspberryReading, later } from "../a_reading.ts";
import { aScored } from "../a_prediction.ts";
import { InvalidCursorError } from "../../shared/store/store.ts";
import type { StoreCase } from "./store_case.ts";

/** The store contract for readings: saved once per uuid, rescored, listed by time. */
export function readingsContract(test: StoreCase): void {
  test("saveScored() stores a reading once however often it is delivered", async (store) => {
    const first = aPcReading({ device: "pc1" });
    const second = later(first, 5);
    assert.deepEqual(await store.saveScored([aScored(first), aScored(second), aScored(first)]), {
      stored: 2,
      duplicates: 1,
      storedUuids: [first.uuid, second.uuid],
    });
    assert.deepEqual(await store.saveScored([aScored(second)]), {
      stored: 0,
      duplicates: 1,
      storedUuids: [],
    });
    const page = await store.listReadings("pc1", { limit: 10 });
    assert.deepEqual(page.items, [second, first]);
    assert.equal((await store.getDevice("pc1"))?.readings, 2);
  });

  test("saveScored() stores only the new readings of a batch that repeats some", async (store) => {
    const first = aPcReading({ device: "pc1" });
    const old = [first, later(first, 5), later(first, 10)];
    await store.saveScored(old.map((r) => aScored(r)));
    const fresh = [later(first, 15), later(first, 20)];
    // A redelivered batch: stored readings with new ones between them.
    const mixed = [old[0]!, fresh[0]!, old[1]!, old[2]!, fresh[1]!];
    assert.deepEqual(await store.saveScored(mixed.map((r) => aScored(r))), {
      stored: 2,
      duplicates: 3,
      storedUuids: fresh.map((r) => r.uuid),
    });
    assert.equal((await store.getDevice("pc1"))?.readings, 5);
    assert.equal((await store.listReadings("pc1", { limit: 10 })).items.length, 5);
  });

  test("saveScored() stores large batches of many devices", async (store) => {
    const items = Array.from({ length: 450 }, (_, i) =>
      aScored(aPcReading({
        device: `dev${i % 60}`,
        timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      })));
    const saved = await store.saveScored(items);
    assert.equal(saved.stored, 450);
    assert.equal(saved.duplicates, 0);
    assert.equal(new Set(saved.storedUuids).size, 450);
    assert.equal((await store.listDevices({ limit: 1000 })).items.length, 60);
    assert.equal((await store.getDevice("dev7"))?.readings, 8);
  });

  test("getStatus() keeps the newest reading when an older one arrives late", async (store) => {
    const old = aPcReading({ device: "pc2", timestamp: "2026-01-31T12:00:00.000Z" });
    const newer = later(old, 10);
    await store.saveScored([aScored(newer, { probability: 0.7 })]);
    await store.saveScored([aScored(old, { probability: 0.2 })]);
    const status = await store.getStatus("pc2");
    assert.equal(status?.reading.uuid, newer.uuid);
    assert.equal(status?.prediction.probability, 0.7);
    assert.equal((await store.getDevice("pc2"))?.first_seen, old.timestamp);
    assert.equal(await store.getStatus("nope"), null);
  });

  test("replacePredictions() rescores stored readings only, and the summary's latest follows", async (store) => {
    const old = aPcReading({ device: "pc4", timestamp: "2026-01-31T12:00:00.000Z" });
    const newer = later(old, 5);
    const other = aRaspberryReading({ device: "pi4" });
    await store.saveScored([aScored(old), aScored(newer, { probability: 0.2 }), aScored(other)]);
    const never = later(old, 10);
    const replaced = await store.replacePredictions([
      aScored(old, { probability: 0.3 }),
      aScored(newer, { probability: 0.9, stressed_soon: true, model: "pc@abc" }),
      aScored(never, { probability: 0.5 }),
    ]);
    assert.equal(replaced, 2, "the reading never stored is skipped");
    const status = await store.getStatus("pc4");
    assert.equal(status?.reading.uuid, newer.uuid);
    assert.equal(status?.prediction.probability, 0.9);
    assert.equal(status?.prediction.model, "pc@abc");
    const summary = await store.getDevice("pc4");
    assert.equal(summary?.latest?.probability, 0.9);
    assert.equal(summary?.latest?.stressed_soon, true);
    assert.equal(summary?.readings, 2, "no count changes");
    assert.equal(summary?.last_seen, newer.timestamp, "the skipped reading is not created");
    assert.equal((await store.listReadings("pc4", { limit: 10 })).items.length, 2);
    await store.replacePredictions([aScored(old, { probability: 0.4 })]);
    assert.equal(
      (await store.getDevice("pc4"))?.latest?.probability,
      0.9,
      "an older one leaves latest",
    );
    assert.equal(await store.replacePredictions([]), 0);
    assert.equal((await store.getStatus("pi4"))?.prediction.probability, 0.1, "others untouched");
  });

  test("listReadings() pages newest first with before/after bounds and a cursor", async (t) => {
    const start = aPcReading({ device: "pc3", timestamp: "2026-01-31T12:00:00.000Z" });
    const readings = [start, ...Array.from({ length: 9 }, (_, i) => later(start, (i + 1) * 5))];
    await t.saveScored(readings.map((r) => aScored(r)));
    const first = await t.listReadings("pc3", { limit: 4 });
    assert.deepEqual(
      first.items.map((r) => r.uuid),
      readings.slice(6).reverse().map((r) => r.uuid),
    );
    assert.ok(first.next_cursor);
    const second = await t.listReadings("pc3", { limit: 4, cursor: first.next_cursor });
    assert.deepEqual(
      second.items.map((r) => r.uuid),
      readings.slice(2, 6).reverse().map((r) => r.uuid),
    );
    const third = await t.listReadings("pc3", { limit: 4, cursor: second.next_cursor! });
    assert.equal(third.items.length, 2);
    assert.equal(third.next_cursor, null);

    const bounded = await t.listReadings("pc3", {
      limit: 100,
      after: Date.parse(readings[2]!.timestamp),
      before: Date.parse(readings[5]!.timestamp),
    });
    assert.deepEqual(bounded.items.map((r) => r.uuid), [readings[4]!.uuid, readings[3]!.uuid]);

    const ascending = await t.listReadings("pc3", { limit: 3, order: "asc" });
    assert.deepEqual(ascending.items.map((r) => r.uuid), readings.slice(0, 3).map((r) => r.uuid));
    const ascNext = await t.listReadings("pc3", {
      limit: 3,
      order: "asc",
      cursor: ascending.next_cursor!,
    });
    assert.deepEqual(ascNext.items.map((r) => r.uuid), readings.slice(3, 6).map((r) => r.uuid));
    assert.deepEqual((await t.listReadings("other", { limit: 5 })).items, []);
  });

  test("listScored() pages like listReadings(), each reading with its prediction", async (store) => {
    const start = aPcReading({ device: "pc5", timestamp: "2026-01-31T12:00:00.000Z" });
    const scored = [
      aScored(start, { probability: 0.1 }),
      aScored(later(start, 5), { probability: 0.9 }),
    ];
    await store.saveScored(scored);
    const first = await store.listScored("pc5", { limit: 1 });
    assert.deepEqual(first.items, [scored[1]]);
    const next = await store.listScored("pc5", { limit: 1, cursor: first.next_cursor! });
    assert.deepEqual(next, { items: [scored[0]], next_cursor: null });
    assert.deepEqual((await store.listScored("pc5", { limit: 5, order: "asc" })).items, scored);
    assert.deepEqual((await store.listScored("other", { limit: 5 })).items, []);
  });

  test("listReadings() gives an empty page when after is at or past before", async (store) => {
    const reading = aPcReading({ device: "pc4", timestamp: "2026-01-31T12:00:00.000Z" });
    await store.saveScored([aScored(reading)]);
    const time = Date.parse(reading.timestamp);
    for (const [after, before] of [[time, time], [time + 1000, time - 1000]]) {
      assert.deepEqual(await store.listReadings("pc4", { limit: 5, after, before }), {
        items: [],
        next_cursor: null,
      });
    }
  });

  test("listReadings() rejects a bad limit and a forged cursor", async (store) => {
    await assert.rejects(
      store.listReadings("pc1", { limit: 0 }),
      /'limit' must be an integer from 1 to 1000/,
    );
    await assert.rejects(
      store.listReadings("pc1", { limit: 5, cursor: "garbage!" }),
      InvalidCursorError,
    );
  });

  test("saveScored() stores batches of more devices than one request or commit holds", async (store) => {
    const start = Date.UTC(2026, 0, 1);
    // 250 devices, two readings each, interleaved as Kafka batches mix them.
    const items = Array.from({ length: 500 }, (_, i) =>
      aScored(aPcReading({
        device: `many${String(i % 250).padStart(3, "0")}`,
        timestamp: new Date(start + Math.floor(i / 250) * 5000 + (i % 250)).toISOString(),
      })));
    const saved = await store.saveScored(items);
    assert.equal(saved.stored, 500);
    assert.deepEqual(saved.storedUuids, items.map((item) => item.reading.uuid));
    assert.deepEqual(await store.saveScored(items.slice(100, 400)), {
      stored: 0,
      duplicates: 300,
      storedUuids: [],
    });
    const summary = await store.getDevice("many123");
    assert.equal(summary?.readings, 2);
    assert.deepEqual(summary?.recent_gaps_s, [5]);
    let cursor: string | undefined;
    const names: string[] = [];
    do {
      const page = await store.listDevices({ limit: 100, cursor });
      names.push(...page.items.map((d) => d.device));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    assert.equal(names.length, 250);
    assert.equal(new Set(names).size, 250);
  });

  test("saveScored() stores a large batch of readings with the longest names and uuids", async (store) => {
    const long = (i: number) => `${"d".repeat(62)}${String(i).padStart(2, "0")}`;
    const items = Array.from({ length: 600 }, (_, i) =>
      aScored(aPcReading({
        device: long(i % 5),
        uuid: `${"u".repeat(58)}${String(i).padStart(6, "0")}`,
        timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      })));
    assert.equal((await store.saveScored(items)).stored, 600);
    assert.equal((await store.getDevice(long(3)))?.readings, 120);
  });
}
