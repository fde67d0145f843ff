import assert from "node:assert/strict";
import { Kafka } from "kafkajs";
import { silentLogger } from "../shared/log.ts";
import { encodeReading, frame } from "../shared/reading/mod.ts";
import { aPcReading, aRaspberryReading, later } from "../testing/a_reading.ts";
import { aStoreWith } from "../testing/a_store.ts";
import { startTestBroker, testKafkaConfig } from "../testing/kafka/mod.ts";
import { readTopic } from "../testing/kafka/read_topic.ts";
import { waitUntil } from "../testing/wait_until.ts";
import {
  brokerPeer,
  FAST,
  sendBytes,
  storedUuids,
  testConfig,
} from "../testing/kafka/consumer_test_kit.ts";
import { DLQ_HEADERS } from "./kafka_dead_letter_sink.ts";
import { startKafkaConsumer } from "./start_kafka_consumer.ts";
import { createMemoryLogger } from "../testing/memory_logger.ts";

const { ignore } = await brokerPeer();
const utf8 = (text: string) => new TextEncoder().encode(text);

Deno.test({
  name:
    "poison messages of every kind land in the dead-letter topic and the readings around them are stored",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ topics: { pc1: 1, "readings.dlq": 1 } });
    const first = aPcReading({ device: "pc1" });
    const good = [first, later(first, 5), later(first, 10), later(first, 15)];
    const poison: [string, Uint8Array, RegExp][] = [
      ["undecodable bytes", new Uint8Array([0xff, 0xfe, 0x7b]), /not UTF-8/],
      ["a cut Schema Registry frame", new Uint8Array([0, 0, 1]), /5 header bytes/],
      ["invalid JSON", utf8('{"uuid": "a", '), /not JSON/],
      [
        "a schema violation",
        encodeReading(later(first, 20, { TemperatureCPUPackage: 837 })),
        /TemperatureCPUPackage/,
      ],
      [
        "an unknown profile",
        utf8(JSON.stringify({ ...later(first, 25), profile: "toaster" })),
        /'toaster' is not a known profile/,
      ],
      ["an oversized message", utf8(`"${"x".repeat(20_000)}"`), /at most 16384/],
    ];
    // good, poison, good, poison, ... : every refused message sits between readings.
    const values = good.flatMap((reading, i) => [
      encodeReading(reading),
      ...poison.slice(i * 2, i * 2 + 2).map(([, bytes]) => bytes),
    ]);
    await sendBytes(broker.bootstrap, "pc1", values);

    await using store = await aStoreWith();
    const consumer = await startKafkaConsumer({
      config: testConfig(broker.bootstrap),
      log: silentLogger,
      store,
      tuning: FAST,
    });
    try {
      await waitUntil(() => consumer.stats().messages >= values.length, {
        what: `${values.length} messages consumed`,
      });
      assert.deepEqual(await storedUuids(store, "pc1"), good.map((r) => r.uuid));
      assert.equal(consumer.stats().dead_letters, poison.length);
    } finally {
      await consumer.stop();
    }

    const letters = await readTopic(broker.bootstrap, "readings.dlq", poison.length);
    for (const [i, [kind, bytes, error]] of poison.entries()) {
      const letter = letters[i]!;
      const offset = String(values.indexOf(bytes));
      assert.deepEqual(letter.value, bytes, `${kind}: the original bytes`);
      assert.equal(letter.key, "pc1", `${kind}: the original key`);
      assert.equal(letter.headers[DLQ_HEADERS.topic], "pc1", kind);
      assert.equal(letter.headers[DLQ_HEADERS.partition], "0", kind);
      assert.equal(letter.headers[DLQ_HEADERS.offset], offset, `${kind}: the source offset`);
      assert.match(letter.headers[DLQ_HEADERS.error]!, error, kind);
      assert.ok(!Number.isNaN(Date.parse(letter.headers[DLQ_HEADERS.receivedAt]!)), kind);
    }
  },
});

Deno.test({
  name: "old-format readings in Schema Registry framing are consumed",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ topics: { pc2: 1, raspberry: 1 } });
    const { profile: _p, schema_version: _s, timestamp: _t, ...oldPc } = aPcReading({
      device: "pc2",
      loading_datetime: "2023-05-17@21:04:09",
    });
    const { profile: _q, schema_version: _r, timestamp: _u, ...oldPi } = aRaspberryReading({
      loading_datetime: "2023-05-17@21:04:10",
      throttled: "throttled=0x50000",
    });
    const framed = (value: object) => frame(1, utf8(JSON.stringify(value)));
    await sendBytes(broker.bootstrap, "pc2", [framed(oldPc)]);
    await sendBytes(broker.bootstrap, "raspberry", [framed(oldPi)]);

    await using store = await aStoreWith();
    const consumer = await startKafkaConsumer({
      config: testConfig(broker.bootstrap),
      log: silentLogger,
      store,
      tuning: FAST,
    });
    try {
      await waitUntil(async () => (await store.listDevices({ limit: 10 })).items.length === 2, {
        what: "both old readings stored",
      });
      const pc = (await store.listReadings("pc2", { limit: 1 })).items[0]!;
      assert.equal(pc.profile, "pc");
      assert.equal(pc.uuid, oldPc.uuid);
      assert.equal(pc.timestamp, "2023-05-17T21:04:09.000Z");
      const pi = (await store.listReadings("raspberry", { limit: 1 })).items[0]!;
      assert.equal(pi.profile, "raspberry");
      assert.equal(pi.profile === "raspberry" && pi.throttled, "0x50000");
      assert.equal(consumer.stats().dead_letters, 0);
    } finally {
      await consumer.stop();
    }
  },
});

Deno.test({
  name:
    "while the dead-letter topic cannot be written nothing past a bad message is committed; then it catches up",
  ignore,
  async fn() {
    // No dead-letter topic, and the consumer may not create one.
    await using broker = await startTestBroker({ topics: { pc1: 1 } });
    const first = aPcReading({ device: "pc1" });
    const after = later(first, 5);
    await sendBytes(broker.bootstrap, "pc1", [
      encodeReading(first),
      utf8("{not json"), // offset 1
      encodeReading(after),
    ]);
    await using store = await aStoreWith();
    const config = testConfig(broker.bootstrap);
    const log = createMemoryLogger("warn");
    const attempts = () =>
      log.lines.filter((line) => /batch failed, not committed/.test(line)).length;
    const consumer = await startKafkaConsumer({
      config,
      log,
      store,
      tuning: { ...FAST, sender: { allowAutoTopicCreation: false, sendTimeoutMs: 1_000 } },
    });
    const admin = new Kafka(testKafkaConfig(broker.bootstrap)).admin();
    await admin.connect();
    const committed = async () =>
      (await admin.fetchOffsets({ groupId: config.CONSUMER_GROUP, topics: ["pc1"] }))[0]!
        .partitions[0]!.offset;
    try {
      await waitUntil(() => attempts() >= 2, { what: "two failed attempts at the batch" });
      assert.equal(consumer.stats().dead_letters, 0);
      assert.ok(Number(await committed()) <= 1, "no commit covers the refused message");
      assert.ok(!(await storedUuids(store, "pc1")).includes(after.uuid), "nor what follows it");
      await broker.createTopic("readings.dlq", 1);
      await waitUntil(async () => await committed() === "3", { what: "the commit" });
      assert.equal((await store.getDevice("pc1"))?.readings, 2);
      assert.equal(consumer.stats().dead_letters, 1);
    } finally {
      await admin.disconnect();
      await consumer.stop();
    }
    const [letter] = await readTopic(broker.bootstrap, "readings.dlq", 1);
    assert.equal(new TextDecoder().decode(letter!.value), "{not json");
  },
});
