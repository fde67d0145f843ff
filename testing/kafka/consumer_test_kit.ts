/**
 * What the consumer's Kafka tests (and its throughput measurement) share: a
 * config for the test broker, kafkajs settings that make them quick,
 * producers that send readings the way devices do, and checks on what the
 * store holds.
 */
import { logLevel } from "kafkajs";
import { parseEnv } from "../../shared/config/parse_env.ts";
import { silentLogger } from "../../shared/log.ts";
import { encodeReading, type Reading } from "../../shared/reading/mod.ts";
import type { Store } from "../../shared/store/store.ts";
import { createKafkaSender } from "../../shared/transport/kafka/kafka_sender.ts";
import { testKafkaConfig } from "./mod.ts";
import { type ConsumerConfig, ConsumerConfigSchema } from "../../consumer/consumer_config.ts";
import type { KafkaConsumerDeps } from "../../consumer/start_kafka_consumer.ts";

export { brokerPeer } from "./broker_peer.ts";

/** The consumer's environment for the test broker: its own group and KV file. */
export function testEnv(bootstrap: string[], env: Record<string, string> = {}) {
  return {
    KAFKA_BROKERS: bootstrap.join(","),
    CONSUMER_GROUP: `test-${crypto.randomUUID()}`,
    KAFKA_SESSION_TIMEOUT_MS: "1500",
    LOG_LEVEL: "warn",
    ...env,
  };
}

export function testConfig(
  bootstrap: string[],
  env: Record<string, string> = {},
): ConsumerConfig {
  return parseEnv(ConsumerConfigSchema, testEnv(bootstrap, env));
}

/** kafkajs settings for tests: quiet, short retries, quick fetches, no topic auto-creation. */
export const FAST: NonNullable<KafkaConsumerDeps["tuning"]> = {
  kafka: {
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
  },
  consumer: { maxWaitTimeInMs: 100, rebalanceTimeout: 5_000 },
  sender: { allowAutoTopicCreation: false, sendTimeoutMs: 5_000 },
};

/** A device's producer: sends each reading, keyed by device, to the topic named after it. */
export async function sendReadings(
  bootstrap: string[],
  readings: readonly Reading[],
  options: { perSend?: number; encode?: (reading: Reading) => Uint8Array } = {},
): Promise<void> {
  const perSend = options.perSend ?? 10;
  const encode = options.encode ?? encodeReading;
  const sender = createKafkaSender({
    kafka: testKafkaConfig(bootstrap),
    log: silentLogger,
    allowAutoTopicCreation: false,
  });
  try {
    for (let i = 0; i < readings.length; i += perSend) {
      await sender.send(
        readings.slice(i, i + perSend).map((reading) => ({
          topic: reading.device,
          key: reading.device,
          value: encode(reading),
        })),
      );
    }
  } finally {
    await sender.close();
  }
}

/** Sends raw byte messages to one topic, in order. */
export async function sendBytes(bootstrap: string[], topic: string, values: Uint8Array[]) {
  const sender = createKafkaSender({
    kafka: testKafkaConfig(bootstrap),
    log: silentLogger,
    allowAutoTopicCreation: false,
  });
  try {
    for (const value of values) await sender.send([{ topic, key: topic, value }]);
  } finally {
    await sender.close();
  }
}

/** Every uuid stored for a device, oldest first, paging through the store. */
export async function storedUuids(store: Store, device: string): Promise<string[]> {
  const uuids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listReadings(device, { limit: 1000, order: "asc", cursor });
    uuids.push(...page.items.map((r) => r.uuid));
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return uuids;
}

/** How many readings the device summaries count, over `devices`. */
export async function countedReadings(store: Store, devices: string[]): Promise<number> {
  let total = 0;
  for (const device of devices) total += (await store.getDevice(device))?.readings ?? 0;
  return total;
}

/**
 * Checks that the store holds each of `readings` exactly once: the listed
 * uuids are those sent, each once, and the device counters (which a stored
 * duplicate would bump) agree.
 */
export async function storedExactlyOnce(store: Store, readings: readonly Reading[]) {
  const devices = [...new Set(readings.map((r) => r.device))].sort();
  const listed: string[] = [];
  for (const device of devices) listed.push(...await storedUuids(store, device));
  return {
    listed: listed.sort(),
    expected: readings.map((r) => r.uuid).sort(),
    counted: await countedReadings(store, devices),
  };
}

/** A temporary folder for KV files, removed when the test is done with it. */
export async function aTempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "stresswatch-test-" });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}
