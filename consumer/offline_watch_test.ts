import assert from "node:assert/strict";
import type { Reading } from "../shared/reading/mod.ts";
import { createKvStore } from "../shared/store/kv_store.ts";
import type { Alert } from "../shared/store/records.ts";
import type { Store } from "../shared/store/store.ts";
import { aScored } from "../testing/a_prediction.ts";
import { aPcReading, aRaspberryReading, later } from "../testing/a_reading.ts";
import { createFakeClock } from "../testing/fake_clock.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";
import { waitUntil } from "../testing/wait_until.ts";
import { createAlertDesk } from "./alert_desk.ts";
import { createOfflineWatch, type OfflineWatchOptions } from "./offline_watch.ts";

const START = Date.parse("2026-01-31T12:00:00.000Z");

async function setup(options: Partial<OfflineWatchOptions> = {}, wrap = (s: Store) => s) {
  const kv = createKvStore({ kv: await Deno.openKv(":memory:") });
  const reads: string[] = [];
  const store = wrap({
    ...kv,
    getDevice: (device) => (reads.push(device), kv.getDevice(device)),
  });
  const clock = createFakeClock(START);
  const log = createMemoryLogger();
  const sent: Alert[] = [];
  const desk = createAlertDesk({
    store,
    clock,
    log,
    notifier: { notify: (alert) => (sent.push(alert), Promise.resolve()) },
  });
  const watch = createOfflineWatch({ store, clock, log, desk, options });
  /** Stores readings and tells the watch, as the pipeline does. */
  const stored = async (...readings: Reading[]) => {
    const items = readings.map((r) => aScored(r));
    await store.saveScored(items);
    watch.note(items);
  };
  const alerts = async () => (await kv.listAlerts({ limit: 100, order: "asc" })).items;
  return { store: kv, clock, log, desk, watch, sent, stored, alerts, reads };
}

/** A device sending every `everyS` seconds, `count` readings ending at START. */
function rhythm(device: string, everyS: number, count: number): Reading[] {
  const first = aRaspberryReading({
    device,
    timestamp: new Date(START - (count - 1) * everyS * 1000).toISOString(),
  });
  return Array.from({ length: count }, (_, i) => i === 0 ? first : later(first, i * everyS));
}

Deno.test("createOfflineWatch() reports a device silent for 3 of its own intervals, once", async () => {
  const { clock, watch, stored, alerts, sent, desk } = await setup();
  await stored(...rhythm("fast", 5, 4), ...rhythm("slow", 30, 4));
  await clock.advance(15_000);
  assert.equal(await watch.check(), 0, "15 s is not more than 3 × 5 s");
  await clock.advance(1_000);
  assert.equal(await watch.check(), 1);
  const [offline] = await alerts();
  assert.equal(offline?.device, "fast");
  assert.equal(offline?.profile, "raspberry");
  assert.equal(offline?.state, "pending");
  assert.deepEqual(sent.map((a) => a.id), [offline!.id]);
  assert.deepEqual(desk.state("fast").offline, { lastSeen: START });
  await clock.advance(80_000);
  assert.equal(await watch.check(), 1, "the slow one after 90 s; the fast one not again");
  assert.deepEqual((await alerts()).map((a) => a.device), ["fast", "slow"]);
});

Deno.test("createOfflineWatch() never reports a decommissioned device, and a muted one's alert is muted", async () => {
  const { clock, watch, stored, alerts, sent, store } = await setup();
  await stored(...rhythm("retired", 5, 3), ...rhythm("quiet", 5, 3));
  await store.decommissionDevice("retired", new Date(START).toISOString());
  await store.setMute("quiet", new Date(START + 3_600_000).toISOString());
  await clock.advance(60_000);
  assert.equal(await watch.check(), 1);
  assert.deepEqual((await alerts()).map((a) => [a.device, a.state]), [["quiet", "muted"]]);
  assert.deepEqual(sent, []);
});

Deno.test("createOfflineWatch() asks the store before it reports, once per silence", async () => {
  const { clock, watch, stored, alerts, store, reads } = await setup();
  await stored(...rhythm("pc", 5, 3));
  // Another consumer stores pc's newer readings: this one's memory does not see them.
  await store.saveScored([
    aScored(aPcReading({ device: "pc", timestamp: new Date(START + 20_000).toISOString() })),
  ]);
  await clock.advance(30_000);
  assert.equal(await watch.check(), 0);
  assert.deepEqual(reads, ["pc"]);
  assert.equal(await watch.check(), 0);
  assert.deepEqual(reads, ["pc"], "its memory took the store's summary: no second read");
  await clock.advance(10_000);
  assert.equal(await watch.check(), 1);
  assert.equal((await alerts())[0]?.timestamp, new Date(START + 20_000).toISOString());
  await clock.advance(60_000);
  assert.equal(await watch.check(), 0);
  assert.deepEqual(reads, ["pc", "pc"], "a device reported offline is not read again");
});

Deno.test("OFFLINE_AFTER_S overrides every device's own rhythm", async () => {
  const { clock, watch, stored } = await setup({ offlineAfterS: 120 });
  await stored(...rhythm("pi", 5, 3));
  await clock.advance(120_000);
  assert.equal(await watch.check(), 0);
  await clock.advance(1_000);
  assert.equal(await watch.check(), 1);
});

Deno.test("createOfflineWatch() starts from the store's device list and looks on its own clock until stopped", async () => {
  const first = await setup();
  await first.stored(...rhythm("a", 5, 3), ...rhythm("b", 5, 3));
  const log = createMemoryLogger();
  const watch = createOfflineWatch({
    store: first.store,
    clock: first.clock,
    log,
    desk: first.desk,
    options: { checkEveryMs: 5_000 },
  });
  await watch.start();
  try {
    assert.equal(watch.size, 2);
    assert.ok(log.lines.some((l) => /watching devices for silence devices=2/.test(l)));
    await assert.rejects(watch.start(), /it is running/);
    for (let i = 0; i < 4; i++) {
      await first.clock.advance(5_000);
      await waitUntil(() => first.clock.pending > 0, { what: "the tick to end" });
    }
    assert.deepEqual((await first.alerts()).map((a) => a.device).sort(), ["a", "b"]);
  } finally {
    await watch.stop();
  }
  assert.equal(first.clock.pending, 0, "no timer left");
});

Deno.test("createOfflineWatch() logs a look that fails and looks again at the next tick", async () => {
  let failing = true;
  const { clock, watch, stored, log, alerts } = await setup({ checkEveryMs: 5_000 }, (store) => ({
    ...store,
    saveAlert: (alert) =>
      failing ? Promise.reject(new Error("store away")) : store.saveAlert(alert),
  }));
  await stored(...rhythm("pi", 5, 3));
  await watch.start();
  try {
    for (let i = 0; i < 4; i++) {
      await clock.advance(5_000);
      await waitUntil(() => clock.pending > 0, { what: "the tick to end" });
    }
    assert.ok(
      log.lines.some((l) => /offline check failed.*store away/.test(l)),
      log.lines.join("\n"),
    );
    failing = false;
    await clock.advance(5_000);
    await waitUntil(() => clock.pending > 0, { what: "the tick to end" });
    assert.equal((await alerts()).length, 1);
  } finally {
    await watch.stop();
  }
});

Deno.test("createOfflineWatch() checks its options", async () => {
  const { store, clock, log, desk } = await setup();
  assert.throws(
    () => createOfflineWatch({ store, clock, log, desk, options: { offlineAfterS: 0 } }),
    /'offlineAfterS' must be a positive number, got 0/,
  );
  assert.throws(
    () => createOfflineWatch({ store, clock, log, desk, options: { checkEveryMs: 10 } }),
    /'checkEveryMs' must be at least 100, got 10/,
  );
});
