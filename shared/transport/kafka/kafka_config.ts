import type { KafkaConfig } from "kafkajs";
import { logLevel } from "kafkajs";
import { z } from "zod";

/**
 * How to reach Kafka, from the environment. Shared by the producer agent and
 * the consumer so both read the same variables the same way.
 *
 * Confluent Cloud: `KAFKA_BROKERS=pkc-xxxx.region.provider.confluent.cloud:9092`,
 * `KAFKA_USERNAME` = API key, `KAFKA_PASSWORD` = API secret; SSL turns on by
 * itself when a username is given.
 */
export const KafkaEnvSchema = z.object({
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
}).superRefine((env, ctx) => {
  if ((env.KAFKA_USERNAME === undefined) !== (env.KAFKA_PASSWORD === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: [env.KAFKA_USERNAME === undefined ? "KAFKA_USERNAME" : "KAFKA_PASSWORD"],
      message: "KAFKA_USERNAME and KAFKA_PASSWORD go together (SASL/PLAIN)",
    });
  }
});

export type KafkaEnv = z.output<typeof KafkaEnvSchema>;

/** kafkajs client options for the environment: SASL/PLAIN over TLS when credentials are given. */
export function kafkaClientConfig(
  env: KafkaEnv,
  overrides: Partial<KafkaConfig> = {},
): KafkaConfig {
  const sasl = env.KAFKA_USERNAME !== undefined && env.KAFKA_PASSWORD !== undefined
    ? { mechanism: "plain" as const, username: env.KAFKA_USERNAME, password: env.KAFKA_PASSWORD }
    : undefined;
  return {
    clientId: env.KAFKA_CLIENT_ID,
    brokers: env.KAFKA_BROKERS,
    ssl: env.KAFKA_SSL ?? sasl !== undefined,
    ...(sasl ? { sasl } : {}),
    logLevel: logLevel.WARN,
    ...overrides,
  };
}
