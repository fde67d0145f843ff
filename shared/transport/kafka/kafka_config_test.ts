import assert from "node:assert/strict";
import { parseEnv } from "../../config/parse_env.ts";
import { KafkaEnv } from "../../config/kafka_env.ts";
import { kafkaClientConfig } from "./kafka_config.ts";

Deno.test("kafkaClientConfig() uses SASL/PLAIN over TLS when credentials are given (Confluent Cloud)", () => {
  const env = parseEnv(KafkaEnv, {
    KAFKA_BROKERS: "pkc-1.eu-west-1.aws.confluent.cloud:9092",
    KAFKA_USERNAME: "key",
    KAFKA_PASSWORD: "secret",
  });
  const config = kafkaClientConfig(env);
  assert.deepEqual(config.brokers, ["pkc-1.eu-west-1.aws.confluent.cloud:9092"]);
  assert.equal(config.ssl, true);
  assert.deepEqual(config.sasl, { mechanism: "plain", username: "key", password: "secret" });
  assert.equal(config.clientId, "stresswatch");
});

Deno.test("kafkaClientConfig() connects in plain text to a local broker", () => {
  const env = parseEnv(KafkaEnv, { KAFKA_BROKERS: "127.0.0.1:9092, 127.0.0.1:9093" });
  const config = kafkaClientConfig(env);
  assert.deepEqual(config.brokers, ["127.0.0.1:9092", "127.0.0.1:9093"]);
  assert.equal(config.ssl, false);
  assert.equal(config.sasl, undefined);
});
