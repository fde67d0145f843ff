import assert from "node:assert/strict";
import { brokerPeer } from "./broker_peer.ts";
import { Kafka, type Producer } from "kafkajs";
import { testConsumerConfig, testKafkaConfig, testProducerConfig } from "./kafkajs_test_config.ts";
import { ApiKey, KafkaErrorCode } from "./kafka_protocol_codes.ts";
import { startTestBroker } from "./start_test_broker.ts";

const { ignore } = await brokerPeer();

/** Settles with `promise`, or rejects naming `what` after `ms`. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

async function connected(producer: Producer): Promise<Producer> {
  await producer.connect();
  return producer;
}

Deno.test("startTestBroker() rejects bad options before starting anything", async () => {
  await assert.rejects(
    startTestBroker({ brokers: 0 }),
    /'brokers' must be an integer 1..16, got 0/,
  );
  await assert.rejects(
    startTestBroker({ topics: { "no spaces": 1 } }),
    /name must be .* got 'no spaces'/,
  );
  await assert.rejects(
    startTestBroker({ topics: { readings: 0 } }),
    /partitions of topic 'readings'.* got 0/,
  );
});

Deno.test({
  name: "startTestBroker() serves a 3-broker cluster that kafkajs produces to and consumes from",
  ignore,
  async fn(t) {
    await using broker = await startTestBroker({ brokers: 3, topics: { readings: 3 } });
    assert.equal(broker.bootstrap.length, 3);
    for (const address of broker.bootstrap) assert.match(address, /^127\.0\.0\.1:\d+$/);
    const kafka = new Kafka(testKafkaConfig(broker.bootstrap));

    await t.step("a plain and an idempotent producer send", async () => {
      for (const [name, idempotent] of [["plain", false], ["idempotent", true]] as const) {
        const producer = await connected(kafka.producer(testProducerConfig({ idempotent })));
        try {
          const messages = Array.from(
            { length: 10 },
            (_, i) => ({ key: `${name}-${i}`, value: `${name}-${i}` }),
          );
          const records = await producer.send({ topic: "readings", messages });
          assert.ok(records.every((record) => record.errorCode === 0));
        } finally {
          await producer.disconnect();
        }
      }
    });

    await t.step("a consumer group reads every message back", async () => {
      const consumer = kafka.consumer(testConsumerConfig());
      try {
        const values = new Set<string>();
        const all = Promise.withResolvers<void>();
        await consumer.connect();
        await consumer.subscribe({ topics: ["readings"], fromBeginning: true });
        await consumer.run({
          eachMessage: ({ message }) => {
            values.add(String(message.value));
            if (values.size === 20) all.resolve();
            return Promise.resolve();
          },
        });
        await within(10_000, "consumer reads 20 messages", all.promise);
        assert.ok(values.has("plain-0") && values.has("idempotent-9"));
      } finally {
        await consumer.disconnect();
      }
    });
  },
});

Deno.test({
  name: "the kafkajs admin client lists topics and fetches their metadata",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ brokers: 3, topics: { readings: 3 } });
    await broker.createTopic("alerts", 2);
    await assert.rejects(
      broker.createTopic("alerts", 2),
      /'topic alerts 2' failed: TOPIC_ALREADY_EXISTS/,
    );
    const admin = new Kafka(testKafkaConfig(broker.bootstrap)).admin();
    await admin.connect();
    try {
      assert.deepEqual((await admin.listTopics()).sort(), ["alerts", "readings"]);
      const { topics } = await admin.fetchTopicMetadata({ topics: ["readings"] });
      assert.equal(topics[0]?.partitions.length, 3);
      for (const partition of topics[0]?.partitions ?? []) {
        assert.ok([1, 2, 3].includes(partition.leader));
      }
      const { controller } = await admin.describeCluster();
      assert.equal(controller, 1);
    } finally {
      await admin.disconnect();
    }
  },
});

Deno.test({
  name: "down() makes sends fail and up() makes them work again",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ brokers: 3, topics: { readings: 3 } });
    const kafka = new Kafka(
      testKafkaConfig(broker.bootstrap, {
        retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 300 },
      }),
    );
    const producer = await connected(kafka.producer(testProducerConfig()));
    try {
      const send = () => producer.send({ topic: "readings", messages: [{ value: "reading" }] });
      await send();
      await broker.down("all");
      await assert.rejects(
        within(10_000, "send while all brokers are down", send()),
        /ECONNREFUSED/,
      );
      await broker.up("all");
      await within(10_000, "send after the brokers are up", send());
    } finally {
      await producer.disconnect();
    }
  },
});

Deno.test({
  name: "rtt() delays the responses of the chosen brokers only",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ brokers: 2, topics: { readings: 2 } });
    const kafka = new Kafka(testKafkaConfig(broker.bootstrap));
    const admin = kafka.admin();
    const producer = await connected(kafka.producer(testProducerConfig()));
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: ["readings"] });
      const leaders = new Map(topics[0]!.partitions.map((p) => [p.partitionId, p.leader]));
      const sendTo = (partition: number) =>
        timed(() =>
          producer.send({ topic: "readings", messages: [{ value: "reading", partition }] })
        );
      await sendTo(0);
      const before = await sendTo(0);
      await broker.rtt(leaders.get(0)!, 300);
      const slowed = await sendTo(0);
      assert.ok(slowed >= 280, `a send to the slowed broker took ${slowed} ms`);
      assert.ok(before < slowed, `before ${before} ms, slowed ${slowed} ms`);
      if (leaders.get(1) !== leaders.get(0)) {
        const other = await sendTo(1);
        assert.ok(other < slowed, `the other broker took ${other} ms, the slowed one ${slowed} ms`);
      }
      await broker.rtt("all", 0);
      assert.ok((await sendTo(0)) < slowed);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  },
});

Deno.test({
  name: "pushErrors() fails the next requests of an API, one error code each",
  ignore,
  async fn(t) {
    await using broker = await startTestBroker({ topics: { readings: 1 } });
    const producer = await connected(
      new Kafka(testKafkaConfig(broker.bootstrap)).producer(testProducerConfig()),
    );
    try {
      const send = () => producer.send({ topic: "readings", messages: [{ value: "reading" }] });

      await t.step("a retriable error is retried by kafkajs", async () => {
        await broker.pushErrors(
          ApiKey.Produce,
          KafkaErrorCode.NotLeaderForPartition,
          KafkaErrorCode.Disconnect,
        );
        await send();
      });

      await t.step("a fatal error reaches the caller, then the queue is empty again", async () => {
        await broker.pushErrors(ApiKey.Produce, KafkaErrorCode.MessageTooLarge);
        await assert.rejects(send(), { name: "KafkaJSProtocolError", type: "MESSAGE_TOO_LARGE" });
        await send();
      });

      await t.step("clearErrors() drops the errors still queued", async () => {
        await broker.pushErrors(ApiKey.Produce, KafkaErrorCode.MessageTooLarge);
        await broker.clearErrors(ApiKey.Produce);
        await send();
      });
    } finally {
      await producer.disconnect();
    }
  },
});

Deno.test({
  name: "a topic a client asks for is auto-created unless allowAutoTopicCreation is false",
  ignore,
  async fn() {
    await using broker = await startTestBroker({});
    const kafka = new Kafka(
      testKafkaConfig(broker.bootstrap, {
        retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 },
      }),
    );
    const strict = await connected(kafka.producer(testProducerConfig()));
    const lenient = await connected(kafka.producer({ allowAutoTopicCreation: true }));
    try {
      await assert.rejects(
        strict.send({ topic: "typo", messages: [{ value: "x" }] }),
        /does not host this topic-partition/,
      );
      await lenient.send({ topic: "typo", messages: [{ value: "x" }] });
    } finally {
      await strict.disconnect();
      await lenient.disconnect();
    }
  },
});

Deno.test({
  name: "close() ends the broker process and later commands fail",
  ignore,
  async fn() {
    const broker = await startTestBroker({});
    await broker.close();
    await broker.close();
    await assert.rejects(Deno.stat(`/proc/${broker.pid}`), Deno.errors.NotFound);
    await assert.rejects(broker.down(1), /kafka test broker is closed; cannot send 'down 1'/);
  },
});

Deno.test({
  name: "the broker program answers commands in order and exits when its stdin closes",
  ignore,
  async fn() {
    const child = new Deno.Command(
      new URL("../../.cache/kafka-test-broker/bin/kafka_test_broker", import.meta.url),
      {
        args: ["--brokers", "2"],
        stdin: "piped",
        stdout: "piped",
        stderr: "null",
      },
    ).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode("ping\ndown 7\nnonsense\n"));
    await writer.close();
    const { code, stdout } = await within(5_000, "broker exits after stdin closes", child.output());
    assert.equal(code, 0);
    const [bootstrap, ...replies] = new TextDecoder().decode(stdout).trimEnd().split("\n");
    assert.match(bootstrap!, /^127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$/);
    assert.deepEqual(replies.map((line) => line.split(":")[0]), [
      "ok",
      "error BROKER_NOT_AVAILABLE",
      "error unknown command 'nonsense' (known",
    ]);
  },
});

Deno.test("startTestBroker() reports a broker program that fails to start, with its stderr", async () => {
  await assert.rejects(
    startTestBroker({ binary: "/bin/cat" }),
    /kafka test broker exited \(code 1\).*\n.*cat: unrecognized option '--brokers'/,
  );
});
