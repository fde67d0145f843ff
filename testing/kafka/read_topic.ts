import { Kafka } from "kafkajs";
import { testConsumerConfig, testKafkaConfig } from "./kafkajs_test_config.ts";

/** A message as a test reads it back. */
export interface ReadMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: Uint8Array;
  headers: Record<string, string>;
}

/**
 * Reads `count` messages of `topic` from the start, in a fresh group, for
 * checking what landed there (a dead-letter topic, a producer's output).
 * Fails after `timeoutMs` saying how many it got.
 */
export async function readTopic(
  bootstrap: string[],
  topic: string,
  count: number,
  timeoutMs = 15_000,
): Promise<ReadMessage[]> {
  const consumer = new Kafka(testKafkaConfig(bootstrap)).consumer(testConsumerConfig());
  const got: ReadMessage[] = [];
  const enough = Promise.withResolvers<void>();
  const timer = setTimeout(
    () => enough.reject(new Error(`read ${got.length} of ${count} messages from '${topic}'`)),
    timeoutMs,
  );
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) {
          if (value !== undefined) headers[name] = String(Array.isArray(value) ? value[0] : value);
        }
        got.push({
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: new Uint8Array(message.value ?? []),
          headers,
        });
        if (got.length >= count) enough.resolve();
        return Promise.resolve();
      },
    });
    await enough.promise;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return got;
}
