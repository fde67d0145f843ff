import assert from "node:assert/strict";
import { silentLogger } from "../shared/log.ts";
import type { Reading } from "../shared/reading/mod.ts";
import { createBufferedProducer } from "../producer/create_buffered_producer.ts";
import { aPcReading, aRaspberryReading, later } from "../testing/a_reading.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { startTestBroker, testKafkaConfig } from "../testing/kafka/mod.ts";
import { waitUntil } from "../testing/wait_until.ts";
import {
  aTempDir,
  brokerPeer,
  countedReadings,
  FAST,
  storedExactlyOnce,
  testConfig,
} from "../testing/kafka/consumer_test_kit.ts";
import { startKafkaConsumer } from "./start_kafka_consumer.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";

const { ignore } = await brokerPeer();

const DEVICES = ["pc1", "pc2", "raspberry"];
const TICK_MS = 100;

/**
 * Issue 4, test 4: every broker down for 10 s while three producers keep
 * sampling. The producers buffer on disk, then deliver in order; the
 * consumer resumes; the store holds every reading exactly once.
 */
Deno.test({
  name: "all brokers down for 10 s while producers run: they buffer, then deliver; nothing is lost",
  ignore,
  async fn() {
    await using broker = await startTestBroker({
      brokers: 3,
      topics: { pc1: 3, pc2: 3, raspberry: 3, "readings.dlq": 1 },
    });
    await using store = await aStoreWith();
    await using dir = await aTempDir();
    const consumerLog = createMemoryLogger("info");
    const consumer = await startKafkaConsumer({
      config: testConfig(broker.bootstrap),
      log: consumerLog,
      store,
      tuning: FAST,
    });
    const producers = await Promise.all(DEVICES.map((device) =>
      createBufferedProducer({
        kafka: testKafkaConfig(broker.bootstrap),
        bufferDir: `${dir.path}/${device}`,
        allowAutoTopicCreation: false,
        sendTimeoutMs: 1_000,
        retryMinMs: 200,
        retryMaxMs: 1_000,
        log: silentLogger,
      })
    ));
    const sent: Reading[] = [];
    const outcomes = { sent: 0, buffered: 0 };
    let running = true;
    /** One device sampling every 100 ms, like the agent, until `running` turns false. */
    const sample = async (device: string, index: number) => {
      const first = device === "raspberry" ? aRaspberryReading({ device }) : aPcReading({ device });
      for (let i = 0; running; i++) {
        const reading = later(first, i * 5);
        sent.push(reading);
        outcomes[await producers[index]!.send(reading)]++;
        await new Promise((resolve) => setTimeout(resolve, TICK_MS));
      }
    };
    try {
      const sampling = Promise.all(DEVICES.map(sample));
      await waitUntil(async () => await countedReadings(store, DEVICES) >= 30, {
        what: "readings stored before the outage",
      });
      await broker.down("all");
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      await broker.up("all");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      running = false;
      await sampling;
      await Promise.all(producers.map((p) => p.caughtUp()));
      assert.ok(outcomes.buffered > 0, "readings were buffered during the outage");
      await waitUntil(async () => await countedReadings(store, DEVICES) >= sent.length, {
        what: `all ${sent.length} readings stored`,
        timeoutMs: 30_000,
      });
      const { listed, expected, counted } = await storedExactlyOnce(store, sent);
      assert.deepEqual(listed, expected);
      assert.equal(counted, sent.length);
      assert.equal(consumer.stats().dead_letters, 0);
    } finally {
      running = false;
      await Promise.all(producers.map((p) => p.close()));
      await consumer.stop();
    }
  },
});
