/**
 * Readings per second through the consumer pipeline (through Kafka, and fed
 * from memory in the same batches), and the store's own raw write rate of
 * the same records, for `deno task bench:kafka`.
 */
import { Kafka, logLevel } from "kafkajs";
import { systemClock } from "../../shared/clock.ts";
import { silentLogger } from "../../shared/log.ts";
import type { Scorer } from "../../shared/scoring/scorer.ts";
import { batchWriteAll, RETRY_DEFAULTS } from "../../shared/store/dynamodb/batch_requests.ts";
import { readingItem } from "../../shared/store/dynamodb/dynamodb_store.ts";
import { ensureTable } from "../../shared/store/dynamodb/ensure_table.ts";
import { coalesceSaves } from "../../shared/store/coalesce_saves.ts";
import type { ScoredReading, Store } from "../../shared/store/store.ts";
import { testDynamoDbClient } from "../../testing/dynamodb_test_table.ts";
import { testConfig } from "../../testing/kafka/consumer_test_kit.ts";
import { testKafkaConfig } from "../../testing/kafka/mod.ts";
import { createPipeline } from "../create_pipeline.ts";
import { createStoreDeadLetterSink } from "../dead_letter_sink.ts";
import { startKafkaConsumer } from "../start_kafka_consumer.ts";
import type { BenchFleet } from "./bench_fleet.ts";

/**
 * Sends each partition's readings to its partition of `topic`, keyed by
 * device, `perSend` at a time. The test broker hands a consumer one send's
 * messages per partition and fetch, so `perSend` is the size of the
 * batches the consumer gets.
 */
export async function preload(
  bootstrap: string[],
  topic: string,
  fleet: BenchFleet,
  encoded: Uint8Array[][],
  perSend: number,
): Promise<void> {
  const producer = new Kafka(testKafkaConfig(bootstrap)).producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    for (const [partition, values] of encoded.entries()) {
      const readings = fleet.partitions[partition]!;
      for (let i = 0; i < values.length; i += perSend) {
        await producer.send({
          topic,
          acks: 1,
          messages: values.slice(i, i + perSend).map((value, j) => ({
            key: readings[i + j]!.device,
            value: Buffer.from(value.buffer, value.byteOffset, value.byteLength),
            partition,
          })),
        });
      }
    }
  } finally {
    await producer.disconnect();
  }
}

export interface KafkaRate {
  perSecond: number;
  /** Messages per batch kafkajs handed over, on average. */
  batchSize: number;
}

/**
 * `startKafkaConsumer()` over `store` reading the whole `topic` once:
 * readings/s from the end of the first batch to the last, so connecting,
 * joining the group and loading models are not counted.
 */
export async function pipelineViaKafka(options: {
  bootstrap: string[];
  topic: string;
  total: number;
  store: Store;
  scorer: Scorer;
  /** Close the store after (it was opened for this run). */
  closeStore?: boolean;
}): Promise<KafkaRate> {
  const consumer = await startKafkaConsumer({
    config: testConfig(options.bootstrap, {
      KAFKA_TOPICS: options.topic,
      KAFKA_SESSION_TIMEOUT_MS: "10000",
    }),
    log: silentLogger,
    store: options.store,
    scorer: options.scorer,
    tuning: { kafka: { logLevel: logLevel.NOTHING }, consumer: { maxWaitTimeInMs: 100 } },
  });
  const tick = () => new Promise((resolve) => setTimeout(resolve, 2));
  while (consumer.stats().batches === 0) await tick();
  const started = performance.now();
  const first = consumer.stats().messages;
  while (consumer.stats().messages < options.total) await tick();
  const seconds = (performance.now() - started) / 1000;
  const { stored, batches } = consumer.stats();
  await consumer.stop();
  if (options.closeStore) await options.store.close();
  if (stored !== options.total) {
    throw new Error(`bench: stored ${stored} of ${options.total} readings`);
  }
  return { perSecond: (options.total - first) / seconds, batchSize: options.total / batches };
}

/** The same pipeline over `store`, fed from memory in per-partition batches of `batchSize`. */
export async function pipelineFromMemory(options: {
  topic: string;
  fleet: BenchFleet;
  encoded: Uint8Array[][];
  batchSize: number;
  store: Store;
  scorer: Scorer;
  /** Handle every partition's next batch at once (as the Kafka consumer does), or one after another. */
  concurrent?: boolean;
}): Promise<number> {
  const { fleet, encoded, batchSize } = options;
  const store = options.concurrent ? coalesceSaves(options.store) : options.store;
  const pipeline = createPipeline({
    store,
    scorer: options.scorer,
    notifier: { notify: () => Promise.resolve() },
    deadLetters: createStoreDeadLetterSink(store),
    clock: systemClock,
    log: silentLogger,
  });
  const longest = Math.max(...encoded.map((p) => p.length));
  const started = performance.now();
  for (let from = 0; from < longest; from += batchSize) {
    const batches = [...encoded.entries()].map(([partition, values]) => ({
      messages: values.slice(from, from + batchSize).map((value, i) => ({
        topic: options.topic,
        partition,
        offset: String(from + i),
        key: fleet.partitions[partition]![from + i]!.device,
        value,
        timestamp: 0,
      })),
      heartbeat: () => Promise.resolve(),
    })).filter((batch) => batch.messages.length > 0);
    if (options.concurrent) {
      await Promise.all(batches.map((batch) => pipeline.handleBatch(batch)));
    } else {
      for (const batch of batches) await pipeline.handleBatch(batch);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const { stored } = pipeline.stats();
  if (stored !== fleet.total) throw new Error(`bench: stored ${stored} of ${fleet.total}`);
  return fleet.total / seconds;
}

/** Sets per raw KV commit: as many as KV's limits allow for readings of this size. */
const RAW_KV_COMMIT = 500;

/**
 * Deno KV's own write rate for the same records: the reading keys and
 * values the store writes, set in atomic commits of 500 sorted by key, one
 * batch after another; no checks, no summaries.
 */
export async function rawKvRate(path: string, batches: ScoredReading[][]): Promise<number> {
  const kv = await Deno.openKv(path);
  try {
    return await rate(batches, async (batch) => {
      const sorted = batch.toSorted((a, b) =>
        a.reading.device === b.reading.device
          ? Date.parse(a.reading.timestamp) - Date.parse(b.reading.timestamp)
          : a.reading.device < b.reading.device
          ? -1
          : 1
      );
      for (let i = 0; i < sorted.length; i += RAW_KV_COMMIT) {
        const op = kv.atomic();
        for (const { reading, prediction } of sorted.slice(i, i + RAW_KV_COMMIT)) {
          op.set(["readings", reading.device, Date.parse(reading.timestamp), reading.uuid], {
            reading,
            prediction,
          });
        }
        await op.commit();
      }
    });
  } finally {
    kv.close();
  }
}

/**
 * A DynamoDB server's own rate for the same items: BatchWriteItem of the
 * reading items the store writes, 25 per request, as many requests in
 * flight as the store uses, into a fresh table.
 */
export async function rawDynamoDbRate(
  endpoint: string,
  batches: ScoredReading[][],
  concurrency: number,
): Promise<number> {
  const client = testDynamoDbClient(endpoint);
  const table = `bench-raw-${Date.now().toString(36)}`;
  try {
    await ensureTable({ client, table });
    const deps = {
      client,
      table,
      retry: RETRY_DEFAULTS,
      sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
      concurrency,
    };
    return await rate(batches, (batch) =>
      batchWriteAll(
        deps,
        batch.map((scored) => ({ PutRequest: { Item: readingItem(scored, 30) } })),
      ));
  } finally {
    client.destroy();
  }
}

async function rate(
  batches: ScoredReading[][],
  write: (batch: ScoredReading[]) => Promise<unknown>,
): Promise<number> {
  const total = batches.reduce((n, b) => n + b.length, 0);
  const started = performance.now();
  for (const batch of batches) await write(batch);
  return total / ((performance.now() - started) / 1000);
}
