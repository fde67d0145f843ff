import assert from "node:assert/strict";
import { aPcReading, aRaspberryReading, later } from "../../testing/a_reading.ts";
import { aScored } from "../../testing/a_prediction.ts";
import { anAlert } from "../../testing/an_alert.ts";
import type { DeadLetter, Feedback } from "./records.ts";
import { InvalidCursorError, type Store } from "./store.ts";

/**
 * The behaviour every Store adapter must have. Each adapter's test calls this
 * with a factory that gives a fresh, empty store.
 */
export function storeContract(
  name: string,
  open: () => Promise<Store>,
  options: { ignore?: boolean } = {},
) {
  const test = (title: string, fn: (store: Store) => Promise<void>) =>
    Deno.test({
      name: `${name}: ${title}`,
      ignore: options.ignore,
      fn: async () => {
        const store = await open();
        try {
          await fn(store);
        } finally {
          await store.close();
        }
      },
    });

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
    assert.equal((await store.listDevices()).length, 60);
    assert.equal((await store.getDevice("dev7"))?.readings, 8);
  });

  test("listDevices() and getDevice() summarise each device", async (store) => {
    const pc = aPcReading({ device: "pc1", timestamp: "2026-01-31T12:00:00.000Z" });
    const newer = later(pc, 5);
    const pi = aRaspberryReading({ device: "pi", simulated: true });
    await store.saveScored([
      aScored(newer, { probability: 0.8, stressed_soon: true }),
      aScored(pc),
      aScored(pi),
    ]);
    const devices = await store.listDevices();
    assert.deepEqual(devices.map((d) => d.device).sort(), ["pc1", "pi"]);
    const summary = await store.getDevice("pc1");
    assert.deepEqual(summary, {
      device: "pc1",
      profile: "pc",
      first_seen: pc.timestamp,
      last_seen: newer.timestamp,
      readings: 2,
      latest: {
        timestamp: newer.timestamp,
        probability: 0.8,
        stressed_soon: true,
        stressed_now: false,
        model: "rule/v1",
      },
    });
    assert.equal((await store.getDevice("pi"))?.simulated, true);
    assert.equal(await store.getDevice("nope"), null);
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

  test("saveAlert() and listAlerts() by time and by device", async (store) => {
    await store.saveAlert(anAlert("a1", "pc1", "2026-01-31T12:00:00.000Z"));
    await store.saveAlert(anAlert("a2", "pc2", "2026-01-31T12:01:00.000Z"));
    await store.saveAlert(anAlert("a3", "pc1", "2026-01-31T12:02:00.000Z"));
    assert.deepEqual((await store.listAlerts({ limit: 10 })).items.map((a) => a.id), [
      "a3",
      "a2",
      "a1",
    ]);
    assert.deepEqual(
      (await store.listAlerts({ limit: 10, device: "pc1" })).items.map((a) => a.id),
      ["a3", "a1"],
    );
  });

  test("saveDeadLetter() keeps the original bytes and the error", async (store) => {
    const letter: DeadLetter = {
      id: "d1",
      received_at: "2026-01-31T12:00:00.000Z",
      topic: "pc1",
      partition: 0,
      offset: "17",
      key: "pc1",
      error: "Invalid reading: message is not JSON",
      value_base64: btoa("{nope"),
    };
    await store.saveDeadLetter(letter);
    assert.deepEqual((await store.listDeadLetters({ limit: 5 })).items, [letter]);
  });

  test("saveFeedback() keeps one verdict per alert and listFeedback() finds it by time and device", async (store) => {
    const feedback = (
      alert_id: string,
      device: string,
      timestamp: string,
      verdict: Feedback["verdict"],
    ) => ({
      alert_id,
      device,
      timestamp,
      verdict,
      given_at: "2026-01-31T13:00:00.000Z",
    });
    await store.saveFeedback(feedback("a1", "pc1", "2026-01-31T12:00:00.000Z", "right"));
    await store.saveFeedback(feedback("a2", "pi", "2026-01-31T12:01:00.000Z", "wrong"));
    await store.saveFeedback(feedback("a3", "pc1", "2026-01-31T12:02:00.000Z", "wrong"));
    // The owner changes their mind about a3.
    await store.saveFeedback(feedback("a3", "pc1", "2026-01-31T12:02:00.000Z", "right"));
    const all = await store.listFeedback({ limit: 10, order: "asc" });
    assert.deepEqual(all.items.map((f) => [f.alert_id, f.verdict]), [
      ["a1", "right"],
      ["a2", "wrong"],
      ["a3", "right"],
    ]);
    const mine = await store.listFeedback({ limit: 1, device: "pc1" });
    assert.deepEqual(mine.items.map((f) => f.alert_id), ["a3"]);
    const next = await store.listFeedback({ limit: 1, device: "pc1", cursor: mine.next_cursor! });
    assert.deepEqual(next.items.map((f) => f.alert_id), ["a1"]);
    assert.deepEqual((await store.listFeedback({ limit: 5, device: "nope" })).items, []);
  });
}
