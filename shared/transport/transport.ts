/**
 * The Transport port: how readings travel from producers to the consumer.
 * Embedded: an in-process queue. Real: Kafka.
 */

/** A message to send. `key` keeps one device's readings in order. */
export interface OutgoingMessage {
  topic: string;
  key: string | null;
  value: Uint8Array;
  headers?: Record<string, string>;
}

/** A message as the consumer receives it, with where it came from. */
export interface IncomingMessage {
  topic: string;
  partition: number;
  /** Kafka offsets are 64-bit, so they travel as strings. */
  offset: string;
  key: string | null;
  value: Uint8Array;
  /** Broker time, ms since epoch. */
  timestamp: number;
  headers?: Record<string, string>;
}

/** A batch handed to the consumer's handler. */
export interface Batch {
  messages: readonly IncomingMessage[];
  /**
   * Kafka: the partition's end offset (high watermark) when the batch was
   * fetched, so the consumer's lag after it is `highWatermark - (last offset
   * + 1)`. A batch from Kafka holds one topic-partition.
   */
  highWatermark?: string;
  /** Tells the group this consumer is alive during long work on a batch. */
  heartbeat(): Promise<void>;
}

/**
 * Handles one batch. When it resolves, the batch's offsets are committed;
 * when it throws, nothing is committed and the batch is delivered again.
 */
export type BatchHandler = (batch: Batch) => Promise<void>;

export interface SubscribeOptions {
  /** Topics to read. */
  topics: readonly string[];
  /** Also read every topic whose name matches. */
  topicPattern?: RegExp;
  /** Consumers with the same group id share the partitions. */
  groupId: string;
}

export interface Subscription {
  /** Finishes the batch in hand, commits it, and stops. */
  stop(): Promise<void>;
  /** Settles when the subscription ends; rejects if it ended on an error. */
  readonly done: Promise<void>;
}

export interface Transport {
  /** Resolves once the transport has accepted every message (for Kafka: acknowledged). */
  send(messages: readonly OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions, handler: BatchHandler): Promise<Subscription>;
  close(): Promise<void>;
}
