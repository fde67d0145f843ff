/**
 * `deno task bench:kafka`: the consumer's figures, side by side in one run,
 * with devices mixed in every Kafka partition as production has them.
 *
 * 1. Deno KV: 96,000 readings of 1,200 devices keyed across 12 partitions
 *    (and, beside it, 12 devices: one per partition). Readings/s through the
 *    whole consumer from the Kafka test broker, through the same pipeline fed
 *    from memory in the same batches (every partition's batch at once, as
 *    the consumer handles them), and Deno KV's own raw write rate for the
 *    same records in the same batches. All score with the shipped models.
 * 2. DynamoDB on dynalite and on moto_server: 12,000 readings of 1,200
 *    devices through the consumer from Kafka, and each server's raw
 *    BatchWriteItem rate for the same items.
 * 3. Alert latency: 1,000 devices sending 1,000 readings/s through the whole
 *    consumer with the Telegram outbox; from a reading's send to the fake
 *    Bot API receiving the `sendMessage` of its alert, p50 and p99.
 *
 * `--runs N` repeats everything N times (the machine is shared: figures vary
 * between runs) and ends with the range of each figure. `--only kv|dynamodb|latency`
 * runs one part.
 */
import { parseArgs } from "node:util";
import { createModelScorer } from "./model_scorer.ts";
import { systemClock } from "../shared/clock.ts";
import { silentLogger } from "../shared/log.ts";
import { createFolderModelRegistry } from "../shared/models/folder_model_registry.ts";
import { openKvStore } from "../shared/store/kv_store.ts";
import { dynalitePeer, startDynalite } from "../testing/dynalite/start_dynalite.ts";
import { aDynamoDbStore } from "../testing/dynamodb_test_table.ts";
import { brokerAvailable, startTestBroker } from "../testing/kafka/mod.ts";
import { motoPeer, startMoto } from "../testing/moto/start_moto.ts";
import { measureAlertLatency } from "./bench/alert_latency.ts";
import {
  type BenchFleet,
  benchFleet,
  encodedPartitions,
  scoredBatches,
} from "./bench/bench_fleet.ts";
import {
  pipelineFromMemory,
  pipelineViaKafka,
  preload,
  rawDynamoDbRate,
  rawKvRate,
} from "./bench/pipeline_rates.ts";

const PARTITIONS = 12;
/** 8,000 readings of ~330-400 bytes per partition: under the test broker's ~5 MiB a partition. */
const KV_READINGS = 96_000;
/** Readings per producer send, so per batch the consumer gets from the test broker. */
const KV_BATCH = 4_000;
const DYNAMODB_READINGS = 12_000;
const DYNAMODB_BATCH = 1_000;
/** Requests in flight, as the DynamoDB store uses. */
const DYNAMODB_CONCURRENCY = 8;

type Figures = Record<string, number>;

const { values: args } = parseArgs({
  args: Deno.args,
  options: { runs: { type: "string", default: "1" }, only: { type: "string" } },
});
const runs = Number(args.runs);
const only = args.only;
if (!Number.isInteger(runs) || runs < 1 || runs > 10) {
  console.error(`bench:kafka: --runs must be a whole number from 1 to 10, got '${args.runs}'`);
  Deno.exit(2);
}
if (only !== undefined && !["kv", "dynamodb", "latency"].includes(only)) {
  console.error(`bench:kafka: --only must be kv, dynamodb or latency, got '${only}'`);
  Deno.exit(2);
}
const wants = (part: string) => only === undefined || only === part;

const round = (n: number) => Math.round(n).toLocaleString("en");
const ratio = (a: number, b: number) => (a / b).toFixed(2);

async function kvPart(bootstrap: string[], dir: string, run: number, fleets: KvFleet[]) {
  const figures: Figures = {};
  const scorer = createModelScorer({
    registry: createFolderModelRegistry({ dir: "./models/trained" }),
    clock: systemClock,
    log: silentLogger,
  });
  await scorer.start();
  try {
    console.log(
      `\n1. Deno KV, ${KV_READINGS.toLocaleString("en")} readings in ${PARTITIONS} partitions, ` +
        `batches of ${KV_BATCH.toLocaleString("en")}, scored by the models (${
          scorer.models().map((m) => m.name).join(", ")
        })`,
    );
    row(["fleet", "via Kafka/s", "from memory/s", "raw KV/s", "Kafka/raw", "memory/raw"]);
    for (const { fleet, topic, encoded } of fleets) {
      const viaKafka = await pipelineViaKafka({
        bootstrap,
        topic,
        total: fleet.total,
        store: await openKvStore(`${dir}/${run}-${topic}-kafka.kv`),
        scorer,
        closeStore: true,
      });
      const memoryStore = await openKvStore(`${dir}/${run}-${topic}-memory.kv`);
      const fromMemory = await pipelineFromMemory({
        topic,
        fleet,
        encoded,
        batchSize: KV_BATCH,
        store: memoryStore,
        scorer,
        concurrent: true,
      });
      await memoryStore.close();
      const raw = await rawKvRate(`${dir}/${run}-${topic}-raw.kv`, scoredBatches(fleet, KV_BATCH));
      row([
        fleet.name,
        round(viaKafka.perSecond),
        round(fromMemory),
        round(raw),
        ratio(viaKafka.perSecond, raw),
        ratio(fromMemory, raw),
      ]);
      figures[`KV ${fleet.name}: via Kafka/s`] = viaKafka.perSecond;
      figures[`KV ${fleet.name}: from memory/s`] = fromMemory;
      figures[`KV ${fleet.name}: raw/s`] = raw;
      figures[`KV ${fleet.name}: Kafka/raw`] = viaKafka.perSecond / raw;
    }
  } finally {
    await scorer.stop();
  }
  return figures;
}

async function dynamoDbPart(bootstrap: string[], fleet: DynamoFleet) {
  const figures: Figures = {};
  const scorer = createModelScorer({
    registry: createFolderModelRegistry({ dir: "./models/trained" }),
    clock: systemClock,
    log: silentLogger,
  });
  await scorer.start();
  try {
    console.log(
      `\n2. DynamoDB, ${DYNAMODB_READINGS.toLocaleString("en")} readings of ${fleet.fleet.name} ` +
        `in ${PARTITIONS} partitions, batches of ${DYNAMODB_BATCH.toLocaleString("en")}`,
    );
    row(["server", "via Kafka/s", "raw BatchWriteItem/s", "Kafka/raw"]);
    const servers = [
      { name: "dynalite", peer: dynalitePeer, start: startDynalite },
      { name: "moto", peer: motoPeer, start: startMoto },
    ];
    for (const server of servers) {
      if ((await server.peer()).ignore) {
        console.log(`  ${server.name}: not installed (deno task test:setup), skipped`);
        continue;
      }
      await using peer = await server.start();
      const viaKafka = await pipelineViaKafka({
        bootstrap,
        topic: fleet.topic,
        total: fleet.fleet.total,
        store: await aDynamoDbStore(peer.endpoint, { concurrency: DYNAMODB_CONCURRENCY }),
        scorer,
        closeStore: true,
      });
      const raw = await rawDynamoDbRate(
        peer.endpoint,
        scoredBatches(fleet.fleet, DYNAMODB_BATCH),
        DYNAMODB_CONCURRENCY,
      );
      row([server.name, round(viaKafka.perSecond), round(raw), ratio(viaKafka.perSecond, raw)]);
      figures[`DynamoDB on ${server.name}: via Kafka/s`] = viaKafka.perSecond;
      figures[`DynamoDB on ${server.name}: raw/s`] = raw;
      figures[`DynamoDB on ${server.name}: Kafka/raw`] = viaKafka.perSecond / raw;
    }
  } finally {
    await scorer.stop();
  }
  return figures;
}

async function latencyPart(bootstrap: string[], dir: string, run: number) {
  const scorer = createModelScorer({
    registry: createFolderModelRegistry({ dir: "./models/trained" }),
    clock: systemClock,
    log: silentLogger,
  });
  await scorer.start();
  const store = await openKvStore(`${dir}/${run}-latency.kv`);
  try {
    console.log(
      "\n3. Alert latency: 1,000 devices, 1,000 readings/s, Kafka -> pipeline -> Deno KV -> " +
        "outbox -> fake Bot API (ms from the reading's send)",
    );
    const result = await measureAlertLatency({
      bootstrap,
      topic: `latency-${run}`,
      partitions: PARTITIONS,
      store,
      scorer,
    });
    row(["", "p50", "p99", "max"]);
    row(["to its scoring", ...ms(result.scored)]);
    row(["to its alert stored", ...ms(result.alertSaved)]);
    row(["to sendMessage", ...ms(result)]);
    console.log(
      `  ${result.alerts} alerts at ${round(result.readingsPerSecond)} readings/s; ` +
        `target p99 < 100 ms: ${result.p99 < 100 ? "met" : "NOT met"}`,
    );
    return {
      "alert latency p50 ms": result.p50,
      "alert latency p99 ms": result.p99,
    };
  } finally {
    await store.close();
    await scorer.stop();
  }
}

const ms = (p: { p50: number; p99: number; max: number }) =>
  [p.p50, p.p99, p.max].map((v) => v.toFixed(0));

function row(cells: string[]) {
  console.log(
    "  " + cells.map((cell, i) => (i === 0 ? cell.padEnd(22) : cell.padStart(14))).join(" "),
  );
}

interface KvFleet {
  fleet: BenchFleet;
  topic: string;
  encoded: Uint8Array[][];
}
interface DynamoFleet {
  fleet: BenchFleet;
  topic: string;
}

if (import.meta.main) {
  if (!(await brokerAvailable())) {
    console.error(
      "bench:kafka: the Kafka test broker is not built: run deno task test:setup:kafka",
    );
    Deno.exit(1);
  }
  const dir = await Deno.makeTempDir({ prefix: "stresswatch-bench-" });
  const latencyTopics = Object.fromEntries(
    Array.from({ length: runs }, (_, i) => [`latency-${i + 1}`, PARTITIONS]),
  );
  await using broker = await startTestBroker({
    topics: {
      "bench-1200": PARTITIONS,
      "bench-12": PARTITIONS,
      "bench-dynamodb": PARTITIONS,
      "readings.dlq": 1,
      ...latencyTopics,
    },
  });
  try {
    const kvFleets: KvFleet[] = [];
    if (wants("kv")) {
      for (const devices of [1200, 12]) {
        const fleet = benchFleet({ devices, total: KV_READINGS, partitions: PARTITIONS });
        const encoded = encodedPartitions(fleet);
        const topic = `bench-${devices}`;
        await preload(broker.bootstrap, topic, fleet, encoded, KV_BATCH);
        kvFleets.push({ fleet, topic, encoded });
      }
    }
    const dynamoFleet = {
      fleet: benchFleet({ devices: 1200, total: DYNAMODB_READINGS, partitions: PARTITIONS }),
      topic: "bench-dynamodb",
    };
    if (wants("dynamodb")) {
      const { fleet, topic } = dynamoFleet;
      await preload(broker.bootstrap, topic, fleet, encodedPartitions(fleet), DYNAMODB_BATCH);
    }
    const all: Figures[] = [];
    for (let run = 1; run <= runs; run++) {
      const load = Deno.loadavg()[0]!.toFixed(1);
      console.log(
        `\n=== run ${run} of ${runs} (load average ${load} on ${navigator.hardwareConcurrency} cores)`,
      );
      const figures: Figures = {};
      if (wants("kv")) Object.assign(figures, await kvPart(broker.bootstrap, dir, run, kvFleets));
      if (wants("dynamodb")) {
        Object.assign(figures, await dynamoDbPart(broker.bootstrap, dynamoFleet));
      }
      if (wants("latency")) Object.assign(figures, await latencyPart(broker.bootstrap, dir, run));
      all.push(figures);
    }
    if (runs > 1) {
      console.log(`\nRanges over ${runs} runs:`);
      for (const name of Object.keys(all[0]!)) {
        const values = all.map((f) => f[name]!).filter(Number.isFinite);
        const fmt = (v: number) => (name.endsWith("/raw") ? v.toFixed(2) : round(v));
        console.log(
          `  ${name.padEnd(40)} ${fmt(Math.min(...values))} - ${fmt(Math.max(...values))}`,
        );
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
