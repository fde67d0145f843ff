import assert from "node:assert/strict";
import { aPcReading, aRaspberryReading, later } from "./a_reading.ts";
import { aScored } from "./a_prediction.ts";
import { anAlert } from "./an_alert.ts";
import type { DeadLetter, Feedback } from "../shared/store/records.ts";
import { ALL_DEVICES } from "../shared/store/records.ts";
import { InvalidCursorError, MAX_ALERT_STATE_BYTES, type Store } from "../shared/store/store.ts";

/**
 * The behaviour every Store adapter must have. Each adapter's test calls this
 * with a factory that gives a fresh, empty store; the suite runs unchanged
 * against Deno KV, DynamoDB on dynalite and DynamoDB on moto_server.
 */
export function storeContract(
  name: string,
  open: () => Promise<Store>,
  options: {
    ignore?: boolean;
    /** False when the store talks to a server kept running across cases (its sockets stay open). */
    sanitize?: boolean;
  } = {},
) {
  const test = (title: string, fn: (store: Store) => Promise<void>) =>
    Deno.test({
      name: `${name}: ${title}`,
      ignore: options.ignore,
      sanitizeResources: options.sanitize ?? true,
      sanitizeOps: options.sanitize ?? true,
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
    assert.equal((await store.listDevices({ limit: 1000 })).items.length, 60);
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
    const devices = await store.listDevices({ limit: 10 });
    assert.deepEqual(devices.items.map((d) => d.device), ["pc1", "pi"]);
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
      recent_gaps_s: [5],
      muted_until: null,
      decommissioned_at: null,
    });
    assert.deepEqual(devices.items[0], summary);
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

  test("saveScored() keeps the newest gaps between readings, not those of late ones", async (store) => {
    const first = aPcReading({ device: "gaps", timestamp: "2026-01-31T12:00:00.000Z" });
    const times = [0, 5, 10, 16, 21, 26, 31, 36, 41, 46.5, 51.5];
    const readings = times.map((s) => later(first, s));
    await store.saveScored(readings.slice(0, 4).map((r) => aScored(r)));
    assert.deepEqual((await store.getDevice("gaps"))?.recent_gaps_s, [5, 5, 6]);
    await store.saveScored(readings.slice(4).map((r) => aScored(r)));
    // A reading from before the newest one (a late delivery) adds no gap.
    await store.saveScored([aScored(later(first, 3))]);
    const summary = await store.getDevice("gaps");
    assert.deepEqual(summary?.recent_gaps_s, [6, 5, 5, 5, 5, 5, 5.5, 5]);
    assert.equal(summary?.readings, 12);
    assert.equal(summary?.last_seen, readings.at(-1)!.timestamp);
  });

  test("listDevices() pages by name with a cursor and rejects bad pages", async (store) => {
    const names = ["delta", "alpha", "echo", "charlie", "bravo"];
    await store.saveScored(names.map((device) => aScored(aPcReading({ device }))));
    const first = await store.listDevices({ limit: 2 });
    assert.deepEqual(first.items.map((d) => d.device), ["alpha", "bravo"]);
    const second = await store.listDevices({ limit: 2, cursor: first.next_cursor! });
    assert.deepEqual(second.items.map((d) => d.device), ["charlie", "delta"]);
    const third = await store.listDevices({ limit: 2, cursor: second.next_cursor! });
    assert.deepEqual(third.items.map((d) => d.device), ["echo"]);
    assert.equal(third.next_cursor, null);
    assert.deepEqual(await store.listDevices({ limit: 5 }), {
      items: (await store.listDevices({ limit: 10 })).items,
      next_cursor: null,
    });
    await assert.rejects(store.listDevices({ limit: 1001 }), /'limit' must be an integer/);
    await assert.rejects(store.listDevices({ limit: 2, cursor: "%%%" }), InvalidCursorError);
  });

  test("setMute() and clearMute() hold back a device's alerts until a time", async (store) => {
    const reading = aPcReading({ device: "loud" });
    await store.saveScored([aScored(reading)]);
    const until = "2026-02-01T08:00:00.000Z";
    const muted = await store.setMute("loud", until);
    assert.equal(muted?.muted_until, until);
    assert.equal(muted?.readings, 1);
    // New readings keep the mute.
    await store.saveScored([aScored(later(reading, 5))]);
    assert.equal((await store.getDevice("loud"))?.muted_until, until);
    assert.equal((await store.getDevice("loud"))?.readings, 2);
    assert.equal((await store.listDevices({ limit: 5 })).items[0]?.muted_until, until);
    assert.equal((await store.clearMute("loud"))?.muted_until, null);
    assert.equal((await store.getDevice("loud"))?.muted_until, null);
    assert.equal((await store.listDevices({ limit: 5 })).items[0]?.muted_until, null);
    assert.equal(await store.setMute("nope", until), null);
    assert.equal(await store.clearMute("nope"), null);
    await assert.rejects(store.setMute("loud", "tomorrow"), RangeError);
  });

  test("decommissionDevice() retires a device until a newer reading brings it back", async (store) => {
    const reading = aPcReading({ device: "old-pc", timestamp: "2026-01-31T12:00:00.000Z" });
    await store.saveScored([aScored(reading)]);
    const at = "2026-01-31T13:00:00.000Z";
    const retired = await store.decommissionDevice("old-pc", at);
    assert.equal(retired?.decommissioned_at, at);
    assert.equal((await store.listDevices({ limit: 5 })).items[0]?.decommissioned_at, at);
    // Its data stays, and a late reading from before the decommissioning changes nothing.
    await store.saveScored([aScored(later(reading, 60))]);
    assert.equal((await store.getDevice("old-pc"))?.decommissioned_at, at);
    assert.equal((await store.listReadings("old-pc", { limit: 5 })).items.length, 2);
    // A reading taken after it: the device is back.
    await store.saveScored([aScored(later(reading, 7200))]);
    const back = await store.getDevice("old-pc");
    assert.equal(back?.decommissioned_at, null);
    assert.equal(back?.readings, 3);
    assert.equal((await store.listDevices({ limit: 5 })).items[0]?.decommissioned_at, null);
    assert.equal(await store.decommissionDevice("nope", at), null);
    await assert.rejects(store.decommissionDevice("old-pc", "now"), RangeError);
  });

  test("saveAlert() stores a pending alert once and getAlert() finds it", async (store) => {
    const saved = await store.saveAlert(anAlert("a1", "pc1", "2026-01-31T12:00:00.000Z"));
    assert.deepEqual(saved, {
      ...anAlert("a1", "pc1", "2026-01-31T12:00:00.000Z"),
      state: "pending",
      deliveries: [],
      attempts: 0,
      last_error: null,
    });
    assert.deepEqual(await store.getAlert("a1"), saved);
    const sent = await store.updateAlertDelivery("a1", { state: "sent" });
    // Raised again (a replay): the stored alert and its delivery state stay.
    const again = await store.saveAlert(
      anAlert("a1", "pc1", "2026-01-31T12:00:00.000Z", { message: "other" }),
    );
    assert.deepEqual(again, sent);
    assert.deepEqual(await store.getAlert("a1"), sent);
    assert.equal(await store.getAlert("nope"), null);
    const muted = await store.saveAlert(
      anAlert("m1", "pc1", "2026-01-31T12:01:00.000Z", { state: "muted" }),
    );
    assert.equal(muted.state, "muted");
    const offline = await store.saveAlert(anAlert("o1", "pc2", "2026-01-31T12:02:00.000Z", {
      kind: "offline",
      reading_uuid: null,
      probability: null,
      threshold: null,
      model: null,
      reasons: [],
      message: "pc2 is offline: no reading since 12:01",
    }));
    assert.deepEqual(await store.getAlert("o1"), offline);
  });

  test("listPendingAlerts() is the outbox: pending alerts, oldest first, until sent or failed", async (store) => {
    await store.saveAlert(anAlert("a3", "pc1", "2026-01-31T12:03:00.000Z"));
    await store.saveAlert(anAlert("a1", "pc1", "2026-01-31T12:01:00.000Z"));
    await store.saveAlert(anAlert("a2", "pc2", "2026-01-31T12:02:00.000Z"));
    await store.saveAlert(anAlert("m", "pc2", "2026-01-31T12:00:00.000Z", { state: "muted" }));
    const ids = async (limit = 10) =>
      (await store.listPendingAlerts({ limit })).map((alert) => alert.id);
    assert.deepEqual(await ids(), ["a1", "a2", "a3"]);
    assert.deepEqual(await ids(2), ["a1", "a2"]);
    // Sent to one of two chats: still pending.
    await store.updateAlertDelivery("a1", {
      delivery: { chat_id: 7, message_id: 70, sent_at: "2026-01-31T12:01:01.000Z" },
    });
    assert.deepEqual(await ids(), ["a1", "a2", "a3"]);
    assert.equal((await store.listPendingAlerts({ limit: 1 }))[0]?.deliveries.length, 1);
    await store.updateAlertDelivery("a1", { state: "sent" });
    await store.updateAlertDelivery("a3", { state: "failed", attempts: 5, last_error: "429" });
    assert.deepEqual(await ids(), ["a2"]);
    await assert.rejects(store.listPendingAlerts({ limit: 0 }), /'limit' must be an integer/);
  });

  test("updateAlertDelivery() records each chat's message, attempts and state", async (store) => {
    await store.saveAlert(anAlert("a1", "pc1", "2026-01-31T12:00:00.000Z"));
    const first = { chat_id: 7, message_id: 70, sent_at: "2026-01-31T12:00:01.000Z" };
    const group = { chat_id: -100123, message_id: 5, sent_at: "2026-01-31T12:00:02.000Z" };
    await store.updateAlertDelivery("a1", { attempts: 1, last_error: "timeout" });
    await store.updateAlertDelivery("a1", { delivery: first });
    await store.updateAlertDelivery("a1", { delivery: group });
    // The same chat again (a retried send): replaced, not added.
    const resent = { ...first, message_id: 71 };
    const done = await store.updateAlertDelivery("a1", {
      delivery: resent,
      state: "sent",
      last_error: null,
    });
    assert.deepEqual(done?.deliveries, [resent, group]);
    assert.equal(done?.attempts, 1);
    assert.equal(done?.last_error, null);
    assert.equal(done?.state, "sent");
    assert.deepEqual(await store.getAlert("a1"), done);
    assert.deepEqual((await store.listAlerts({ limit: 5 })).items, [done]);
    assert.deepEqual((await store.listAlerts({ limit: 5, device: "pc1" })).items, [done]);
    assert.equal(await store.updateAlertDelivery("nope", { state: "sent" }), null);
    await assert.rejects(
      store.updateAlertDelivery("a1", { attempts: -1 }),
      /'attempts' must be a whole number/,
    );
  });

  test("listAlerts() pages by time in either order with bounds and a cursor", async (store) => {
    for (let i = 0; i < 7; i++) {
      const at = new Date(Date.UTC(2026, 0, 31, 12, i)).toISOString();
      await store.saveAlert(anAlert(`a${i}`, i % 2 ? "odd" : "even", at));
    }
    const first = await store.listAlerts({ limit: 3 });
    assert.deepEqual(first.items.map((a) => a.id), ["a6", "a5", "a4"]);
    const second = await store.listAlerts({ limit: 3, cursor: first.next_cursor! });
    assert.deepEqual(second.items.map((a) => a.id), ["a3", "a2", "a1"]);
    const asc = await store.listAlerts({
      limit: 2,
      order: "asc",
      device: "even",
      after: Date.UTC(2026, 0, 31, 12, 0),
    });
    assert.deepEqual(asc.items.map((a) => a.id), ["a2", "a4"]);
    const ascNext = await store.listAlerts({
      limit: 2,
      order: "asc",
      device: "even",
      after: Date.UTC(2026, 0, 31, 12, 0),
      cursor: asc.next_cursor!,
    });
    assert.deepEqual(ascNext, { items: [(await store.getAlert("a6"))!], next_cursor: null });
    const bounded = await store.listAlerts({
      limit: 10,
      before: Date.UTC(2026, 0, 31, 12, 3),
      after: Date.UTC(2026, 0, 31, 12, 0),
    });
    assert.deepEqual(bounded.items.map((a) => a.id), ["a2", "a1"]);
  });

  test("getAlertStates() gives back what saveAlertStates() saved, by device", async (store) => {
    const states = new Map<string, unknown>([
      ["pc1", { lastAlertAt: 1_769_860_800_000, armed: false, episode: { opened: "a1" } }],
      ["pi", { lastAlertAt: null, armed: true }],
    ]);
    await store.saveAlertStates(states);
    assert.deepEqual(await store.getAlertStates(["pc1", "pi", "nope"]), states);
    await store.saveAlertStates(new Map([["pi", { lastAlertAt: 5, armed: false }]]));
    assert.deepEqual(
      await store.getAlertStates(["pi"]),
      new Map([["pi", { lastAlertAt: 5, armed: false }]]),
    );
    assert.deepEqual(await store.getAlertStates([]), new Map());
    // More devices than one batch of reads or writes holds.
    const many = new Map(Array.from({ length: 130 }, (_, i) => [`d${i}`, { n: i }]));
    await store.saveAlertStates(many);
    assert.deepEqual(await store.getAlertStates([...many.keys()]), many);
    await assert.rejects(
      store.saveAlertStates(new Map([["pc1", { big: "x".repeat(MAX_ALERT_STATE_BYTES) }]])),
      /alert state of 'pc1' is \d+ bytes of JSON, at most 4096 allowed/,
    );
    await assert.rejects(
      store.saveAlertStates(new Map([["pc1", { when: 1n }]])),
      /alert state of 'pc1' is not JSON/,
    );
  });

  test("saveChat() and getChat() keep paired chats", async (store) => {
    const chat = { chat_id: 42, paired_at: "2026-01-31T12:00:00.000Z", name: "Ann" };
    await store.saveChat(chat);
    assert.deepEqual(await store.getChat(42), chat);
    const renamed = { ...chat, name: null };
    await store.saveChat(renamed);
    assert.deepEqual(await store.getChat(42), renamed);
    assert.equal(await store.getChat(43), null);
    await assert.rejects(store.saveChat({ ...chat, chat_id: 1.5 }), RangeError);
  });

  test("subscribe() sends a device's alerts to a chat; every device with '*'", async (store) => {
    await store.subscribe(7, "pc1");
    await store.subscribe(7, "pc1");
    await store.subscribe(-100200, "pc1");
    await store.subscribe(9, ALL_DEVICES);
    await store.subscribe(7, "pi");
    assert.deepEqual(await store.listSubscribers("pc1"), [-100200, 7, 9]);
    assert.deepEqual(await store.listSubscribers("pi"), [7, 9]);
    assert.deepEqual(await store.listSubscribers("other"), [9]);
    assert.deepEqual(await store.listSubscriptions(7), ["pc1", "pi"]);
    assert.deepEqual(await store.listSubscriptions(9), [ALL_DEVICES]);
    await store.unsubscribe(7, "pc1");
    await store.unsubscribe(7, "never");
    assert.deepEqual(await store.listSubscribers("pc1"), [-100200, 9]);
    assert.deepEqual(await store.listSubscriptions(7), ["pi"]);
    assert.deepEqual(await store.listSubscriptions(8), []);
    await assert.rejects(store.subscribe(7, "bad name"), RangeError);
    await assert.rejects(store.subscribe(Number.NaN, "pc1"), RangeError);
  });

  test("listDeadLetters() pages oldest first with a cursor", async (store) => {
    const letter = (i: number): DeadLetter => ({
      id: `d${i}`,
      received_at: new Date(Date.UTC(2026, 0, 31, 12, 0, i)).toISOString(),
      topic: "pc1",
      partition: null,
      offset: null,
      key: null,
      error: "not JSON",
      value_base64: "",
    });
    for (let i = 0; i < 5; i++) await store.saveDeadLetter(letter(i));
    const first = await store.listDeadLetters({ limit: 3, order: "asc" });
    assert.deepEqual(first.items, [letter(0), letter(1), letter(2)]);
    const next = await store.listDeadLetters({
      limit: 3,
      order: "asc",
      cursor: first.next_cursor!,
    });
    assert.deepEqual(next, { items: [letter(3), letter(4)], next_cursor: null });
  });

  test("ping() answers while the store can be reached", async (store) => {
    await store.ping();
  });
}
