import assert from "node:assert/strict";
import { brokerPeer } from "./broker_peer.ts";
import { Kafka } from "kafkajs";
import { testConsumerConfig, testKafkaConfig, testProducerConfig } from "./kafkajs_test_config.ts";
import { startTestBroker } from "./start_test_broker.ts";

const { ignore } = await brokerPeer();

Deno.test("testConsumerConfig() gives each consumer a group of its own", () => {
  assert.notEqual(testConsumerConfig().groupId, testConsumerConfig().groupId);
  assert.equal(testConsumerConfig({ groupId: "mine" }).groupId, "mine");
});

Deno.test({
  name:
    "testConsumerConfig() lets a restarted group member resume from its committed offset within seconds",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ brokers: 3, topics: { readings: 3 } });
    const kafka = new Kafka(testKafkaConfig(broker.bootstrap));
    const producer = kafka.producer(testProducerConfig());
    const config = testConsumerConfig();
    const send = (values: string[]) =>
      producer.send({
        topic: "readings",
        messages: values.map((value) => ({ key: value, value })),
      });

    /** Runs a member of the group until it has seen `count` messages. */
    async function consume(count: number): Promise<string[]> {
      const consumer = kafka.consumer(config);
      const seen: string[] = [];
      const done = Promise.withResolvers<void>();
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: ["readings"], fromBeginning: true });
        await consumer.run({
          eachMessage: ({ message }) => {
            seen.push(String(message.value));
            if (seen.length === count) done.resolve();
            return Promise.resolve();
          },
        });
        timer = setTimeout(() => done.reject(new Error(`saw only [${seen}] in 5 s`)), 5_000);
        await done.promise;
        return seen.sort();
      } finally {
        clearTimeout(timer);
        await consumer.disconnect(); // commits what eachMessage resolved
      }
    }

    await producer.connect();
    try {
      await send(["a", "b", "c"]);
      assert.deepEqual(await consume(3), ["a", "b", "c"]);
      await send(["d", "e"]);
      assert.deepEqual(await consume(2), ["d", "e"]);
    } finally {
      await producer.disconnect();
    }
  },
});
