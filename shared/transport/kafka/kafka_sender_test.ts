import assert from "node:assert/strict";
import { brokerPeer } from "../../../testing/kafka/broker_peer.ts";
import { Kafka } from "kafkajs";
import { silentLogger } from "../../log.ts";
import {
  startTestBroker,
  testConsumerConfig,
  testKafkaConfig,
} from "../../../testing/kafka/mod.ts";
import { createKafkaSender } from "./kafka_sender.ts";

const { ignore } = await brokerPeer();
const bytes = (text: string) => new TextEncoder().encode(text);

async function readAll(bootstrap: string[], topic: string, count: number) {
  const kafka = new Kafka(testKafkaConfig(bootstrap));
  const consumer = kafka.consumer(testConsumerConfig());
  const got: { key: string | null; value: string; partition: number }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = Promise.withResolvers<void>();
    await consumer.run({
      eachMessage: ({ message, partition }) => {
        got.push({
          key: message.key?.toString() ?? null,
          value: message.value!.toString(),
          partition,
        });
        if (got.length >= count) done.resolve();
        return Promise.resolve();
      },
    });
    await done.promise;
  } finally {
    await consumer.disconnect();
  }
  return got;
}

Deno.test({
  name: "createKafkaSender() delivers keyed messages in order, acknowledged by the broker",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ brokers: 3, topics: { pc1: 3 } });
    const sender = createKafkaSender({
      kafka: testKafkaConfig(broker.bootstrap),
      log: silentLogger,
      allowAutoTopicCreation: false,
    });
    try {
      for (let i = 0; i < 20; i++) {
        await sender.send([{ topic: "pc1", key: "pc1", value: bytes(`r${i}`) }]);
      }
      assert.equal(sender.healthy, true);
    } finally {
      await sender.close();
    }
    const got = await readAll(broker.bootstrap, "pc1", 20);
    assert.deepEqual(got.map((m) => m.value), Array.from({ length: 20 }, (_, i) => `r${i}`));
    assert.equal(new Set(got.map((m) => m.partition)).size, 1, "one key, one partition");
  },
});

Deno.test({
  name:
    "createKafkaSender() fails fast while every broker is down and works again once they are up",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ brokers: 1, topics: { pc2: 1 } });
    const sender = createKafkaSender({
      kafka: testKafkaConfig(broker.bootstrap),
      log: silentLogger,
      allowAutoTopicCreation: false,
      sendTimeoutMs: 3000,
    });
    try {
      await sender.send([{ topic: "pc2", key: "pc2", value: bytes("before") }]);
      await broker.down("all");
      await assert.rejects(sender.send([{ topic: "pc2", key: "pc2", value: bytes("lost?") }]));
      assert.equal(sender.healthy, false);
      await broker.up("all");
      await sender.send([{ topic: "pc2", key: "pc2", value: bytes("after") }]);
      assert.equal(sender.healthy, true);
    } finally {
      await sender.close();
    }
    const values = (await readAll(broker.bootstrap, "pc2", 2)).map((m) => m.value);
    assert.equal(values[0], "before");
    assert.equal(values.at(-1), "after");
  },
});

Deno.test("createKafkaSender() checks its options", () => {
  assert.throws(
    () =>
      createKafkaSender({
        kafka: { brokers: ["127.0.0.1:1"] },
        log: silentLogger,
        sendTimeoutMs: 5,
      }),
    /'sendTimeoutMs' must be at least 100, got 5/,
  );
  assert.throws(
    () => createKafkaSender({ kafka: { brokers: [] }, log: silentLogger }),
    /at least one broker/,
  );
});
