import { z } from "zod";
import { envInt, envLogLevel, envNumber, envNumberMap } from "../shared/config/parse_env.ts";
import { ModelRegistryEnvSchema } from "../shared/models/open_model_registry.ts";
import { KafkaEnvSchema } from "../shared/transport/kafka/kafka_config.ts";
import { TOPIC_NAME, TOPIC_NAME_RULE } from "../shared/transport/kafka/topic_name.ts";
import type { SubscribeOptions } from "../shared/transport/transport.ts";
import { DEFAULT_DLQ_TOPIC } from "./kafka_dead_letter_sink.ts";

/** The topics of the system this replaces: one per device. */
export const DEFAULT_TOPICS = ["pc1", "pc2", "raspberry"];

/**
 * `deno task consumer`'s settings: how to reach Kafka (`KAFKA_*`, shared
 * with the producer), what to consume, where to store, how to alert. The
 * README's configuration table lists them.
 */
export const ConsumerConfigSchema = KafkaEnvSchema.safeExtend({
  CONSUMER_GROUP: z.string().regex(TOPIC_NAME, { error: `must be ${TOPIC_NAME_RULE}` })
    .default("stresswatch-consumer"),
  KAFKA_TOPICS: z.string()
    .transform((text) => text.split(",").map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(TOPIC_NAME, { error: `each topic must be ${TOPIC_NAME_RULE}` })))
    .default(DEFAULT_TOPICS),
  KAFKA_TOPIC_PREFIX: z.string().regex(TOPIC_NAME, { error: `must be ${TOPIC_NAME_RULE}` })
    .optional(),
  KAFKA_TOPIC_REFRESH_S: envNumber(1, 3600).default(30),
  KAFKA_SESSION_TIMEOUT_MS: envInt(1000, 300_000).default(30_000),
  DLQ_TOPIC: z.string().regex(TOPIC_NAME, { error: `must be ${TOPIC_NAME_RULE}` })
    .default(DEFAULT_DLQ_TOPIC),
  DATA_DIR: z.string().default("./data"),
  KV_PATH: z.string().optional(),
  ...ModelRegistryEnvSchema.shape,
  ALERT_THRESHOLD: envNumber(0.01, 1).default(0.5),
  ALERT_COOLDOWN_S: envInt(0, 86_400).default(900),
  HOT_LIMITS: envNumberMap(30, 130).default({}),
  LOG_LEVEL: envLogLevel().default("info"),
}).superRefine((config, ctx) => {
  if (config.KAFKA_TOPICS.includes(config.DLQ_TOPIC)) {
    ctx.addIssue({
      code: "custom",
      path: ["KAFKA_TOPICS"],
      message: `lists the dead-letter topic '${config.DLQ_TOPIC}'; consuming it would loop`,
    });
  }
});

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
