import type { KafkaConfig } from "kafkajs";
import { type Clock, systemClock } from "../shared/clock.ts";
import type { Logger } from "../shared/log.ts";
import { encodeReading, type Reading } from "../shared/reading/mod.ts";
import { createKafkaSender } from "../shared/transport/kafka/kafka_sender.ts";
import { type DiskBufferStats, openDiskBuffer } from "./buffer/disk_buffer.ts";
import {
  type BufferedDeliveryStats,
  createBufferedDelivery,
  type MessageSender,
} from "./buffered_delivery.ts";
import { createFramingSender } from "./framing_sender.ts";
import {
  readingJsonSchema,
  registerJsonSchema,
  type SchemaRegistryOptions,
} from "./schema_registry.ts";

export interface BufferedProducerOptions {
  /** kafkajs client options: `kafkaClientConfig(env)` on a device, `testKafkaConfig(bootstrap)` in tests. */
  kafka: KafkaConfig;
  /** Topic of every reading. Default: the reading's device name (one topic per device). */
  topic?: string;
  /** Folder of the disk buffer. */
  bufferDir: string;
  /** Disk buffer bound in bytes. Default 160 MiB. */
  bufferMaxBytes?: number;
  /** Disk buffer bound in age, ms. Default 7 days. */
  bufferMaxAgeMs?: number;
  /** When set, messages are framed with the id of the reading schema registered there. */
  schemaRegistry?: SchemaRegistryOptions;
  /** A send not acknowledged within this time counts as failed and is buffered. Default 15 s. */
  sendTimeoutMs?: number;
  /** Let the broker create the device's topic on first use. Default true. */
  allowAutoTopicCreation?: boolean;
  /** Back-off between replay attempts while the broker is away, ms. Defaults 1000 and 30000. */
  retryMinMs?: number;
  retryMaxMs?: number;
  clock?: Clock;
  log: Logger;
}

export interface BufferedProducer {
  /** Resolves when Kafka acknowledged the reading (`sent`) or it is safe on disk (`buffered`). */
  send(reading: Reading): Promise<"sent" | "buffered">;
  /** Resolves the next time the buffer is empty and live sending resumed. */
  caughtUp(): Promise<void>;
  stats(): BufferedDeliveryStats & { buffer: DiskBufferStats };
  /** Flushes what is in flight (to Kafka or to the buffer) and closes everything. */
  close(): Promise<void>;
}

/**
 * The producer's sending side, ready to use: readings to Kafka (keyed by
 * device, acks from all in-sync replicas), optionally framed for the Schema
 * Registry, through a disk buffer that keeps them while the broker cannot
 * be reached and replays them in order when it is back.
 *
 * @example
 * ```ts
 * await using broker = await startTestBroker({ topics: { pc1: 1 } });
 * const producer = await createBufferedProducer({
 *   kafka: testKafkaConfig(broker.bootstrap),
 *   bufferDir: await Deno.makeTempDir(),
 *   allowAutoTopicCreation: false,
 *   sendTimeoutMs: 1000,
 *   log,
 * });
 * await producer.send(reading); // "sent", or "buffered" while the brokers are down
 * await producer.close();
 * ```
 */
export async function createBufferedProducer(
  options: BufferedProducerOptions,
): Promise<BufferedProducer> {
  const { log } = options;
  const clock = options.clock ?? systemClock;
  const registry = options.schemaRegistry;
  const subject = registry ? subjectFor(options.topic) : null;
  const buffer = await openDiskBuffer({
    dir: options.bufferDir,
    maxBytes: options.bufferMaxBytes,
    maxAgeMs: options.bufferMaxAgeMs,
    clock,
    log: log.child("buffer"),
  });
  let kafka;
  try {
    kafka = createKafkaSender({
      kafka: options.kafka,
      log: log.child("kafka"),
      sendTimeoutMs: options.sendTimeoutMs,
      allowAutoTopicCreation: options.allowAutoTopicCreation,
    });
  } catch (error) {
    await buffer.close();
    throw error;
  }
  const sender: MessageSender = registry && subject
    ? createFramingSender({
      sender: kafka,
      schemaId: () => registerJsonSchema(registry, subject, readingJsonSchema()),
      log,
    })
    : kafka;
  const delivery = createBufferedDelivery({
    sender,
    buffer,
    clock,
    log,
    retryMinMs: options.retryMinMs,
    retryMaxMs: options.retryMaxMs,
  });
  return {
    send: (reading) =>
      delivery.deliver({
        topic: options.topic ?? reading.device,
        key: reading.device,
        value: encodeReading(reading),
      }),
    caughtUp: () => delivery.caughtUp(),
    stats: () => ({ ...delivery.stats(), buffer: buffer.stats() }),
    async close() {
      await delivery.close();
      await kafka.close().catch((error) =>
        log.warn("Kafka did not close cleanly", { error: (error as Error).message })
      );
      await buffer.close();
    },
  };
}

/** The Schema Registry subject of a topic's values (Confluent's TopicNameStrategy). */
export function subjectFor(topic: string | undefined): string {
  if (topic === undefined) {
    throw new RangeError(
      "Cannot use the Schema Registry: 'topic' must be set (the subject is <topic>-value)",
    );
  }
  return `${topic}-value`;
}
