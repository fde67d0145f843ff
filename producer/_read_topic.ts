import { Kafka } from "kafkajs";
import { testConsumerConfig, testKafkaConfig } from "../testing/kafka/mod.ts";

export interface TopicMessage {
  key: string | null;
  value: Uint8Array;
  partition: number;
  offset: string;
}

/**
 * Test helper: reads a topic from the beginning with a fresh consumer group
 * until `enough(messages)` holds, or fails after `timeoutMs`.
 */
export async function readTopic(
  bootstrap: string[],
  topic: string,
  enough: (messages: TopicMessage[]) => boolean,
  timeoutMs = 10_000,
): Promise<TopicMessage[]> {
  const consumer = new Kafka(testKafkaConfig(bootstrap)).consumer(testConsumerConfig());
  const messages: TopicMessage[] = [];
  const done = Promise.withResolvers<void>();
  const timer = setTimeout(
    () =>
      done.reject(
        new Error(
          `read ${messages.length} messages of ${topic} within ${timeoutMs} ms, not enough`,
        ),
      ),
    timeoutMs,
  );
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message, partition }) => {
        messages.push({
          key: message.key?.toString() ?? null,
          value: new Uint8Array(message.value ?? []),
          partition,
          offset: message.offset,
        });
        if (enough(messages)) done.resolve();
        return Promise.resolve();
      },
    });
    await done.promise;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return messages;
}
