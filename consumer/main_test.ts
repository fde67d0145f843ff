import assert from "node:assert/strict";
import { expandTaskVariables, readDenoJson, taskCommand } from "../testing/deno_tasks.ts";
import { Kafka } from "kafkajs";
import type { Reading } from "../shared/reading/mod.ts";
import { openKvStore } from "../shared/store/kv_store.ts";
import type { Store } from "../shared/store/store.ts";
import { aPcReading, aRaspberryReading, later } from "../testing/a_reading.ts";
import { ApiKey, KafkaErrorCode, startTestBroker, testKafkaConfig } from "../testing/kafka/mod.ts";
import { readLines } from "../testing/read_lines.ts";
import { dynalitePeer, startDynalite } from "../testing/dynalite/start_dynalite.ts";
import { testDynamoDbClient } from "../testing/dynamodb_test_table.ts";
import { ensureTable } from "../shared/store/dynamodb/ensure_table.ts";
import { createDynamoDbStore } from "../shared/store/dynamodb/dynamodb_store.ts";
import { waitUntil } from "../testing/wait_until.ts";
import {
  aTempDir,
  brokerPeer,
  countedReadings,
  sendReadings,
  storedExactlyOnce,
  testEnv,
} from "../testing/kafka/consumer_test_kit.ts";

const { ignore } = await brokerPeer();
const dynalite = await dynalitePeer();
const MAIN = new URL("./main.ts", import.meta.url).pathname;
const ROOT = new URL("..", import.meta.url).pathname;
/** What a child deno needs from our environment: its caches, nothing else. */
const INHERITED = Object.fromEntries(
  ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME"].flatMap((name) => {
    const value = Deno.env.get(name);
    return value === undefined ? [] : [[name, value]];
  }),
);

/** Deno's cache folder as this process uses it (a child given another HOME must keep it). */
function denoDir(): string {
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  return Deno.env.get("DENO_DIR") ?? `${xdg ?? `${Deno.env.get("HOME")}/.cache`}/deno`;
}

/** The permissions `deno task consumer` runs with, from deno.json, for a user whose home is `home`. */
async function taskPermissions(home: string): Promise<string[]> {
  const command = taskCommand(await readDenoJson(), "consumer")!;
  return expandTaskVariables(command, { HOME: home }).split(" ")
    .filter((word) => word.startsWith("--allow-"));
}

/** `deno run -A consumer/main.ts` (or with `permissions`) with `env`, its stderr lines collected. */
function spawnConsumer(env: Record<string, string>, permissions: string[] = ["-A"]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, MAIN],
    cwd: ROOT,
    env: { ...INHERITED, ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const reading = (async () => {
    for await (const line of readLines(child.stderr)) lines.push(line);
  })();
  return {
    lines,
    kill: (signal: Deno.Signal) => child.kill(signal),
    /** Exit code, once stderr is drained. */
    async exited(): Promise<number> {
      const { code } = await child.status;
      await reading;
      return code;
    },
    [Symbol.asyncDispose]: async () => {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      await child.status;
      await reading;
    },
  };
}

Deno.test("consumer/main.ts exits 2 naming a missing variable", async () => {
  await using consumer = spawnConsumer({ KAFKA_TOPICS: "pc1" });
  assert.equal(await consumer.exited(), 2);
  assert.ok(consumer.lines.some((line) => /KAFKA_BROKERS is not set/.test(line)));
});

Deno.test({
  name:
    "consumer/main.ts killed mid-stream and restarted: nothing lost, redelivered readings stored once; SIGTERM commits and exits 0",
  ignore,
  async fn() {
    const devices = ["pc1", "pc2", "raspberry"];
    await using broker = await startTestBroker({
      topics: { pc1: 1, pc2: 1, raspberry: 1, "readings.dlq": 1 },
    });
    await using dir = await aTempDir();
    const kvPath = `${dir.path}/monitor.kv`;
    const env = testEnv(broker.bootstrap, { KV_PATH: kvPath, LOG_LEVEL: "debug" });
    const readings: Reading[][] = devices.map((device) => {
      const first = device === "raspberry" ? aRaspberryReading({ device }) : aPcReading({ device });
      return Array.from({ length: 200 }, (_, i) => later(first, i * 5));
    });
    const half = (i: 0 | 1) => readings.flatMap((r) => r.slice(i * 100, (i + 1) * 100));
    const admin = new Kafka(testKafkaConfig(broker.bootstrap)).admin();
    const committed = async () =>
      (await admin.fetchOffsets({ groupId: env.CONSUMER_GROUP, topics: devices }))
        .map((t) => Math.max(0, Number(t.partitions[0]!.offset)));
    let store: Store | null = null;
    try {
      await admin.connect();
      await sendReadings(broker.bootstrap, half(0), { perSend: 5 });
      // Commits fail for a while, so the kill surely falls between storing and committing.
      await broker.pushErrors(
        ApiKey.OffsetCommit,
        ...Array(64).fill(KafkaErrorCode.CoordinatorNotAvailable),
      );
      {
        await using first = spawnConsumer(env);
        await waitUntil(() => first.lines.filter((line) => /batch stored/.test(line)).length >= 3, {
          what: "stored batches",
        });
        first.kill("SIGKILL");
        assert.equal(await first.exited(), 137);
      }
      await broker.clearErrors(ApiKey.OffsetCommit);
      await sendReadings(broker.bootstrap, half(1), { perSend: 5 });
      store = await openKvStore(kvPath);
      const before = await countedReadings(store, devices);
      const committedBefore = (await committed()).reduce((a, b) => a + b, 0);
      assert.ok(before > 0 && before < 600, `killed mid-stream (${before} of 600 stored)`);
      assert.ok(committedBefore < before, `stored ${before}, committed ${committedBefore}`);

      await using second = spawnConsumer(env);
      await waitUntil(async () => await countedReadings(store!, devices) >= 600, {
        what: "all 600 readings stored after the restart",
      });
      second.kill("SIGTERM");
      assert.equal(await second.exited(), 0);
      const stats = second.lines.find((line) => /consumer stopped/.test(line));
      const duplicates = Number(stats?.match(/duplicates=(\d+)/)?.[1]);
      assert.ok(duplicates > 0, `the restart redelivered stored readings: ${stats}`);

      const { listed, expected, counted } = await storedExactlyOnce(store, readings.flat());
      assert.deepEqual(listed, expected);
      assert.equal(counted, 600);
      assert.deepEqual(await committed(), [200, 200, 200]);
    } finally {
      await admin.disconnect();
      await store?.close();
    }
  },
});

Deno.test({
  name:
    "deno task consumer's permissions: DYNAMODB_TABLE stores into DynamoDB, credentials from an AWS profile",
  ignore: ignore || dynalite.ignore,
  async fn() {
    await using broker = await startTestBroker({ topics: { pc1: 1, "readings.dlq": 1 } });
    await using server = await startDynalite();
    await using home = await aTempDir();
    await Deno.mkdir(`${home.path}/.aws`);
    await Deno.writeTextFile(
      `${home.path}/.aws/credentials`,
      "[default]\naws_access_key_id = test\naws_secret_access_key = test\n",
    );
    const client = testDynamoDbClient(server.endpoint);
    const table = `main-test-${Date.now().toString(36)}`;
    await ensureTable({ client, table });
    const store = createDynamoDbStore({ client, table, keepClient: true });
    try {
      const first = aPcReading({ device: "pc1" });
      const readings = Array.from({ length: 20 }, (_, i) => later(first, i * 5));
      await sendReadings(broker.bootstrap, readings);
      await using consumer = spawnConsumer(
        {
          ...testEnv(broker.bootstrap, { KAFKA_TOPICS: "pc1", LOG_LEVEL: "info" }),
          // Another home for the AWS profile; Deno's cache stays where it is.
          HOME: home.path,
          DENO_DIR: denoDir(),
          DYNAMODB_TABLE: table,
          DYNAMODB_ENDPOINT: server.endpoint,
        },
        await taskPermissions(home.path),
      );
      await waitUntil(async () => await countedReadings(store, ["pc1"]) >= 20, {
        what: "20 readings stored in DynamoDB",
      }).catch((error) => {
        throw new Error(`${error.message}; the consumer said:\n${consumer.lines.join("\n")}`);
      });
      consumer.kill("SIGTERM");
      assert.equal(await consumer.exited(), 0, consumer.lines.join("\n"));
      assert.ok(consumer.lines.some((line) => /store="DynamoDB table 'main-test-/.test(line)));
      const { listed, expected } = await storedExactlyOnce(store, readings);
      assert.deepEqual(listed, expected);
    } finally {
      await store.close();
      client.destroy();
    }
  },
});
