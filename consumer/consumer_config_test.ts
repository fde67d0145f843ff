import assert from "node:assert/strict";
import { parseEnv } from "../shared/config/parse_env.ts";
import { ConsumerConfigSchema, heartbeatIntervalFor, subscriptionOf } from "./consumer_config.ts";

const BROKERS = { KAFKA_BROKERS: "127.0.0.1:9092" };

Deno.test("ConsumerConfigSchema has a default for everything but the brokers", () => {
  const config = parseEnv(ConsumerConfigSchema, BROKERS);
  assert.equal(config.CONSUMER_GROUP, "stresswatch-consumer");
  assert.deepEqual(config.KAFKA_TOPICS, ["pc1", "pc2", "raspberry"]);
  assert.equal(config.KAFKA_TOPIC_PREFIX, undefined);
  assert.equal(config.DLQ_TOPIC, "readings.dlq");
  assert.equal(config.KAFKA_SESSION_TIMEOUT_MS, 30_000);
  assert.equal(config.KAFKA_TOPIC_REFRESH_S, 30);
  assert.equal(config.DATA_DIR, "./data");
  assert.equal(config.ALERT_THRESHOLD, 0.5);
  assert.equal(config.LOG_LEVEL, "info");
});

Deno.test("ConsumerConfigSchema names what is wrong", async (t) => {
  const fails = (env: Record<string, string>, pattern: RegExp) =>
    assert.throws(() => parseEnv(ConsumerConfigSchema, { ...BROKERS, ...env }), pattern);
  await t.step(
    "no brokers",
    () => assert.throws(() => parseEnv(ConsumerConfigSchema, {}), /KAFKA_BROKERS is not set/),
  );
  await t.step(
    "a topic Kafka would refuse",
    () => fails({ KAFKA_TOPICS: "pc1,my pc" }, /KAFKA_TOPICS is 'pc1,my pc': each topic must be/),
  );
  await t.step("the dead-letter topic among the topics", () =>
    fails(
      { KAFKA_TOPICS: "pc1,readings.dlq" },
      /KAFKA_TOPICS .*lists the dead-letter topic 'readings.dlq'; consuming it would loop/,
    ));
  await t.step(
    "a session timeout below 1 s",
    () =>
      fails(
        { KAFKA_SESSION_TIMEOUT_MS: "500" },
        /KAFKA_SESSION_TIMEOUT_MS is '500': must be at least 1000/,
      ),
  );
  await t.step(
    "a bad prefix",
    () => fails({ KAFKA_TOPIC_PREFIX: "a/b" }, /KAFKA_TOPIC_PREFIX is 'a\/b'/),
  );
});

Deno.test("subscriptionOf() reads the listed topics and the prefix, never the dead-letter topic", () => {
  const config = parseEnv(ConsumerConfigSchema, {
    ...BROKERS,
    KAFKA_TOPICS: "pc1, raspberry",
    KAFKA_TOPIC_PREFIX: "readings.",
    DLQ_TOPIC: "readings.dlq",
    CONSUMER_GROUP: "g",
  });
  const subscription = subscriptionOf(config);
  assert.equal(subscription.groupId, "g");
  assert.deepEqual(subscription.topics, ["pc1", "raspberry"]);
  const pattern = subscription.topicPattern!;
  assert.equal(pattern.test("readings.pc3"), true);
  assert.equal(pattern.test("readings.dlq"), false);
  assert.equal(pattern.test("readings.dlq2"), true);
  assert.equal(pattern.test("readingsXpc3"), false, "the dot is literal");
  assert.equal(pattern.test("old.readings.pc3"), false, "a prefix, not a substring");
  assert.equal(subscriptionOf(parseEnv(ConsumerConfigSchema, BROKERS)).topicPattern, undefined);
});

Deno.test("heartbeatIntervalFor() is a tenth of the session timeout, at least 100 ms", () => {
  assert.equal(heartbeatIntervalFor(30_000), 3_000);
  assert.equal(heartbeatIntervalFor(1_500), 150);
  assert.equal(heartbeatIntervalFor(1_000), 100);
});
