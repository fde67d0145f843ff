import assert from "node:assert/strict";
import { alertIdOf } from "../shared/alerts/alert_id.ts";
import type { Notifier } from "../shared/notifier/notifier.ts";
import { encodeReading, type Reading } from "../shared/reading/mod.ts";
import { createRuleScorer } from "../shared/scoring/rule_scorer.ts";
import type { Scorer } from "../shared/scoring/scorer.ts";
import { createKvStore } from "../shared/store/kv_store.ts";
import type { Alert } from "../shared/store/records.ts";
import type { Store } from "../shared/store/store.ts";
import type { IncomingMessage } from "../shared/transport/transport.ts";
import { aPcReading, aRaspberryReading, later } from "../testing/a_reading.ts";
import { createFakeClock, type FakeClock } from "../testing/fake_clock.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";
import { waitUntil } from "../testing/wait_until.ts";
import { createPipeline, type PipelineDeps } from "./create_pipeline.ts";
import { createStoreDeadLetterSink } from "./dead_letter_sink.ts";

const START = Date.parse("2026-01-31T12:00:00.000Z");
const at = (s: number) => new Date(START + s * 1000).toISOString();

async function setup(overrides: Partial<PipelineDeps> & { store?: Store; clock?: FakeClock } = {}) {
  const store = overrides.store ?? createKvStore({ kv: await Deno.openKv(":memory:") });
  const clock = overrides.clock ?? createFakeClock(START);
  const sent: Alert[] = [];
  const notifier: Notifier = { notify: (alert) => (sent.push(alert), Promise.resolve()) };
  const log = createMemoryLogger();
  const deps = {
    store,
    scorer: createRuleScorer(),
    notifier,
    deadLetters: createStoreDeadLetterSink(store),
    clock,
    log,
    ...overrides,
  };
  const pipeline = createPipeline(deps);
  const feed = async (...readings: Reading[]) => {
    const newest = Math.max(...readings.map((r) => Date.parse(r.timestamp)));
    if (newest > clock.now()) await clock.advance(newest - clock.now());
    return await pipeline.handleBatch({
      messages: readings.map(messageOf),
      heartbeat: () => Promise.resolve(),
    });
  };
  const alerts = async () => (await store.listAlerts({ limit: 100, order: "asc" })).items;
  return { store, clock, sent, log, pipeline, feed, alerts, deps };
}

let offset = 0;
function messageOf(reading: Reading): IncomingMessage {
  return {
    topic: reading.device,
    partition: 0,
    offset: String(offset++),
    key: reading.device,
    value: encodeReading(reading),
    timestamp: Date.parse(reading.timestamp),
  };
}

/** Moves the clock one watch interval at a time, letting each tick's work end before the next. */
async function ticks(clock: FakeClock, count: number, everyMs = 5_000) {
  for (let i = 0; i < count; i++) {
    await clock.advance(everyMs);
    await waitUntil(() => clock.pending > 0, { what: "the tick to end" });
  }
}

const pc = (s: number, temp: number, device = "pc1") =>
  aPcReading({ device, timestamp: at(s), TemperatureCPUPackage: temp });

Deno.test("a restarted pipeline keeps each device's alert state: no second alert within the cooldown", async (t) => {
  const first = await setup();
  await first.feed(pc(0, 89));
  assert.equal((await first.alerts()).length, 1);
  await t.step("the state was saved with the batch", async () => {
    const saved = await first.store.getAlertStates(["pc1"]);
    assert.equal((saved.get("pc1") as { armed: boolean }).armed, false);
  });
  await t.step("a new pipeline on the same store, 10 s later: still in the episode", async () => {
    const second = await setup({ store: first.store, clock: first.clock });
    await second.feed(pc(10, 89.5));
    assert.equal((await second.alerts()).length, 1, "no new alert 10 s after the last");
    await second.feed(pc(15, 60), pc(20, 60), pc(25, 60));
    assert.deepEqual((await second.alerts()).map((a) => a.kind), ["stress", "recovered"]);
  });
  await t.step("and another: the cooldown after that close still holds", async () => {
    const third = await setup({ store: first.store, clock: first.clock });
    await third.feed(pc(60, 89));
    assert.deepEqual((await third.alerts()).map((a) => a.kind), ["stress", "recovered"]);
    await third.feed(pc(15 * 60, 89));
    assert.deepEqual((await third.alerts()).map((a) => a.kind), [
      "stress",
      "recovered",
      "stress",
    ]);
  });
});

Deno.test("a stress episode ends with one recovered alert saying how long it lasted", async () => {
  const { feed, alerts, sent } = await setup();
  await feed(pc(0, 80), pc(5, 89));
  await feed(pc(10, 88), pc(15, 70), pc(20, 89));
  await feed(pc(25, 60), pc(30, 60), pc(35, 60), pc(40, 60));
  const kinds = (await alerts()).map((a) => a.kind);
  assert.deepEqual(kinds, ["stress", "recovered"]);
  const recovered = (await alerts())[1]!;
  assert.equal(recovered.id, alertIdOf(`pc1-recovered-${at(5)}`));
  assert.match(recovered.message, /^pc1: recovered after 20 s\n/);
  assert.deepEqual(sent.map((a) => a.kind), ["stress", "recovered"]);
});

Deno.test("ALERT_RESOLVED=false ends episodes without a word", async () => {
  const { feed, alerts } = await setup({ options: { alerts: { resolved: false } } });
  await feed(pc(0, 89), pc(5, 60), pc(10, 60), pc(15, 60));
  assert.deepEqual((await alerts()).map((a) => a.kind), ["stress"]);
});

Deno.test("under-voltage alerts at once with its own message, whatever the model says", async () => {
  const quiet: Scorer = {
    windowSize: 1,
    score: (inputs) =>
      Promise.resolve(inputs.map(() => ({ probability: 0.01, model: "quiet", reasons: [] }))),
  };
  const { feed, alerts, sent } = await setup({ scorer: quiet });
  const pi = aRaspberryReading({ device: "pi1", timestamp: at(0), throttled: "0x50005" });
  await feed(pi);
  const stored = await alerts();
  assert.deepEqual(stored.map((a) => a.kind), ["under_voltage"]);
  assert.equal(stored[0]!.id, alertIdOf(`pi1-under_voltage-${pi.uuid}`));
  assert.match(stored[0]!.message, /^pi1: power supply too weak: under-voltage now\n/);
  assert.equal(sent.length, 1);
  await feed(later(pi, 60));
  assert.equal((await alerts()).length, 1, "its own cooldown: one per hour");
});

Deno.test("a muted device's alerts are stored as muted and not sent", async () => {
  const { feed, alerts, sent, store, pipeline } = await setup();
  await feed(pc(0, 50));
  await store.setMute("pc1", at(3600));
  await feed(pc(5, 89));
  const stored = await alerts();
  assert.deepEqual(stored.map((a) => [a.kind, a.state]), [["stress", "muted"]]);
  assert.deepEqual(sent, []);
  assert.deepEqual(await store.listPendingAlerts({ limit: 10 }), []);
  assert.equal(pipeline.stats().alerts_muted, 1);
  await store.clearMute("pc1");
  await feed(pc(10, 60), pc(15, 60), pc(20, 60));
  assert.deepEqual((await alerts()).map((a) => [a.kind, a.state]), [
    ["stress", "muted"],
    ["recovered", "pending"],
  ]);
});

Deno.test("a silent device is reported offline once; its next reading brings it back online", async (t) => {
  const { feed, alerts, clock, pipeline, store, sent } = await setup();
  // Two devices sending every 5 s; pc2 is decommissioned by its owner.
  for (let s = 0; s <= 20; s += 5) await feed(pc(s, 50), pc(s, 50, "pc2"));
  await store.decommissionDevice("pc2", at(21));
  await pipeline.start();
  try {
    await t.step("15 s of silence is 3 intervals: not yet; then offline, once", async () => {
      await ticks(clock, 2); // 30 s: 10 s after the last reading
      assert.deepEqual(await alerts(), []);
      await ticks(clock, 1); // 15 s after it
      assert.deepEqual(await alerts(), []);
      await ticks(clock, 1); // 20 s
      const [offline] = await alerts();
      assert.equal(offline?.kind, "offline");
      assert.equal(offline?.device, "pc1");
      assert.equal(offline?.id, alertIdOf(`pc1-offline-${at(20)}`));
      assert.equal(offline?.timestamp, at(20));
      assert.match(offline!.message, /^pc1: offline, no reading for 20 s\n/);
      assert.match(offline!.message, /every 5 s/);
      await ticks(clock, 6);
      assert.equal((await alerts()).length, 1, "once, and never for the decommissioned pc2");
    });
    await t.step("the next reading: back online after how long", async () => {
      await feed(pc(Math.round((clock.now() - START) / 1000), 50));
      const back = (await alerts()).at(-1)!;
      assert.equal(back.kind, "online");
      assert.equal(back.id, alertIdOf(`pc1-online-${at(20)}`));
      assert.match(back.message, /^pc1: back online after 50 s\n/);
      assert.deepEqual(sent.map((a) => a.kind), ["offline", "online"]);
    });
  } finally {
    await pipeline.stop();
  }
});

Deno.test("a restarted consumer watches the devices it finds in the store", async () => {
  const first = await setup();
  await first.feed(pc(0, 50), pc(5, 50), pc(10, 50));
  const second = await setup({ store: first.store, clock: first.clock });
  await second.pipeline.start();
  try {
    await ticks(second.clock, 4);
    assert.deepEqual((await second.alerts()).map((a) => [a.kind, a.device]), [["offline", "pc1"]]);
  } finally {
    await second.pipeline.stop();
  }
  const third = await setup({ store: first.store, clock: first.clock });
  await third.pipeline.start();
  try {
    await ticks(third.clock, 2);
    assert.equal((await third.alerts()).length, 1, "reported once across restarts");
  } finally {
    await third.pipeline.stop();
  }
});

Deno.test("OFFLINE_AFTER_S overrides the device's own rhythm", async () => {
  const { feed, alerts, clock, pipeline } = await setup({ options: { offlineAfterS: 60 } });
  await feed(pc(0, 50), pc(5, 50));
  await pipeline.start();
  try {
    await ticks(clock, 11); // 55 s after the last reading
    assert.deepEqual(await alerts(), []);
    await ticks(clock, 2);
    assert.deepEqual((await alerts()).map((a) => a.kind), ["offline"]);
  } finally {
    await pipeline.stop();
  }
});

Deno.test("a reading older than the pipeline's memory is scored from the store's readings before it", async () => {
  const windows: number[][] = [];
  const scorer: Scorer = {
    windowSize: 3,
    score: (inputs) => {
      windows.push(...inputs.map((i) => i.window.map((r) => Date.parse(r.timestamp) - START)));
      return Promise.resolve(inputs.map(() => ({ probability: 0.1, model: "m", reasons: [] })));
    },
  };
  const { feed, pipeline, store } = await setup({ scorer });
  const readings = Array.from({ length: 12 }, (_, i) => pc(i * 10, 50));
  await feed(...readings);
  await feed(pc(120, 50)); // memory keeps the newest 6: from 70 s on
  windows.length = 0;
  const late = pc(35, 50);
  const result = await feed(late);
  assert.equal(result.stored, 1);
  assert.deepEqual(windows, [[20_000, 30_000, 35_000]], "its own window, from the store");
  assert.equal(pipeline.stats().late, 1);
  assert.equal((await store.getDevice("pc1"))?.readings, 14);
});

Deno.test("a batch that fails to store its alerts is redelivered and alerts then", async () => {
  const kv = createKvStore({ kv: await Deno.openKv(":memory:") });
  let failures = 1;
  const flaky: Store = {
    ...kv,
    saveAlert: (alert) =>
      failures-- > 0 ? Promise.reject(new Error("store away")) : kv.saveAlert(alert),
  };
  const { feed, alerts, sent } = await setup({ store: flaky });
  const hot = pc(0, 89);
  await assert.rejects(feed(hot), /store away/);
  assert.deepEqual(await alerts(), []);
  await feed(hot); // Kafka delivers the batch again
  assert.deepEqual((await alerts()).map((a) => a.reading_uuid), [hot.uuid]);
  assert.equal(sent.length, 1);
});

Deno.test("a redelivered reading gives the same alert id, and the store keeps one alert", async () => {
  const first = await setup();
  const hot = pc(0, 89);
  await first.feed(hot);
  // A consumer that crashed after storing the alert but before saving its state.
  await first.store.saveAlertStates(new Map([["pc1", { lastAlertAt: null, armed: true }]]));
  const second = await setup({ store: first.store, clock: first.clock });
  await second.feed(hot);
  const stored = await second.alerts();
  assert.equal(stored.length, 1);
  assert.equal(stored[0]!.id, alertIdOf(`pc1-${hot.uuid}`));
});
