import assert from "node:assert/strict";
import { parseProducerSettings, type ProducerSettings } from "./producer_config.ts";

const KAFKA = { KAFKA_BROKERS: "127.0.0.1:9092" };

/** The settings, failing the test when they are refused. */
function settingsOf(args: string[], env: Record<string, string>, hostname: string) {
  const settings = parseProducerSettings(args, env, hostname, { out: () => {}, err: assert.fail });
  assert.equal(typeof settings, "object");
  return settings as ProducerSettings;
}

/** The problems named when the settings are refused (exit code 2). */
function problems(args: string[], env: Record<string, string> = KAFKA) {
  const printed: string[] = [];
  const out = { out: assert.fail, err: (text: string) => printed.push(text) };
  assert.equal(parseProducerSettings(args, env, "host", out), 2);
  const lines = printed.join("\n").split("\n");
  assert.match(lines.at(-1)!, /^Run producer --help for the options\.$/);
  return lines.filter((line) => line.startsWith("  - ")).map((line) => line.slice(4));
}

Deno.test("parseProducerSettings() has a default for everything but Kafka's brokers", () => {
  const settings = settingsOf([], KAFKA, "My Laptop.local");
  assert.equal(settings.mode, "send");
  assert.equal(settings.device, "My-Laptop.local");
  assert.equal(settings.topic, "My-Laptop.local", "one topic per device");
  assert.equal(settings.SAMPLE_INTERVAL_S, 5);
  assert.equal(settings.BUFFER_DIR, "./data/producer-buffer");
  assert.equal(settings.BUFFER_MAX_BYTES, 160 * 1024 * 1024);
  assert.equal(settings.BUFFER_MAX_AGE_H, 168);
  assert.equal(settings.SENSORS_ROOT, "/");
  assert.equal(settings.PROFILE, undefined, "detected");
  assert.deepEqual(settings.kafka?.KAFKA_BROKERS, ["127.0.0.1:9092"]);
});

Deno.test("parseProducerSettings() lets flags override the environment", () => {
  const settings = settingsOf(
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
    assert.deepEqual(problems([], { ...KAFKA, SAMPLE_INTERVAL_S: "0.01" }), [
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
      problems([], {
        ...KAFKA,
        SCHEMA_REGISTRY_URL: "https://sr.example",
        SCHEMA_REGISTRY_KEY: "k",
      }),
      [
        "SCHEMA_REGISTRY_SECRET is not set: SCHEMA_REGISTRY_KEY and SCHEMA_REGISTRY_SECRET go together",
      ],
    );
  });
  await t.step("BUFFER_MAX_BYTES below 64 KiB", () => {
    assert.deepEqual(problems([], { ...KAFKA, BUFFER_MAX_BYTES: "1000" }), [
      "BUFFER_MAX_BYTES is '1000': must be at least 65536",
    ]);
  });
  await t.step("sending without KAFKA_BROKERS; --once and --dry-run need no Kafka", () => {
    assert.deepEqual(problems([], {}), [
      "KAFKA_BROKERS is not set: is required: a comma-separated list of host:port",
    ]);
    assert.equal(settingsOf(["--once"], {}, "host").kafka, undefined);
  });
});

Deno.test("parseProducerSettings() --help lists every flag with the variable it stands for", () => {
  const printed: string[] = [];
  const out = { out: (text: string) => printed.push(text), err: assert.fail };
  assert.equal(parseProducerSettings(["--help"], {}, "host", out), 0);
  assert.match(printed[0]!, /^Usage: producer \[options\]/);
  assert.match(
    printed[0]!,
    /--interval <s> +seconds between readings \(SAMPLE_INTERVAL_S, default 5\)/,
  );
  assert.match(
    printed[0]!,
    /--buffer-dir <dir> .*\(BUFFER_DIR, default \.\/data\/producer-buffer\)/,
  );
  assert.match(printed[0]!, /-h, --help +show this help/);
  assert.match(printed[0]!, /Sending also reads KAFKA_BROKERS/);
});
