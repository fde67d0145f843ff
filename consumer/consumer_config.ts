import { z } from "zod";
import { AlertsEnv } from "../shared/config/alerts_env.ts";
import { KafkaEnv } from "../shared/config/kafka_env.ts";
import { LogEnv } from "../shared/config/log_env.ts";
import { ModelsEnv } from "../shared/config/models_env.ts";
import { composeEnv, envInt, envNumber } from "../shared/config/parse_env.ts";
import { S3Env } from "../shared/config/s3_env.ts";
import { MetricsEnv } from "../shared/config/metrics_env.ts";
import { OutboxEnv } from "../shared/config/outbox_env.ts";
import { StoreAdapterEnv, StoreEnv } from "../shared/config/store_env.ts";
import { TelegramEnv } from "../shared/config/telegram_env.ts";
import {
  KAFKA_CONSUMER_DEFAULTS,
  KAFKA_SUBSCRIBER_DEFAULTS,
} from "../shared/transport/kafka/kafka_subscriber.ts";
import { TOPIC_NAME, TOPIC_NAME_RULE } from "../shared/transport/kafka/topic_name.ts";
import type { SubscribeOptions } from "../shared/transport/transport.ts";
import { DEFAULT_DLQ_TOPIC } from "./kafka_dead_letter_sink.ts";

/**
 * Partitions whose batches the pipeline handles at once. Their saves are
 * written together (`coalesceSaves()`), so a consumer that keeps up with
 * small batches makes few store writes a second.
 */
export const PARTITIONS_CONCURRENTLY = 12;

/** The topics of the system this replaces: one per device. */
export const DEFAULT_TOPICS = ["pc1", "pc2", "raspberry"];

/** What the consumer reads from Kafka and where refused messages go. */
const ConsumeEnv = z.object({
  CONSUMER_GROUP: z.string().regex(TOPIC_NAME, { error: `must be ${TOPIC_NAME_RULE}` })
    .default("stresswatch-consumer"),
  KAFKA_TOPICS: z.string()
    .transform((text) => text.split(",").map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(TOPIC_NAME, { error: `each topic must be ${TOPIC_NAME_RULE}` })))
    .default(DEFAULT_TOPICS),
  KAFKA_TOPIC_PREFIX: z.string().regex(TOPIC_NAME, { error: `must be ${TOPIC_NAME_RULE}` })
    .optional(),
  KAFKA_TOPIC_REFRESH_S: envNumber(1, 3600)
    .default(KAFKA_SUBSCRIBER_DEFAULTS.topicRefreshMs / 1000),
  KAFKA_SESSION_TIMEOUT_MS: envInt(1000, 300_000).default(KAFKA_CONSUMER_DEFAULTS.sessionTimeout),
  KAFKA_PARTITIONS_CONCURRENTLY: envInt(1, 100).default(PARTITIONS_CONCURRENTLY),
  DLQ_TOPIC: z.string().regex(TOPIC_NAME, { error: `must be ${TOPIC_NAME_RULE}` })
    .default(DEFAULT_DLQ_TOPIC),
}).superRefine((config, ctx) => {
  if (config.KAFKA_TOPICS.includes(config.DLQ_TOPIC)) {
    ctx.addIssue({
      code: "custom",
      path: ["KAFKA_TOPICS"],
      message: `lists the dead-letter topic '${config.DLQ_TOPIC}'; consuming it would loop`,
    });
  }
});

/**
 * `deno task consumer`'s settings: how to reach Kafka (`KAFKA_*`, shared
 * with the producer), what to consume, where to store (Deno KV or
 * DynamoDB), which models, how to alert (Telegram), where to serve
 * `/metrics`. The README's configuration table lists them.
 */
export const ConsumerConfigSchema = composeEnv(
  KafkaEnv,
  ConsumeEnv,
  StoreEnv,
  StoreAdapterEnv,
  ModelsEnv,
  S3Env,
  AlertsEnv,
  TelegramEnv,
  OutboxEnv,
  MetricsEnv,
  LogEnv,
);

export type ConsumerConfig = z.output<typeof ConsumerConfigSchema>;

/**
 * What the consumer group reads: the listed topics, plus every topic that
 * starts with the prefix except the dead-letter topic.
 */
export function subscriptionOf(config: ConsumerConfig): SubscribeOptions {
  const prefix = config.KAFKA_TOPIC_PREFIX;
  return {
    groupId: config.CONSUMER_GROUP,
    topics: config.KAFKA_TOPICS,
    ...(prefix
      ? { topicPattern: new RegExp(`^(?!${escape(config.DLQ_TOPIC)}$)${escape(prefix)}`) }
      : {}),
  };
}

/** The heartbeat interval for a session timeout: a tenth, as kafkajs's defaults (3 s of 30 s). */
export function heartbeatIntervalFor(sessionTimeoutMs: number): number {
  return Math.max(100, Math.round(sessionTimeoutMs / 10));
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
