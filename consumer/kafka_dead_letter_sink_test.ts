import assert from "node:assert/strict";
import { brokerPeer } from "../testing/kafka/broker_peer.ts";
import { silentLogger } from "../shared/log.ts";
import { createKafkaSender } from "../shared/transport/kafka/kafka_sender.ts";
import type { OutgoingMessage } from "../shared/transport/transport.ts";
import { startTestBroker, testKafkaConfig } from "../testing/kafka/mod.ts";
import { readTopic } from "../testing/kafka/read_topic.ts";
import { deadLetterOf } from "./dead_letter_sink.ts";
import { createKafkaDeadLetterSink, DLQ_HEADERS } from "./kafka_dead_letter_sink.ts";

const { ignore } = await brokerPeer();

const refused = deadLetterOf(
  {
    topic: "pc1",
    partition: 2,
    offset: "17",
    key: "pc1",
    value: new Uint8Array([0xff, 0x00, 0x7b]),
    timestamp: 0,
  },
  new Error("message is not UTF-8 text"),
  Date.parse("2026-01-31T12:00:00.000Z"),
);

Deno.test("createKafkaDeadLetterSink() sends the original bytes and key, with where from and why in headers", async () => {
  const sent: OutgoingMessage[] = [];
  const sink = createKafkaDeadLetterSink({
    send: (messages) => (sent.push(...messages), Promise.resolve()),
  });
  await sink.send(refused);
  assert.deepEqual(sent, [{
    topic: "readings.dlq",
    key: "pc1",
    value: new Uint8Array([0xff, 0x00, 0x7b]),
    headers: {
      [DLQ_HEADERS.topic]: "pc1",
      [DLQ_HEADERS.partition]: "2",
      [DLQ_HEADERS.offset]: "17",
      [DLQ_HEADERS.error]: "message is not UTF-8 text",
      [DLQ_HEADERS.receivedAt]: "2026-01-31T12:00:00.000Z",
      [DLQ_HEADERS.id]: "pc1-2-17",
    },
  }]);
});

Deno.test("createKafkaDeadLetterSink() throws when the letter cannot be written, naming it", async () => {
  const sink = createKafkaDeadLetterSink({
    send: () => Promise.reject(new Error("broker down")),
    topic: "bad.letters",
  });
  await assert.rejects(
    sink.send(refused),
    /Cannot write dead letter pc1-2-17 to 'bad.letters': broker down/,
  );
});

Deno.test("createKafkaDeadLetterSink() refuses a topic name Kafka would refuse", () => {
  assert.throws(
    () => createKafkaDeadLetterSink({ send: () => Promise.resolve(), topic: "dead letters" }),
    /'dead letters' is not a Kafka topic name/,
  );
});

Deno.test({
  name: "createKafkaDeadLetterSink() lands letters in the topic through the Kafka sender",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ topics: { "readings.dlq": 1 } });
    const sender = createKafkaSender({
      kafka: testKafkaConfig(broker.bootstrap),
      log: silentLogger,
      allowAutoTopicCreation: false,
      sendTimeoutMs: 3_000,
    });
    try {
      await createKafkaDeadLetterSink({ send: sender.send }).send(refused);
      await assert.rejects(
        createKafkaDeadLetterSink({ send: sender.send, topic: "missing.dlq" }).send(refused),
        /Cannot write dead letter pc1-2-17 to 'missing.dlq'/,
      );
    } finally {
      await sender.close();
    }
    const [letter] = await readTopic(broker.bootstrap, "readings.dlq", 1);
    assert.deepEqual(letter!.value, new Uint8Array([0xff, 0x00, 0x7b]));
    assert.equal(letter!.key, "pc1");
    assert.equal(letter!.headers[DLQ_HEADERS.offset], "17");
    assert.equal(letter!.headers[DLQ_HEADERS.error], "message is not UTF-8 text");
  },
});
