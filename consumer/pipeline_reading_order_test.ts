import assert from "node:assert/strict";
import { silentLogger } from "../shared/log.ts";
import { createFolderModelRegistry } from "../shared/models/folder_model_registry.ts";
import { encodeReading, type Reading } from "../shared/reading/mod.ts";
import { RULE_MODEL } from "../shared/scoring/rule_scorer.ts";
import { createKvStore } from "../shared/store/kv_store.ts";
import type { Alert } from "../shared/store/records.ts";
import type { IncomingMessage } from "../shared/transport/transport.ts";
import { aFleetStream } from "../testing/a_fleet_stream.ts";
import { createFakeClock } from "../testing/fake_clock.ts";
import { recordingPredictions } from "../testing/recording_store.ts";
import { waitUntil } from "../testing/wait_until.ts";
import { createPipeline } from "./create_pipeline.ts";
import { createStoreDeadLetterSink } from "./dead_letter_sink.ts";
import { createModelScorer } from "./model_scorer.ts";

/**
 * Windows and decisions by reading time: the same readings delivered in
 * order and shuffled across partitions, as kafkajs hands them over, give the
 * same scores and the same alerts.
 */

const MODELS_DIR = new URL("../models/trained", import.meta.url).pathname;

/** A seeded PRNG, so a failure can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Delivery = IncomingMessage[][];

/**
 * kafkajs's way with a topic of 3 partitions whose producers key each
 * message with a fresh uuid: every reading lands on a random partition; each
 * fetch brings what arrived meanwhile (1 to 8 readings of the fleet's stream)
 * and hands it over one partition's batch at a time, in any order of the
 * partitions. So a device's readings arrive out of order, in batches that
 * interleave.
 */
function shuffledAcrossPartitions(readings: readonly Reading[], seed: number): Delivery {
  const random = prng(seed);
  const batches: Delivery = [];
  let offset = 0;
  for (let i = 0; i < readings.length;) {
    const fetched = readings.slice(i, i + 1 + Math.floor(random() * 8));
    i += fetched.length;
    const byPartition = new Map<number, IncomingMessage[]>();
    for (const reading of fetched) {
      const partition = Math.floor(random() * 3);
      const messages = byPartition.get(partition) ?? [];
      messages.push(messageOf(reading, partition, offset++));
      byPartition.set(partition, messages);
    }
    const partitions = [...byPartition.keys()].sort(() => random() - 0.5);
    for (const partition of partitions) batches.push(byPartition.get(partition)!);
  }
  return batches;
}

/** This project's producers: keyed by device, so each device's readings come in order. */
function inOrder(readings: readonly Reading[]): Delivery {
  const batches: Delivery = [];
  for (let i = 0; i < readings.length; i += 5) {
    batches.push(readings.slice(i, i + 5).map((r, j) => messageOf(r, 0, i + j)));
  }
  return batches;
}

function messageOf(reading: Reading, partition: number, offset: number): IncomingMessage {
  return {
    topic: "readings",
    partition,
    offset: String(offset),
    key: reading.device,
    value: encodeReading(reading),
    timestamp: Date.parse(reading.timestamp),
  };
}

/** Runs a delivery through a pipeline scoring with the shipped models; the clock follows the readings. */
async function consume(delivery: Delivery) {
  const kv = createKvStore({ kv: await Deno.openKv(":memory:") });
  const { store, predictions } = recordingPredictions(kv);
  const clock = createFakeClock(Date.parse("2026-01-31T12:00:00.000Z"));
  const scorer = createModelScorer({
    registry: createFolderModelRegistry({ dir: MODELS_DIR }),
    clock: createFakeClock(),
    log: silentLogger,
  });
  await scorer.start();
  const notified: Alert[] = [];
  const pipeline = createPipeline({
    store,
    scorer,
    notifier: { notify: (alert) => (notified.push(alert), Promise.resolve()) },
    deadLetters: createStoreDeadLetterSink(store),
    clock,
    log: silentLogger,
  });
  try {
    for (const messages of delivery) {
      const newest = Math.max(...messages.map((m) => m.timestamp));
      if (newest + 1000 > clock.now()) await clock.advance(newest + 1000 - clock.now());
      await pipeline.handleBatch({ messages, heartbeat: () => Promise.resolve() });
    }
    // The last readings of a device read from several partitions wait for stragglers: let them.
    await pipeline.start();
    for (let tick = 0; tick < 4; tick++) {
      await clock.advance(5_000);
      await waitUntil(() => clock.pending > 0, { what: "the tick to end" });
    }
    await pipeline.stop();
    assert.equal(pipeline.stats().batches, delivery.length);
    const alerts = (await kv.listAlerts({ limit: 1000, order: "asc" })).items
      .filter((a) => a.kind !== "offline");
    return { predictions, alerts, notified, stats: pipeline.stats() };
  } finally {
    await scorer.stop();
    await kv.close();
  }
}

/** An alert as decided: when it was raised on the clock aside. */
const decided = (alert: Alert) => {
  const { raised_at: _raisedAt, ...rest } = alert;
  return rest;
};

Deno.test("the same 1,000 readings in order and shuffled across 3 partitions give the same scores and alerts", async () => {
  const readings = aFleetStream({ pcs: 2, pis: 2, readingsPerDevice: 250 });
  assert.equal(readings.length, 1000);
  const ordered = await consume(inOrder(readings));
  const shuffled = await consume(shuffledAcrossPartitions(readings, 11));

  assert.equal(ordered.predictions.size, 1000);
  assert.equal(shuffled.predictions.size, 1000);
  let largest = 0;
  for (const reading of readings) {
    const a = ordered.predictions.get(reading.uuid)!;
    const b = shuffled.predictions.get(reading.uuid)!;
    largest = Math.max(largest, Math.abs(a.probability - b.probability));
    assert.equal(b.model, a.model, reading.uuid);
    assert.equal(b.stressed_now, a.stressed_now, reading.uuid);
    assert.deepEqual(b.reasons, a.reasons, reading.uuid);
  }
  assert.ok(largest <= 1e-6, `largest difference in probability: ${largest}`);
  assert.ok(shuffled.stats.rescored > 0, "late readings made earlier ones be scored again");

  const kinds = ordered.alerts.map((a) => a.kind);
  assert.ok(kinds.filter((k) => k === "stress").length >= 4, `alerts happen: ${kinds}`);
  assert.ok(kinds.includes("recovered"), `${kinds}`);
  assert.ok(kinds.includes("under_voltage"), `${kinds}`);
  assert.deepEqual(shuffled.alerts.map(decided), ordered.alerts.map(decided));
  assert.equal(shuffled.notified.length, ordered.notified.length);

  const rule = [...ordered.predictions.values()].filter((p) => p.model === RULE_MODEL).length;
  assert.ok(rule <= 2 * 4, `only each device's first readings fall back to the rule: ${rule}`);
});
