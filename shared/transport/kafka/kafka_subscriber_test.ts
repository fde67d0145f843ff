import assert from "node:assert/strict";
import { brokerPeer } from "../../../testing/kafka/broker_peer.ts";
import { Kafka } from "kafkajs";
import { createFakeClock } from "../../../testing/fake_clock.ts";
import { silentLogger } from "../../log.ts";
import type { IncomingMessage } from "../transport.ts";
import {
  ApiKey,
  startTestBroker,
  testConsumerConfig,
  testKafkaConfig,
} from "../../../testing/kafka/mod.ts";
import { waitUntil } from "../../../testing/wait_until.ts";
import { createKafkaSender } from "./kafka_sender.ts";
import { createKafkaSubscriber, type KafkaSubscriberOptions } from "./kafka_subscriber.ts";
import { createMemoryLogger } from "../../../testing/memory_logger.ts";

const { ignore } = await brokerPeer();

const { groupId: _, ...fastGroup } = testConsumerConfig();
const group = () => `test-${crypto.randomUUID()}`;
const bytes = (text: string) => new TextEncoder().encode(text);

function subscriberFor(bootstrap: string[], overrides: Partial<KafkaSubscriberOptions> = {}) {
  return createKafkaSubscriber({
    kafka: testKafkaConfig(bootstrap),
    log: silentLogger,
    consumer: fastGroup,
    ...overrides,
  });
}

async function produce(bootstrap: string[], topic: string, values: string[]) {
  const sender = createKafkaSender({
    kafka: testKafkaConfig(bootstrap),
    log: silentLogger,
    allowAutoTopicCreation: false,
  });
  try {
    await sender.send(values.map((value) => ({ topic, key: topic, value: bytes(value) })));
  } finally {
    await sender.close();
  }
}

/** The group's committed offset per partition of `topic` ("-1": none). */
async function committed(bootstrap: string[], groupId: string, topic: string) {
  const admin = new Kafka(testKafkaConfig(bootstrap)).admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return Object.fromEntries(offsets!.partitions.map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}

const text = (m: IncomingMessage) => new TextDecoder().decode(m.value);

Deno.test({
  name: "subscribe() commits a batch only after the handler resolved",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ topics: { pc1: 1 } });
    await produce(broker.bootstrap, "pc1", ["a", "b", "c"]);
    const groupId = group();
    const release = Promise.withResolvers<void>();
    const got: string[] = [];
    const subscription = await subscriberFor(broker.bootstrap).subscribe(
      { topics: ["pc1"], groupId },
      async (batch) => {
        got.push(...batch.messages.map(text));
        await release.promise;
      },
    );
    try {
      await waitUntil(() => got.length === 3, { what: "the batch" });
      assert.deepEqual(got, ["a", "b", "c"]);
      assert.deepEqual(await committed(broker.bootstrap, groupId, "pc1"), { 0: "-1" });
      release.resolve();
      await waitUntil(
        async () => (await committed(broker.bootstrap, groupId, "pc1"))[0] === "3",
        { what: "the commit" },
      );
    } finally {
      release.resolve();
      await subscription.stop();
    }
    await subscription.done;
  },
});

Deno.test({
  name: "subscribe() delivers a batch again when the handler throws, then commits it",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ topics: { pc1: 1 } });
    await produce(broker.bootstrap, "pc1", ["a", "b"]);
    const groupId = group();
    const deliveries: string[][] = [];
    const subscription = await subscriberFor(broker.bootstrap).subscribe(
      { topics: ["pc1"], groupId },
      (batch) => {
        deliveries.push(batch.messages.map(text));
        return deliveries.length === 1
          ? Promise.reject(new Error("store is down"))
          : Promise.resolve();
      },
    );
    try {
      await waitUntil(
        async () => (await committed(broker.bootstrap, groupId, "pc1"))[0] === "2",
        { what: "the commit after the retry" },
      );
      assert.deepEqual(deliveries, [["a", "b"], ["a", "b"]]);
    } finally {
      await subscription.stop();
    }
  },
});

Deno.test({
  name: "subscribe() keeps a member whose handler works longer than the session timeout",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ topics: { pc1: 1 } });
    await produce(broker.bootstrap, "pc1", ["slow"]);
    const groupId = group();
    const log = createMemoryLogger("info");
    const deliveries: string[] = [];
    // 4 s of work against a 1.5 s session: without heartbeats during the batch
    // the broker evicts the member, its commit fails and the batch comes again.
    const subscription = await subscriberFor(broker.bootstrap, { log }).subscribe(
      { topics: ["pc1"], groupId },
      async (batch) => {
        deliveries.push(...batch.messages.map(text));
        await new Promise((resolve) => setTimeout(resolve, 4_000));
      },
    );
    try {
      await waitUntil(
        async () => (await committed(broker.bootstrap, groupId, "pc1"))[0] === "1",
        { what: "the commit of the slow batch" },
      );
      assert.deepEqual(deliveries, ["slow"], "delivered once");
      assert.equal(log.lines.filter((line) => /joined group/.test(line)).length, 1, "no rejoin");
    } finally {
      await subscription.stop();
    }
  },
});

Deno.test({
  name: "stop() finishes the batch in hand and commits it",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ topics: { pc1: 1 } });
    await produce(broker.bootstrap, "pc1", ["a"]);
    const groupId = group();
    const started = Promise.withResolvers<void>();
    let finished = false;
    const subscription = await subscriberFor(broker.bootstrap).subscribe(
      { topics: ["pc1"], groupId },
      async () => {
        started.resolve();
        await new Promise((resolve) => setTimeout(resolve, 500));
        finished = true;
      },
    );
    await started.promise;
    await subscription.stop();
    assert.equal(finished, true);
    assert.deepEqual(await committed(broker.bootstrap, groupId, "pc1"), { 0: "1" });
    await subscription.done;
  },
});

Deno.test({
  name: "subscribe() picks up listed topics created late and new topics matching the pattern",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ topics: { pc1: 1, "dev.a": 1, other: 1 } });
    const clock = createFakeClock(Date.now());
    const got = new Set<string>();
    const subscription = await subscriberFor(broker.bootstrap, { clock, topicRefreshMs: 1000 })
      .subscribe(
        { topics: ["pc1", "pc2"], topicPattern: /^dev\./, groupId: group() },
        (
          batch,
        ) => (batch.messages.forEach((m) => got.add(`${m.topic}:${text(m)}`)), Promise.resolve()),
      );
    try {
      await produce(broker.bootstrap, "pc1", ["1"]);
      await produce(broker.bootstrap, "dev.a", ["2"]);
      await produce(broker.bootstrap, "other", ["never"]);
      await waitUntil(() => got.size === 2, { what: "pc1 and dev.a" });
      await broker.createTopic("pc2", 1);
      await broker.createTopic("dev.b", 2);
      await produce(broker.bootstrap, "pc2", ["3"]);
      await produce(broker.bootstrap, "dev.b", ["4"]);
      await clock.advance(1000);
      await waitUntil(() => got.size === 4, { what: "the topics created later" });
      assert.deepEqual([...got].sort(), ["dev.a:2", "dev.b:4", "pc1:1", "pc2:3"]);
    } finally {
      await subscription.stop();
    }
  },
});

Deno.test({
  name: "a subscription that kafkajs gives up on ends with its error",
  ignore,
  async fn() {
    await using broker = await startTestBroker({ topics: { pc1: 1 } });
    const GROUP_AUTHORIZATION_FAILED = 30;
    await broker.pushErrors(ApiKey.JoinGroup, GROUP_AUTHORIZATION_FAILED);
    const log = createMemoryLogger("error");
    const subscription = await subscriberFor(broker.bootstrap, { log }).subscribe(
      { topics: ["pc1"], groupId: group() },
      () => Promise.resolve(),
    );
    await assert.rejects(subscription.done, /Not authorized to access group/);
    assert.ok(log.lines.some((line) => /consumer failed for good/.test(line)));
    await subscription.stop();
  },
});

Deno.test({
  name: "subscribe() fails naming the group when no broker answers",
  ignore,
  async fn() {
    const subscriber = subscriberFor(["127.0.0.1:1"], {
      kafka: testKafkaConfig(["127.0.0.1:1"], { retry: { retries: 0 } }),
    });
    await assert.rejects(
      subscriber.subscribe({ topics: ["pc1"], groupId: "g1" }, () => Promise.resolve()),
      /Cannot subscribe group 'g1'/,
    );
  },
});

Deno.test("createKafkaSubscriber() and subscribe() check their options", async (t) => {
  const kafka = { brokers: ["127.0.0.1:1"] };
  await t.step("topicRefreshMs", () =>
    assert.throws(
      () => createKafkaSubscriber({ kafka, log: silentLogger, topicRefreshMs: 5 }),
      /'topicRefreshMs' must be at least 100, got 5/,
    ));
  await t.step("heartbeat below session timeout", () =>
    assert.throws(
      () =>
        createKafkaSubscriber({
          kafka,
          log: silentLogger,
          consumer: { sessionTimeout: 1000, heartbeatInterval: 1000 },
        }),
      /'heartbeatInterval' \(1000\) must be below 'sessionTimeout' \(1000\)/,
    ));
  const subscriber = createKafkaSubscriber({ kafka, log: silentLogger });
  const handler = () => Promise.resolve();
  await t.step("a bad topic name", () =>
    assert.rejects(
      subscriber.subscribe({ topics: ["pc 1"], groupId: "g" }, handler),
      /topic 'pc 1' is not a Kafka topic name/,
    ));
  await t.step("nothing to consume", () =>
    assert.rejects(
      subscriber.subscribe({ topics: [], groupId: "g" }, handler),
      /give 'topics', a 'topicPattern' or both/,
    ));
});
