import assert from "node:assert/strict";
import { KafkaEnv } from "./kafka_env.ts";
import { parseEnv } from "./parse_env.ts";

Deno.test("KafkaEnv names what is wrong", async (t) => {
  await t.step(
    "no brokers",
    () => assert.throws(() => parseEnv(KafkaEnv, {}), /KAFKA_BROKERS is not set/),
  );
  await t.step(
    "a broker without a port",
    () =>
      assert.throws(
        () => parseEnv(KafkaEnv, { KAFKA_BROKERS: "kafka" }),
        /KAFKA_BROKERS .*host:port/,
      ),
  );
  await t.step("a username without a password", () =>
    assert.throws(
      () => parseEnv(KafkaEnv, { KAFKA_BROKERS: "k:9092", KAFKA_USERNAME: "u" }),
      /KAFKA_PASSWORD is not set: KAFKA_USERNAME and KAFKA_PASSWORD go together/,
    ));
  await t.step(
    "KAFKA_SSL=yes",
    () =>
      assert.throws(
        () => parseEnv(KafkaEnv, { KAFKA_BROKERS: "k:9092", KAFKA_SSL: "yes" }),
        /KAFKA_SSL is 'yes': must be true or false/,
      ),
  );
});
