import type { KafkaConfig } from "kafkajs";
import { logLevel } from "kafkajs";
import type { KafkaEnv } from "../../config/kafka_env.ts";

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
