import assert from "node:assert/strict";
import { parseEnv } from "../../config/parse_env.ts";
import { kafkaClientConfig, KafkaEnvSchema } from "./kafka_config.ts";

Deno.test("kafkaClientConfig() uses SASL/PLAIN over TLS when credentials are given (Confluent Cloud)", () => {
  const env = parseEnv(KafkaEnvSchema, {
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
  const env = parseEnv(KafkaEnvSchema, { KAFKA_BROKERS: "127.0.0.1:9092, 127.0.0.1:9093" });
  const config = kafkaClientConfig(env);
  assert.deepEqual(config.brokers, ["127.0.0.1:9092", "127.0.0.1:9093"]);
  assert.equal(config.ssl, false);
  assert.equal(config.sasl, undefined);
});

Deno.test("KafkaEnvSchema names what is wrong", async (t) => {
  await t.step(
    "no brokers",
    () => assert.throws(() => parseEnv(KafkaEnvSchema, {}), /KAFKA_BROKERS is not set/),
  );
  await t.step(
    "a broker without a port",
    () =>
      assert.throws(
        () => parseEnv(KafkaEnvSchema, { KAFKA_BROKERS: "kafka" }),
        /KAFKA_BROKERS .*host:port/,
      ),
  );
  await t.step("a username without a password", () =>
    assert.throws(
      () => parseEnv(KafkaEnvSchema, { KAFKA_BROKERS: "k:9092", KAFKA_USERNAME: "u" }),
      /KAFKA_PASSWORD is not set: KAFKA_USERNAME and KAFKA_PASSWORD go together/,
    ));
  await t.step(
    "KAFKA_SSL=yes",
    () =>
      assert.throws(
        () => parseEnv(KafkaEnvSchema, { KAFKA_BROKERS: "k:9092", KAFKA_SSL: "yes" }),
        /KAFKA_SSL is 'yes': must be true or false/,
      ),
  );
});
