import { type ConsumerConfig, type KafkaConfig, logLevel, type ProducerConfig } from "kafkajs";

/**
 * kafkajs settings that keep tests against the kafka test broker quiet, fast
 * and free of surprises. Why each value (measured against the mock broker):
 *
 * - `retry` short: a send to a downed broker fails in well under a second
 *   instead of after kafkajs's default ~30 s of back-off.
 * - `allowAutoTopicCreation: false`: otherwise a typo in a topic name creates
 *   a 4-partition topic silently (kafkajs defaults to true, the mock obeys).
 * - `sessionTimeout: 1500`: the mock waits `sessionTimeout - 1000` ms for
 *   members after any join or leave of a non-empty group (it ignores
 *   `rebalanceTimeout`), so the kafkajs default of 30 s means 29 s
 *   rebalances; 1500 gives 0.5 s. `heartbeatInterval` must be well below it.
 *   kafkajs heartbeats only between batches (or when `heartbeat()` is called
 *   in `eachBatch`), so a handler that blocks longer than the session timeout
 *   gets its member evicted: raise both for slow handlers.
 * - `maxWaitTimeInMs: 100`: `consumer.disconnect()` waits for the fetch in
 *   flight, which otherwise takes the default 5 s on an idle topic.
 */
export function testKafkaConfig(
  brokers: string[],
  overrides: Partial<KafkaConfig> = {},
): KafkaConfig {
  return {
    clientId: "test",
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 5_000,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
    ...overrides,
  };
}

/** A consumer of its own, fresh group (groups are slow to share between tests). */
export function testConsumerConfig(overrides: Partial<ConsumerConfig> = {}): ConsumerConfig {
  return {
    groupId: `test-${crypto.randomUUID()}`,
    allowAutoTopicCreation: false,
    sessionTimeout: 1_500,
    rebalanceTimeout: 5_000,
    heartbeatInterval: 200,
    maxWaitTimeInMs: 100,
    ...overrides,
  };
}

export function testProducerConfig(overrides: Partial<ProducerConfig> = {}): ProducerConfig {
  return { allowAutoTopicCreation: false, ...overrides };
}
