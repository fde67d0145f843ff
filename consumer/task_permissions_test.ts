/**
 * The consumer under exactly the permissions of `deno task consumer` (and so
 * of consumer/Dockerfile): a permission it needs and lacks would fail here,
 * not in production. Models come from S3 (moto), the AWS SDK's path.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { Kafka } from "kafkajs";
import { publishModel } from "../shared/models/publish_model.ts";
import { encodeReading } from "../shared/reading/mod.ts";
import { openKvStore } from "../shared/store/kv_store.ts";
import { aPcReading } from "../testing/a_reading.ts";
import {
  denoRunLine,
  expandTaskVariables,
  readDenoJson,
  taskCommand,
} from "../testing/deno_tasks.ts";
import { brokerPeer, startTestBroker, testKafkaConfig } from "../testing/kafka/mod.ts";
import { motoPeer, startMoto } from "../testing/moto/start_moto.ts";
import { waitUntil } from "../testing/wait_until.ts";

const ROOT = new URL("../", import.meta.url);
const peers = [await brokerPeer(), await motoPeer()];

/** `deno task consumer`'s line, as words: `deno run <flags> consumer/main.ts`. */
async function consumerTaskWords(): Promise<string[]> {
  const command = taskCommand(await readDenoJson(), "consumer")!;
  const line = denoRunLine(expandTaskVariables(command, { HOME: Deno.env.get("HOME") }));
  assert.ok(line, "deno task consumer runs `deno run`");
  return line.split(/\s+/);
}

Deno.test({
  name:
    "deno task consumer's permissions are enough: models from S3, readings from Kafka into ./data, SIGTERM exits 0",
  ignore: peers.some((peer) => peer.ignore),
  async fn() {
    await using broker = await startTestBroker({ topics: { pc1: 1, "readings.dlq": 1 } });
    await using s3 = await startMoto();
    await s3.createBucket("models");
    for (const name of ["pc", "raspberry"]) {
      await publishModel(
        { client: s3.client(), bucket: "models", prefix: "models/" },
        { dir: new URL("models/trained", ROOT).pathname, name },
      );
    }
    // Inside ./data, the only place the task may write.
    const dataDir = `data/permissions-test-${crypto.randomUUID()}`;
    const [deno, ...args] = await consumerTaskWords();
    assert.equal(deno, "deno");
    const child = new Deno.Command(Deno.execPath(), {
      args,
      cwd: ROOT.pathname,
      clearEnv: true,
      env: {
        ...Object.fromEntries(
          ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME"].flatMap((name) => {
            const value = Deno.env.get(name);
            return value === undefined ? [] : [[name, value]];
          }),
        ),
        KAFKA_BROKERS: broker.bootstrap.join(","),
        KAFKA_TOPICS: "pc1",
        KAFKA_SESSION_TIMEOUT_MS: "1500",
        CONSUMER_GROUP: `test-${crypto.randomUUID()}`,
        KV_PATH: `./${dataDir}/monitor.kv`,
        MODELS_BUCKET: "models",
        S3_ENDPOINT: s3.endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        LOG_LEVEL: "debug",
      },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    let log = "";
    const draining = (async () => {
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) log += chunk;
    })();
    try {
      await waitUntil(() => /consuming topics=pc1/.test(log) || /cannot start|failed/.test(log), {
        what: "the consumer to start",
      }).catch((error) =>
        Promise.reject(new Error(`${error.message}; the consumer said:\n${log}`))
      );
      assert.match(log, /models from=s3:\/\/models\/models\/ using=pc@\w+,raspberry@\w+/);
      const kafka = new Kafka(testKafkaConfig(broker.bootstrap));
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      const readings = [
        aPcReading({ device: "pc1", timestamp: "2026-01-31T12:00:00.000Z" }),
        aPcReading({ device: "pc1", timestamp: "2026-01-31T12:00:05.000Z" }),
      ];
      await producer.send({
        topic: "pc1",
        messages: readings.map((r) => ({ key: r.device, value: Buffer.from(encodeReading(r)) })),
      });
      await producer.disconnect();
      const stored = () =>
        [...log.matchAll(/batch stored messages=\d+ stored=(\d+)/g)]
          .reduce((sum, match) => sum + Number(match[1]), 0);
      await waitUntil(() => stored() >= 2, { what: "both readings to be stored" })
        .catch((error) =>
          Promise.reject(new Error(`${error.message}; the consumer said:\n${log}`))
        );
      child.kill("SIGTERM");
      assert.equal((await child.status).code, 0, log);
      await draining;
      assert.doesNotMatch(log, /NotCapable|Requires \w+ access/, "no permission was missing");
      const store = await openKvStore(new URL(`${dataDir}/monitor.kv`, ROOT).pathname);
      try {
        const page = await store.listReadings("pc1", { limit: 10, order: "desc" });
        assert.equal(page.items.length, 2);
      } finally {
        await store.close();
      }
    } finally {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      await child.status;
      await draining;
      await Deno.remove(new URL(dataDir, ROOT), { recursive: true }).catch(() => {});
    }
  },
});
