/**
 * Readings per second through the consumer pipeline (through Kafka, and fed
 * from memory in the same batches), and the store's own raw write rate of
 * the same records, for `deno task bench:kafka`.
 */
import { Kafka, logLevel } from "kafkajs";
import { systemClock } from "../../shared/clock.ts";
import { createLogger, silentLogger } from "../../shared/log.ts";
import type { Scorer } from "../../shared/scoring/scorer.ts";
import { batchWriteAll, RETRY_DEFAULTS } from "../../shared/store/dynamodb/batch_requests.ts";
import { readingItem } from "../../shared/store/dynamodb/dynamodb_store.ts";
import { ensureTable } from "../../shared/store/dynamodb/ensure_table.ts";
import type { ScoredReading, Store } from "../../shared/store/store.ts";
import { testDynamoDbClient } from "../../testing/dynamodb_test_table.ts";
import { testConfig } from "../../testing/kafka/consumer_test_kit.ts";
import { testKafkaConfig } from "../../testing/kafka/mod.ts";
import { createPipeline } from "../create_pipeline.ts";
import { createStoreDeadLetterSink } from "../dead_letter_sink.ts";
import { startKafkaConsumer } from "../start_kafka_consumer.ts";
import type { BenchFleet } from "./bench_fleet.ts";

/** Sends each partition's readings to its partition of `topic`, keyed by device. */
export async function preload(
  bootstrap: string[],
  topic: string,
  fleet: BenchFleet,
  encoded: Uint8Array[][],
): Promise<void> {
  const producer = new Kafka(testKafkaConfig(bootstrap)).producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    for (const [partition, values] of encoded.entries()) {
      const readings = fleet.partitions[partition]!;
      for (let i = 0; i < values.length; i += 5_000) {
        await producer.send({
          topic,
          acks: 1,
          messages: values.slice(i, i + 5_000).map((value, j) => ({
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

/** `startKafkaConsumer()` over `store` reading the whole `topic` once: readings/s. */
export async function pipelineViaKafka(options: {
  bootstrap: string[];
  topic: string;
  total: number;
  store: Store;
  scorer: Scorer;
}): Promise<KafkaRate> {
  const started = performance.now();
  const consumer = await startKafkaConsumer({
    config: testConfig(options.bootstrap, {
      KAFKA_TOPICS: options.topic,
      KAFKA_SESSION_TIMEOUT_MS: "10000",
    }),
    log: Deno.env.get("BENCH_DEBUG") ? createLogger({ level: "debug" }) : silentLogger,
    store: options.store,
    scorer: options.scorer,
    tuning: {
      kafka: { logLevel: Deno.env.get("BENCH_DEBUG") ? logLevel.INFO : logLevel.NOTHING },
      consumer: { maxWaitTimeInMs: 100 },
    },
  });
  let shown = 0;
  while (consumer.stats().messages < options.total) {
    if (Deno.env.get("BENCH_DEBUG") && performance.now() - shown > 5000) {
      shown = performance.now();
      console.error("progress", consumer.stats());
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const seconds = (performance.now() - started) / 1000;
  const { stored, batches } = consumer.stats();
  await consumer.stop();
  if (stored !== options.total) {
    throw new Error(`bench: stored ${stored} of ${options.total} readings`);
  }
  return { perSecond: options.total / seconds, batchSize: options.total / batches };
}

/** The same pipeline over `store`, fed from memory in per-partition batches of `batchSize`. */
export async function pipelineFromMemory(options: {
  topic: string;
  fleet: BenchFleet;
  encoded: Uint8Array[][];
  batchSize: number;
  store: Store;
  scorer: Scorer;
}): Promise<number> {
  const { fleet, encoded, batchSize, store } = options;
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
    for (const [partition, values] of encoded.entries()) {
      const messages = values.slice(from, from + batchSize).map((value, i) => ({
        topic: options.topic,
        partition,
        offset: String(from + i),
        key: fleet.partitions[partition]![from + i]!.device,
        value,
        timestamp: 0,
      }));
      if (messages.length === 0) continue;
      await pipeline.handleBatch({ messages, heartbeat: () => Promise.resolve() });
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
