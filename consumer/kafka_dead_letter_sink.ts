import { decodeBase64 } from "../shared/base64.ts";
import { TOPIC_NAME, TOPIC_NAME_RULE } from "../shared/transport/kafka/topic_name.ts";
import type { OutgoingMessage } from "../shared/transport/transport.ts";
import type { DeadLetterSink } from "./dead_letter_sink.ts";

/** The dead-letter topic unless configured otherwise (`DLQ_TOPIC`). */
export const DEFAULT_DLQ_TOPIC = "readings.dlq";

/**
 * Headers of a dead letter on Kafka. The value is the refused message's
 * original bytes and the key its original key, so a fixed consumer can
 * replay them as they were; the headers say where they came from and why
 * they were refused (as Kafka Connect's dead-letter queues do).
 */
export const DLQ_HEADERS = {
  topic: "dlq.source.topic",
  partition: "dlq.source.partition",
  offset: "dlq.source.offset",
  error: "dlq.error",
  receivedAt: "dlq.received_at",
  id: "dlq.id",
} as const;

export interface KafkaDeadLetterSinkOptions {
  /** Sends and resolves once Kafka acknowledged: the Kafka transport's `send`. */
  send: (messages: readonly OutgoingMessage[]) => Promise<void>;
  /** Default {@linkcode DEFAULT_DLQ_TOPIC}. */
  topic?: string;
}

/**
 * Dead letters to a Kafka topic. `send` resolves only once the broker has
 * acknowledged the letter and throws otherwise, so the pipeline fails the
 * batch and nothing after the refused message is committed: bad input is
 * never dropped, even while the dead-letter topic cannot be written.
 */
export function createKafkaDeadLetterSink(options: KafkaDeadLetterSinkOptions): DeadLetterSink {
  const topic = options.topic ?? DEFAULT_DLQ_TOPIC;
  if (!TOPIC_NAME.test(topic)) {
    throw new RangeError(
      `Cannot create dead-letter sink: '${topic}' is not a Kafka topic name (${TOPIC_NAME_RULE})`,
    );
  }
  return {
    async send(letter) {
      const headers: Record<string, string> = {
        [DLQ_HEADERS.topic]: letter.topic,
        [DLQ_HEADERS.error]: letter.error,
        [DLQ_HEADERS.receivedAt]: letter.received_at,
        [DLQ_HEADERS.id]: letter.id,
      };
      if (letter.partition !== null) headers[DLQ_HEADERS.partition] = String(letter.partition);
      if (letter.offset !== null) headers[DLQ_HEADERS.offset] = letter.offset;
      try {
        await options.send([{
          topic,
          key: letter.key,
          value: decodeBase64(letter.value_base64),
          headers,
        }]);
      } catch (error) {
        throw new Error(
          `Cannot write dead letter ${letter.id} to '${topic}': ${(error as Error).message}`,
          { cause: error },
        );
      }
    },
  };
}
