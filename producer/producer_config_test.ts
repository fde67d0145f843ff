import assert from "node:assert/strict";
import { ConfigError } from "../shared/config/parse_env.ts";
import { parseProducerSettings } from "./producer_config.ts";

const problems = (args: string[], env: Record<string, string> = {}) => {
  try {
    parseProducerSettings(args, env, "host");
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  assert.fail("expected a ConfigError");
};

Deno.test("parseProducerSettings() has a default for everything but Kafka", () => {
  const settings = parseProducerSettings([], {}, "My Laptop.local");
  assert.equal(settings.mode, "send");
  assert.equal(settings.device, "My-Laptop.local");
  assert.equal(settings.topic, "My-Laptop.local", "one topic per device");
  assert.equal(settings.SAMPLE_INTERVAL_S, 5);
  assert.equal(settings.BUFFER_DIR, "./data/producer-buffer");
  assert.equal(settings.BUFFER_MAX_BYTES, 160 * 1024 * 1024);
  assert.equal(settings.BUFFER_MAX_AGE_H, 168);
  assert.equal(settings.SENSORS_ROOT, "/");
  assert.equal(settings.PROFILE, undefined, "detected");
});

Deno.test("parseProducerSettings() lets flags override the environment", () => {
  const settings = parseProducerSettings(
    [
      "--dry-run",
      "--interval",
      "0.5",
      "--device",
      "pi4",
      "--profile",
      "raspberry",
      "--buffer-dir",
      "/b",
      "--root",
      "/r",
    ],
    { SAMPLE_INTERVAL_S: "10", DEVICE_NAME: "other", KAFKA_TOPIC: "readings" },
    "host",
  );
  assert.equal(settings.mode, "dry-run");
  assert.equal(settings.SAMPLE_INTERVAL_S, 0.5);
  assert.equal(settings.device, "pi4");
  assert.equal(settings.PROFILE, "raspberry");
  assert.equal(settings.BUFFER_DIR, "/b");
  assert.equal(settings.SENSORS_ROOT, "/r");
  assert.equal(settings.topic, "readings");
});

Deno.test("parseProducerSettings() names each bad flag or variable", async (t) => {
  await t.step("a flag it does not know", () => {
    assert.deepEqual(problems(["--bogus"]), ["Unknown option '--bogus'"]);
  });
  await t.step("--interval that is no number, named as the flag", () => {
    assert.deepEqual(problems(["--interval", "abc"]), ["--interval is 'abc': must be a number"]);
  });
  await t.step("SAMPLE_INTERVAL_S too small, named as the variable", () => {
    assert.deepEqual(problems([], { SAMPLE_INTERVAL_S: "0.01" }), [
      "SAMPLE_INTERVAL_S is '0.01': must be at least 0.1",
    ]);
  });
  await t.step("--profile toaster", () => {
    assert.deepEqual(problems(["--profile", "toaster"]), [
      "--profile is 'toaster': must be pc or raspberry",
    ]);
  });
  await t.step("--device with a space", () => {
    assert.match(problems(["--device", "my pi"])[0]!, /^--device is 'my pi': must be 1-64 letters/);
  });
  await t.step("--device . and .., and KAFKA_TOPIC ..", () => {
    assert.match(problems(["--device", "."])[0]!, /^--device is '\.': .* not '\.' or '\.\.'/);
    assert.match(problems(["--device", ".."])[0]!, /^--device is '\.\.': .* not '\.' or '\.\.'/);
    assert.match(problems([], { KAFKA_TOPIC: ".." })[0]!, /^KAFKA_TOPIC is '\.\.': .* not '\.'/);
  });
  await t.step("--once with --dry-run", () => {
    assert.deepEqual(problems(["--once", "--dry-run"]), [
      "--once and --dry-run cannot be used together",
    ]);
  });
  await t.step("a Schema Registry key without its secret", () => {
    assert.deepEqual(
      problems([], { SCHEMA_REGISTRY_URL: "https://sr.example", SCHEMA_REGISTRY_KEY: "k" }),
      [
        "SCHEMA_REGISTRY_SECRET is not set: SCHEMA_REGISTRY_KEY and SCHEMA_REGISTRY_SECRET go together",
      ],
    );
  });
  await t.step("BUFFER_MAX_BYTES below 64 KiB", () => {
    assert.deepEqual(problems([], { BUFFER_MAX_BYTES: "1000" }), [
      "BUFFER_MAX_BYTES is '1000': must be at least 65536",
    ]);
  });
});
