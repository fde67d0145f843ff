/**
 * `deno task bench:store`: how fast each store adapter writes readings, and
 * how close `saveScored()` (idempotent, with per-device summaries) comes to
 * a raw write of the same records in the same run.
 *
 * Readings arrive as the consumer hands them over in production: devices
 * keyed over 12 Kafka partitions, one `saveScored()` call per partition
 * batch of 500 readings. Two fleets: 1,200 devices (100 per partition, so
 * every batch mixes 100 devices) and 12 devices (one per partition).
 *
 * - Deno KV (a file): raw = the same reading keys and values set in one
 *   atomic commit per batch, sorted by key, no checks, no summaries.
 * - DynamoDB on dynalite and on moto_server: raw = BatchWriteItem of the
 *   same reading items, 25 per request, as many requests in flight as
 *   `saveScored()` uses.
 *
 * Figures vary between runs on a shared machine by about 10 %.
 */
import { aPcReading, later } from "../../testing/a_reading.ts";
import { aScored } from "../../testing/a_prediction.ts";
import { dynalitePeer, startDynalite } from "../../testing/dynalite/start_dynalite.ts";
import { aDynamoDbStore, testDynamoDbClient } from "../../testing/dynamodb_test_table.ts";
import { motoPeer, startMoto } from "../../testing/moto/start_moto.ts";
import { batchWriteAll, RETRY_DEFAULTS } from "./dynamodb/batch_requests.ts";
import { ensureTable } from "./dynamodb/ensure_table.ts";
import { readingItem } from "./dynamodb/dynamodb_store.ts";
import { createKvStore } from "./kv_store.ts";
import type { ScoredReading, Store } from "./store.ts";

const PARTITIONS = 12;
const BATCH = 500;
const CONCURRENCY = 8;
/** Sets per raw KV commit: a whole batch, as large as KV's key-size limit allows. */
const RAW_KV_COMMIT = 500;

interface Fleet {
  name: string;
  devices: number;
}

const FLEETS: Fleet[] = [
  { name: "1,200 devices", devices: 1200 },
  { name: "12 devices", devices: 12 },
];

/**
 * `rounds` readings of every device, 5 s apart, as batches of `BATCH` taken
 * from each partition in turn (a partition's readings interleave its devices).
 */
function batchesOf(fleet: Fleet, rounds: number): ScoredReading[][] {
  const firsts = Array.from({ length: fleet.devices }, (_, d) =>
    aPcReading({
      device: `bench-${fleet.devices}-${d}`,
      timestamp: "2026-01-31T12:00:00.000Z",
      load_average_1m: 1.25,
      memory_used_bytes: 8_000_000_000,
      memory_total_bytes: 16_000_000_000,
    }));
  const partitions: ScoredReading[][] = Array.from({ length: PARTITIONS }, () => []);
  for (let round = 0; round < rounds; round++) {
    firsts.forEach((first, d) => {
      const reading = later(first, round * 5);
      partitions[d % PARTITIONS]!.push(aScored(reading, {
        probability: 0.12,
        model: "pc@3",
        reasons: ["CPU 55 °C, 35 °C below the 90 °C limit", "load 20 %"],
      }));
    });
  }
  const batches: ScoredReading[][] = [];
  for (let offset = 0; partitions.some((p) => offset < p.length); offset += BATCH) {
    for (const partition of partitions) {
      if (offset < partition.length) batches.push(partition.slice(offset, offset + BATCH));
    }
  }
  return batches;
}

async function rate(batches: ScoredReading[][], write: (b: ScoredReading[]) => Promise<unknown>) {
  const total = batches.reduce((n, b) => n + b.length, 0);
  const started = performance.now();
  for (const batch of batches) await write(batch);
  return total / ((performance.now() - started) / 1000);
}

interface Row {
  store: string;
  fleet: string;
  readings: number;
  saved: number;
  raw: number;
}

async function benchKv(fleet: Fleet, rounds: number): Promise<Row> {
  const batches = batchesOf(fleet, rounds);
  const dir = await Deno.makeTempDir({ prefix: "bench-store-" });
  try {
    const kvRaw = await Deno.openKv(`${dir}/raw.kv`);
    const raw = await rate(batches, async (batch) => {
      const sorted = batch.toSorted((a, b) =>
        a.reading.device === b.reading.device
          ? Date.parse(a.reading.timestamp) - Date.parse(b.reading.timestamp)
          : a.reading.device < b.reading.device
          ? -1
          : 1
      );
      for (let i = 0; i < sorted.length; i += RAW_KV_COMMIT) {
        const op = kvRaw.atomic();
        for (const { reading, prediction } of sorted.slice(i, i + RAW_KV_COMMIT)) {
          op.set(["readings", reading.device, Date.parse(reading.timestamp), reading.uuid], {
            reading,
            prediction,
          });
        }
        await op.commit();
      }
    });
    kvRaw.close();
    const store = createKvStore({ kv: await Deno.openKv(`${dir}/saved.kv`) });
    const saved = await rate(batches, (batch) => store.saveScored(batch));
    await check(store, batches);
    await store.close();
    return { store: "Deno KV", fleet: fleet.name, readings: count(batches), saved, raw };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function benchDynamoDb(
  server: string,
  endpoint: string,
  fleet: Fleet,
  rounds: number,
): Promise<Row> {
  const batches = batchesOf(fleet, rounds);
  const client = testDynamoDbClient(endpoint);
  const rawTable = `bench-raw-${fleet.devices}-${Date.now().toString(36)}`;
  await ensureTable({ client, table: rawTable });
  const deps = {
    client,
    table: rawTable,
    retry: RETRY_DEFAULTS,
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    concurrency: CONCURRENCY,
  };
  const raw = await rate(batches, (batch) =>
    batchWriteAll(
      deps,
      batch.map((scored) => ({ PutRequest: { Item: readingItem(scored, 30) } })),
    ));
  client.destroy();
  const store = await aDynamoDbStore(endpoint, { concurrency: CONCURRENCY });
  const saved = await rate(batches, (batch) => store.saveScored(batch));
  await check(store, batches);
  await store.close();
  return {
    store: `DynamoDB on ${server}`,
    fleet: fleet.name,
    readings: count(batches),
    saved,
    raw,
  };
}

const count = (batches: ScoredReading[][]) => batches.reduce((n, b) => n + b.length, 0);

/** The saved store holds what was written: each device's count. */
async function check(store: Store, batches: ScoredReading[][]) {
  const first = batches[0]![0]!.reading.device;
  const expected = batches.flat().filter((s) => s.reading.device === first).length;
  const summary = await store.getDevice(first);
  if (summary?.readings !== expected) {
    throw new Error(`bench: ${first} has ${summary?.readings} readings stored, not ${expected}`);
  }
}

function print(rows: Row[]) {
  const line = (cells: string[]) =>
    console.log(cells.map((c, i) => (i < 2 ? c.padEnd(22) : c.padStart(12))).join(" "));
  line(["store", "fleet", "readings", "saveScored/s", "raw/s", "saved/raw"]);
  for (const row of rows) {
    line([
      row.store,
      row.fleet,
      row.readings.toLocaleString("en"),
      Math.round(row.saved).toLocaleString("en"),
      Math.round(row.raw).toLocaleString("en"),
      (row.saved / row.raw).toFixed(2),
    ]);
  }
}

if (import.meta.main) {
  const only = Deno.args[0];
  const rows: Row[] = [];
  console.log(`batches of ${BATCH} readings from ${PARTITIONS} partitions in turn`);
  for (const fleet of FLEETS) rows.push(await benchKv(fleet, 60_000 / fleet.devices));
  if (only !== "kv" && !(await dynalitePeer()).ignore) {
    await using server = await startDynalite();
    for (const fleet of FLEETS) {
      rows.push(await benchDynamoDb("dynalite", server.endpoint, fleet, 6_000 / fleet.devices));
    }
  }
  if (only !== "kv" && !(await motoPeer()).ignore) {
    await using server = await startMoto();
    for (const fleet of FLEETS) {
      rows.push(await benchDynamoDb("moto", server.endpoint, fleet, 6_000 / fleet.devices));
    }
  }
  print(rows);
}
