import { z } from "zod";
import { bothOrNeither } from "./parse_env.ts";

/**
 * Config piece: how to reach Kafka. Shared by the producer agent and the
 * consumer so both read the same variables the same way.
 *
 * Confluent Cloud: `KAFKA_BROKERS=pkc-xxxx.region.provider.confluent.cloud:9092`,
 * `KAFKA_USERNAME` = API key, `KAFKA_PASSWORD` = API secret; SSL turns on by
 * itself when a username is given (`kafkaClientConfig()`).
 */
export const KafkaEnv = z.object({
  KAFKA_BROKERS: z.string({ error: "is required: a comma-separated list of host:port" })
    .transform((text) => text.split(",").map((b) => b.trim()).filter(Boolean))
    .pipe(
      z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, { error: "each broker must be host:port" }))
        .min(1, { error: "must list at least one broker" }),
    ),
  KAFKA_CLIENT_ID: z.string().default("stresswatch"),
  KAFKA_USERNAME: z.string().optional(),
  KAFKA_PASSWORD: z.string().optional(),
  KAFKA_SSL: z.enum(["true", "false"], { error: "must be true or false" }).optional()
    .transform((value) => (value === undefined ? undefined : value === "true")),
}).superRefine(bothOrNeither("KAFKA_USERNAME", "KAFKA_PASSWORD", "(SASL/PLAIN)"));

export type KafkaEnv = z.output<typeof KafkaEnv>;
