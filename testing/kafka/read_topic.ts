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
 * Reads `topic` from the start, in a fresh group, for checking what landed
 * there (a dead-letter topic, a producer's output), until `enough` messages
 * arrived: a count, or a check of the messages so far. Fails after
 * `timeoutMs` saying how many it got.
 */
export async function readTopic(
  bootstrap: string[],
  topic: string,
  enough: number | ((messages: readonly ReadMessage[]) => boolean),
  timeoutMs = 15_000,
): Promise<ReadMessage[]> {
  const done = typeof enough === "number"
    ? (got: readonly ReadMessage[]) => got.length >= enough
    : enough;
  const wanted = typeof enough === "number" ? `${enough}` : "enough";
  const consumer = new Kafka(testKafkaConfig(bootstrap)).consumer(testConsumerConfig());
  const got: ReadMessage[] = [];
  const finished = Promise.withResolvers<void>();
  const timer = setTimeout(
    () =>
      finished.reject(
        new Error(
          `read ${got.length} messages from '${topic}' within ${timeoutMs} ms, not ${wanted}`,
        ),
      ),
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
        if (done(got)) finished.resolve();
        return Promise.resolve();
      },
    });
    await finished.promise;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return got;
}
