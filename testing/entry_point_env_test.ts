import assert from "node:assert/strict";
import { readDenoJson, taskEntryFiles } from "./deno_tasks.ts";
import {
  ENTRY_POINT_ENV,
  unreadVariables,
  variablesReadBy,
  variablesReadByAnyEntryPoint,
} from "./entry_point_env.ts";

const ROOT = new URL("../", import.meta.url);

/** Whether a file reads the environment itself (only entry points do). */
async function readsEnvironment(file: string): Promise<boolean> {
  const source = await Deno.readTextFile(new URL(file, ROOT));
  return /\bprocessEnv\(|\bDeno\.env\b/.test(source);
}

Deno.test("ENTRY_POINT_ENV has every file a deno.json task runs that reads the environment", async () => {
  const missing: string[] = [];
  for (const [task, file] of taskEntryFiles(await readDenoJson())) {
    if (!(file in ENTRY_POINT_ENV) && await readsEnvironment(file)) {
      missing.push(`${task}: ${file}`);
    }
  }
  assert.deepEqual(missing, []);
});

Deno.test("ENTRY_POINT_ENV names only files that deno.json tasks run", async () => {
  const run = new Set((taskEntryFiles(await readDenoJson())).values());
  assert.deepEqual(Object.keys(ENTRY_POINT_ENV).filter((file) => !run.has(file)), []);
});

Deno.test("variablesReadBy() gives the keys of an entry point's schemas", () => {
  const consumer = variablesReadBy("consumer/main.ts");
  for (
    const name of ["KAFKA_BROKERS", "CONSUMER_GROUP", "DLQ_TOPIC", "MODELS_BUCKET", "LOG_LEVEL"]
  ) {
    assert.ok(consumer.has(name), name);
  }
  assert.ok(!consumer.has("PROFILE"), "PROFILE is the producer's");
  assert.ok(variablesReadBy("producer/main.ts").has("KAFKA_BROKERS"), "the producer reads Kafka's");
  assert.throws(() => variablesReadBy("nope/main.ts"), /nope\/main\.ts is not in ENTRY_POINT_ENV/);
});

Deno.test("unreadVariables() lists the names no entry point reads, once each, sorted", () => {
  const read = variablesReadByAnyEntryPoint();
  assert.deepEqual(
    unreadVariables(["PORT", "NOT_A_SETTING", "KAFKA_BROKERS", "ALSO_NOT", "ALSO_NOT"], read),
    [
      "ALSO_NOT",
      "NOT_A_SETTING",
    ],
  );
});
