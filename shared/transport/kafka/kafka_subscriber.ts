import { type ConsumerConfig, Kafka, type KafkaConfig } from "kafkajs";
import { type Clock, systemClock } from "../../clock.ts";
import type { Logger } from "../../log.ts";
import type { BatchHandler, SubscribeOptions, Subscription } from "../transport.ts";
import { createEachBatch } from "./_each_batch.ts";
import { watchTopics } from "./_topic_watcher.ts";
import { TOPIC_NAME, TOPIC_NAME_RULE } from "./topic_name.ts";

export interface KafkaSubscriberOptions {
  /** kafkajs client options, e.g. from `kafkaClientConfig(env)`. */
  kafka: KafkaConfig;
  log: Logger;
  clock?: Clock;
  /** kafkajs consumer settings over {@linkcode KAFKA_CONSUMER_DEFAULTS}. */
  consumer?: Partial<Omit<ConsumerConfig, "groupId">>;
  /** How often to look for new topics to consume (pattern matches, listed topics created late). Default 30 s. */
  topicRefreshMs?: number;
  /** Partitions whose batches are handled at the same time. Default 1. */
  concurrency?: number;
}

export interface KafkaSubscriber {
  /** Joins the group and hands each partition's batches to `handler` (see `Transport.subscribe`). */
  subscribe(options: SubscribeOptions, handler: BatchHandler): Promise<Subscription>;
}

/**
 * kafkajs consumer defaults. The session timeout is kafkajs's own; fetches
 * wait at most 1 s for data so that stopping (which waits for the fetch in
 * flight) is quick; the consumer never creates topics.
 */
export const KAFKA_CONSUMER_DEFAULTS = {
  sessionTimeout: 30_000,
  heartbeatInterval: 3_000,
  maxWaitTimeInMs: 1_000,
  allowAutoTopicCreation: false,
} as const satisfies Partial<ConsumerConfig>;

/** How often a subscriber looks for new topics, and how many partitions it handles at once. */
export const KAFKA_SUBSCRIBER_DEFAULTS = { topicRefreshMs: 30_000, concurrency: 1 } as const;

/**
 * The consuming side of the Kafka transport: one kafkajs consumer per
 * subscription, in a consumer group, at least once (see `_each_batch.ts`).
 *
 * A new group starts at the oldest message kept, so readings sent before
 * the consumer first ran are not skipped. Listed topics that do not exist
 * yet, and topics matching the pattern that appear later, are picked up by
 * a periodic look at the cluster's topics: the consumer then stops (after
 * committing the batch in hand), subscribes to them too and runs again.
 * Internal topics (`__consumer_offsets`) never match the pattern.
 */
export function createKafkaSubscriber(options: KafkaSubscriberOptions): KafkaSubscriber {
  const { topicRefreshMs, concurrency } = { ...KAFKA_SUBSCRIBER_DEFAULTS, ...options };
  const consumerConfig = { ...KAFKA_CONSUMER_DEFAULTS, ...options.consumer };
  if (!Number.isFinite(topicRefreshMs) || topicRefreshMs < 100) {
    throw new RangeError(
      `Cannot create Kafka subscriber: 'topicRefreshMs' must be at least 100, got ${topicRefreshMs}`,
    );
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(
      `Cannot create Kafka subscriber: 'concurrency' must be a positive integer, got ${concurrency}`,
    );
  }
  if (!(consumerConfig.heartbeatInterval < consumerConfig.sessionTimeout)) {
    throw new RangeError(
      `Cannot create Kafka subscriber: 'heartbeatInterval' (${consumerConfig.heartbeatInterval}) must be below 'sessionTimeout' (${consumerConfig.sessionTimeout})`,
    );
  }
  const clock = options.clock ?? systemClock;
  const kafka = new Kafka(options.kafka);

  return {
    async subscribe(subscribe, handler) {
      checkSubscribeOptions(subscribe);
      const { groupId } = subscribe;
      const log = options.log.child(groupId);
      const pattern = subscribe.topicPattern
        ? new RegExp(
          subscribe.topicPattern.source,
          subscribe.topicPattern.flags.replace(/[gy]/g, ""),
        )
        : null;
      const wanted = (topic: string) =>
        subscribe.topics.includes(topic) ||
        (pattern !== null && !topic.startsWith("__") && pattern.test(topic));

      const admin = kafka.admin();
      const consumer = kafka.consumer({ ...consumerConfig, groupId });
      const ended = Promise.withResolvers<void>();
      let failure: Error | null = null;

      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        log.info("joined group", {
          assigned: Object.entries(payload.memberAssignment)
            .map(([topic, partitions]) => `${topic}:${partitions.join("+")}`).join(",") ||
            "nothing",
        });
      });
      const eachBatch = createEachBatch({
        handler,
        clock,
        heartbeatMs: consumerConfig.heartbeatInterval,
        log,
      });
      const run = () =>
        consumer.run({
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: concurrency,
          eachBatch,
        });

      const watcher = watchTopics({
        listTopics: () => admin.listTopics(),
        wanted,
        take: async (fresh) => {
          await consumer.stop(); // a no-op before the first run; commits the batch in hand
          await consumer.subscribe({ topics: fresh, fromBeginning: true });
          await run();
        },
        clock,
        intervalMs: topicRefreshMs,
        log,
      });

      let stopping: Promise<void> | null = null;
      const stop = () =>
        stopping ??= (async () => {
          try {
            await watcher.stop();
            await consumer.disconnect(); // finishes and commits the batch in hand, leaves the group
            await admin.disconnect();
          } finally {
            if (failure) ended.reject(failure);
            else ended.resolve();
          }
        })();

      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (payload.restart) {
          log.warn("consumer failed, kafkajs restarts it", { error: payload.error.message });
          return;
        }
        log.error("consumer failed for good", { error: payload.error.message });
        failure = payload.error;
        stop().catch((error) => log.error("cannot disconnect", { error: error.message }));
      });

      try {
        await admin.connect();
        await consumer.connect();
        await watcher.check();
      } catch (error) {
        // The error to report is the first one; a failed clean-up after it adds nothing.
        await consumer.disconnect().catch(() => {});
        await admin.disconnect().catch(() => {});
        throw new Error(
          `Cannot subscribe group '${groupId}': ${(error as Error).message}`,
          { cause: error },
        );
      }
      watcher.start();
      const missing = subscribe.topics.filter((topic) => !watcher.taken.has(topic));
      log.info("subscribed", {
        topics: [...watcher.taken].sort().join(",") || "none yet",
        pattern: pattern?.source,
        waiting_for: missing.join(",") || undefined,
      });
      return { stop, done: ended.promise };
    },
  };
}

function checkSubscribeOptions(options: SubscribeOptions): void {
  if (!options.groupId) {
    throw new RangeError("Cannot subscribe: 'groupId' must not be empty");
  }
  for (const topic of options.topics) {
    if (!TOPIC_NAME.test(topic)) {
      throw new RangeError(
        `Cannot subscribe: topic '${topic}' is not a Kafka topic name (${TOPIC_NAME_RULE})`,
      );
    }
  }
  if (options.topics.length === 0 && !options.topicPattern) {
    throw new RangeError("Cannot subscribe: give 'topics', a 'topicPattern' or both");
  }
}
