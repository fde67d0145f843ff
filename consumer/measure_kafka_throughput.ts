/**
 * `deno task bench:kafka`: how fast readings come off Kafka, raw and through
 * the whole consumer pipeline into the embedded store, in one run against
 * the Kafka test broker (12 partitions, ~300-byte readings preloaded).
 *
 * Prints readings/s for a bare kafkajs consumer (eachBatch, resolve, commit:
 * nothing else), for `startKafkaConsumer()` with a Deno KV file (decode,
 * validate, window, score, store, commit), their ratio, and the pipeline
 * alone without Kafka, to show where the time goes.
 */
import { Kafka, logLevel } from "kafkajs";
import { systemClock } from "../shared/clock.ts";
import { silentLogger } from "../shared/log.ts";
import { encodeReading, type Reading } from "../shared/reading/mod.ts";
import { openKvStore } from "../shared/store/kv_store.ts";
import { aPcReading, later } from "../testing/a_reading.ts";
import { brokerAvailable, startTestBroker, testKafkaConfig } from "../testing/kafka/mod.ts";
import { testConfig } from "../testing/kafka/consumer_test_kit.ts";
import { createPipeline } from "./create_pipeline.ts";
import { createStoreDeadLetterSink } from "./dead_letter_sink.ts";
import { createRuleScorer } from "../shared/scoring/rule_scorer.ts";
import { startKafkaConsumer } from "./start_kafka_consumer.ts";

const PARTITIONS = 12;
/** 10,000 ~300-byte readings per partition: ~3.5 MiB, under the test broker's ~5 MiB. */
const READINGS = 120_000;
const TOPIC = "bench";

/** One device per partition, 5 s apart, with the usual PC fields: ~300 bytes each. */
function benchReadings(): Reading[] {
  const firsts = Array.from(
    { length: PARTITIONS },
    (_, d) => aPcReading({ device: `bench-pc-${d}`, load_average_1m: 1.25 }),
  );
  return Array.from({ length: READINGS }, (_, i) => later(firsts[i % PARTITIONS]!, i * 5));
}

async function preload(bootstrap: string[], readings: Reading[]): Promise<number> {
  const producer = new Kafka(testKafkaConfig(bootstrap)).producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  let bytes = 0;
  for (let i = 0; i < readings.length; i += 6_000) {
    const messages = readings.slice(i, i + 6_000).map((reading, j) => {
      const value = encodeReading(reading);
      bytes += value.length;
      return { key: reading.device, value: Buffer.from(value), partition: (i + j) % PARTITIONS };
    });
    await producer.send({ topic: TOPIC, messages, acks: 1 });
  }
  await producer.disconnect();
  return bytes / readings.length;
}

async function rawRate(bootstrap: string[]): Promise<number> {
  const consumer = new Kafka(testKafkaConfig(bootstrap)).consumer({
    groupId: `bench-raw-${crypto.randomUUID()}`,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  let count = 0;
  const done = Promise.withResolvers<void>();
  const started = performance.now();
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
      count += batch.messages.length;
      const last = batch.messages.at(-1)!.offset;
      resolveOffset(last);
      await commitOffsetsIfNecessary({
        topics: [{
          topic: batch.topic,
          partitions: [{ partition: batch.partition, offset: String(BigInt(last) + 1n) }],
        }],
      });
      if (count >= READINGS) done.resolve();
    },
  });
  await done.promise;
  const seconds = (performance.now() - started) / 1000;
  await consumer.disconnect();
  return READINGS / seconds;
}

async function pipelineRate(bootstrap: string[], dir: string): Promise<number> {
  const config = testConfig(bootstrap, {
    KAFKA_TOPICS: TOPIC,
    KV_PATH: `${dir}/pipeline.kv`,
    KAFKA_SESSION_TIMEOUT_MS: "10000",
  });
  const started = performance.now();
  const consumer = await startKafkaConsumer({
    config,
    log: silentLogger,
    tuning: { kafka: { logLevel: logLevel.NOTHING }, consumer: { maxWaitTimeInMs: 100 } },
  });
  while (consumer.stats().messages < READINGS) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const seconds = (performance.now() - started) / 1000;
  const { stored } = consumer.stats();
  await consumer.stop();
  if (stored !== READINGS) throw new Error(`stored ${stored} of ${READINGS} readings`);
  return READINGS / seconds;
}

/** The same pipeline and store fed from memory, in per-partition batches as kafkajs hands them. */
async function pipelineAloneRate(readings: Reading[], dir: string): Promise<number> {
  const store = await openKvStore(`${dir}/alone.kv`);
  const pipeline = createPipeline({
    store,
    scorer: createRuleScorer(),
    notifier: { notify: () => Promise.resolve() },
    deadLetters: createStoreDeadLetterSink(store),
    clock: systemClock,
    log: silentLogger,
  });
  const byPartition = Map.groupBy(readings, (_, i) => i % PARTITIONS);
  const batchSize = 2_000;
  const started = performance.now();
  for (let from = 0; from < READINGS / PARTITIONS; from += batchSize) {
    for (const [partition, list] of byPartition) {
      const messages = list.slice(from, from + batchSize).map((reading, i) => ({
        topic: TOPIC,
        partition,
        offset: String(from + i),
        key: reading.device,
        value: encodeReading(reading),
        timestamp: 0,
      }));
      await pipeline.handleBatch({ messages, heartbeat: () => Promise.resolve() });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return READINGS / seconds;
}

if (import.meta.main) {
  if (!(await brokerAvailable())) {
    console.error("The Kafka test broker is not built: run deno task test:setup");
    Deno.exit(1);
  }
  const dir = await Deno.makeTempDir({ prefix: "stresswatch-bench-" });
  await using broker = await startTestBroker({
    topics: { [TOPIC]: PARTITIONS, "readings.dlq": 1 },
  });
  try {
    const readings = benchReadings();
    const size = await preload(broker.bootstrap, readings);
    console.log(
      `${READINGS} readings of ${size.toFixed(0)} bytes preloaded in ${PARTITIONS} partitions`,
    );
    const raw = await rawRate(broker.bootstrap);
    const through = await pipelineRate(broker.bootstrap, dir);
    const alone = await pipelineAloneRate(readings, dir);
    const round = (n: number) => Math.round(n).toLocaleString("en");
    console.log(`raw kafkajs consume:           ${round(raw)} readings/s`);
    console.log(`pipeline + Deno KV via Kafka:  ${round(through)} readings/s`);
    console.log(`ratio pipeline / raw:          ${(through / raw).toFixed(3)}`);
    console.log(`pipeline + Deno KV, no Kafka:  ${round(alone)} readings/s`);
    console.log(
      `targets: >= 10,000 readings/s ${through >= 10_000 ? "met" : "NOT met"}; ` +
        `>= half the raw rate ${through >= raw / 2 ? "met" : "NOT met"}`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
