import assert from "node:assert/strict";
import { silentLogger } from "../shared/log.ts";
import type { Reading } from "../shared/reading/mod.ts";
import { openKvStore } from "../shared/store/kv_store.ts";
import type { Store } from "../shared/store/store.ts";
import { aPcReading, aRaspberryReading, later } from "../testing/a_reading.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { startTestBroker } from "../testing/kafka/mod.ts";
import { waitUntil } from "../testing/wait_until.ts";
import {
  aTempDir,
  brokerPeer,
  countedReadings,
  FAST,
  sendReadings,
  storedExactlyOnce,
  testConfig,
} from "../testing/kafka/consumer_test_kit.ts";
import { startKafkaConsumer } from "./start_kafka_consumer.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";

const { ignore } = await brokerPeer();

/** `count` readings of one device, 5 s apart. */
function readingsOf(device: string, count: number, from = 0): Reading[] {
  const first = device.startsWith("raspberry")
    ? aRaspberryReading({ device })
    : aPcReading({ device });
  return Array.from({ length: count }, (_, i) => later(first, (from + i) * 5));
}

Deno.test({
  name: "three producers and one consumer: every reading is stored exactly once",
  ignore,
  async fn() {
    await using broker = await startTestBroker({
      brokers: 3,
      topics: { pc1: 3, pc2: 3, raspberry: 3, "readings.dlq": 1 },
    });
    await using store = await aStoreWith();
    const consumer = await startKafkaConsumer({
      config: testConfig(broker.bootstrap),
      log: silentLogger,
      store,
      tuning: FAST,
    });
    const devices = ["pc1", "pc2", "raspberry"];
    const readings = devices.map((device) => readingsOf(device, 100));
    try {
      // Three devices sending at the same time, 10 readings per send.
      await Promise.all(readings.map((r) => sendReadings(broker.bootstrap, r)));
      await waitUntil(async () => await countedReadings(store, devices) >= 300, {
        what: "300 readings stored",
      });
      const { listed, expected, counted } = await storedExactlyOnce(store, readings.flat());
      assert.deepEqual(listed, expected);
      assert.equal(counted, 300);
      assert.equal(consumer.stats().dead_letters, 0);
    } finally {
      await consumer.stop();
    }
  },
});

Deno.test({
  name: "two consumers in one group share the partitions; when one leaves the other takes over",
  ignore,
  async fn() {
    const devices = ["pc1", "pc2", "pc3", "raspberry"];
    await using broker = await startTestBroker({
      topics: { ...Object.fromEntries(devices.map((d) => [d, 1])), "readings.dlq": 1 },
    });
    await using dir = await aTempDir();
    // Two processes' worth: each consumer has its own handle on one KV file.
    const config = testConfig(broker.bootstrap, {
      KAFKA_TOPICS: devices.join(","),
      KV_PATH: `${dir.path}/monitor.kv`,
    });
    const logA = createMemoryLogger("info");
    const logB = createMemoryLogger("info");
    const joins = (log: { lines: string[] }) => log.lines.filter((l) => /joined group/.test(l));
    const sent: Reading[] = [];
    const wave = async (from: number) => {
      const readings = devices.flatMap((device) => readingsOf(device, 10, from));
      sent.push(...readings);
      await sendReadings(broker.bootstrap, readings);
      await waitUntil(async () => await countedReadings(a.store, devices) >= sent.length, {
        what: `${sent.length} readings stored`,
      });
    };

    const a = await startKafkaConsumer({ config, log: logA, tuning: FAST });
    try {
      await wave(0);
      const b = await startKafkaConsumer({ config, log: logB, tuning: FAST });
      try {
        await waitUntil(() => joins(logA).length === 2 && joins(logB).length === 1, {
          what: "both members in the group",
        });
        await wave(10);
        assert.ok(b.stats().messages > 0, "the second consumer handled a share");
        assert.ok(a.stats().messages > 40, "the first consumer kept a share");
      } finally {
        await b.stop();
      }
      await waitUntil(() => joins(logA).length === 3, { what: "the first consumer to rejoin" });
      assert.match(joins(logA).at(-1)!, /assigned=pc1:0,pc2:0,pc3:0,raspberry:0/);
      await wave(20);
    } finally {
      await a.stop();
    }
    const store = await openKvStore(`${dir.path}/monitor.kv`);
    try {
      const { listed, expected, counted } = await storedExactlyOnce(store, sent);
      assert.deepEqual(listed, expected);
      assert.equal(counted, 120);
    } finally {
      await store.close();
    }
  },
});

Deno.test({
  name: "a slow broker: readings sent twice are stored once and none is lost",
  ignore,
  async fn() {
    await using broker = await startTestBroker({
      topics: { pc1: 1, raspberry: 1, "readings.dlq": 1 },
    });
    await broker.rtt("all", 300);
    const readings = [...readingsOf("pc1", 20), ...readingsOf("raspberry", 20)];
    await sendReadings(broker.bootstrap, readings, { perSend: 20 });
    // What a producer does when a send timed out without an answer: send again.
    const resent = [...readings.slice(10, 20), ...readings.slice(30, 40)];
    await sendReadings(broker.bootstrap, resent, { perSend: 20 });
    const sent = readings.length + resent.length;

    await using store = await aStoreWith();
    const consumer = await startKafkaConsumer({
      config: testConfig(broker.bootstrap, { KAFKA_SESSION_TIMEOUT_MS: "3000" }),
      log: silentLogger,
      store,
      tuning: FAST,
    });
    try {
      await waitUntil(() => consumer.stats().messages >= sent, {
        what: `all ${sent} messages consumed`,
        timeoutMs: 30_000,
      });
      const { listed, expected, counted } = await storedExactlyOnce(store, readings);
      assert.deepEqual(listed, expected);
      assert.equal(counted, 40);
      assert.ok(
        consumer.stats().duplicates >= 20,
        "the duplicates reached the store and were absorbed",
      );
    } finally {
      await consumer.stop();
    }
  },
});

Deno.test({
  name: "the consumer rides out every broker being down and resumes where it was",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ topics: { pc1: 1, "readings.dlq": 1 } });
    await using store = await aStoreWith();
    const log = createMemoryLogger("info");
    const consumer = await startKafkaConsumer({
      config: testConfig(broker.bootstrap),
      log,
      store,
      tuning: FAST,
    });
    const readings = readingsOf("pc1", 40);
    try {
      await sendReadings(broker.bootstrap, readings.slice(0, 20));
      await waitUntil(async () => await countedReadings(store, ["pc1"]) === 20, {
        what: "the readings sent before the outage",
      });
      await broker.down("all");
      await waitUntil(
        () => log.lines.some((line) => /consumer failed, kafkajs restarts it/.test(line)),
        {
          what: "the consumer to notice the outage",
        },
      );
      await broker.up("all");
      await sendReadings(broker.bootstrap, readings.slice(20));
      await waitUntil(async () => await countedReadings(store, ["pc1"]) === 40, {
        what: "the readings sent after the outage",
      });
      const { listed, expected } = await storedExactlyOnce(store, readings);
      assert.deepEqual(listed, expected);
    } finally {
      await consumer.stop();
    }
  },
});

Deno.test({
  name: "a store slower than the session timeout does not get the consumer kicked out of its group",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ topics: { pc1: 1, "readings.dlq": 1 } });
    await using store = await aStoreWith();
    let calls = 0;
    // The first save takes 4 s against a 1.5 s session timeout.
    const slowStore: Store = {
      ...store,
      saveScored: async (items) => {
        if (calls++ === 0) await new Promise((resolve) => setTimeout(resolve, 4_000));
        return store.saveScored(items);
      },
    };
    const log = createMemoryLogger("info");
    const consumer = await startKafkaConsumer({
      config: testConfig(broker.bootstrap),
      log,
      store: slowStore,
      tuning: FAST,
    });
    const readings = readingsOf("pc1", 20);
    try {
      await sendReadings(broker.bootstrap, readings, { perSend: 20 });
      await waitUntil(async () => await countedReadings(store, ["pc1"]) === 20, {
        what: "the slow batch stored",
      });
      await sendReadings(broker.bootstrap, readingsOf("pc1", 5, 20), { perSend: 5 });
      await waitUntil(() => consumer.stats().messages >= 25, { what: "the next batch" });
      assert.equal(consumer.stats().duplicates, 0, "the slow batch was not delivered again");
      assert.equal(log.lines.filter((line) => /joined group/.test(line)).length, 1, "no rejoin");
    } finally {
      await consumer.stop();
    }
  },
});
