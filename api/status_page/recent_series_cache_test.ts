import assert from "node:assert/strict";
import type { Store, TimeRangeQuery } from "../../shared/store/store.ts";
import { aScored } from "../../testing/a_prediction.ts";
import { aPcReading, later } from "../../testing/a_reading.ts";
import { aStoreWith } from "../../testing/a_store.ts";
import type { ChartPoint } from "../../shared/charts/mod.ts";
import { createRecentSeriesCache } from "./recent_series_cache.ts";

const T0 = Date.parse("2026-01-31T12:00:00.000Z");
const METRIC = "TemperatureCPUPackage";
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

/** A store with pc1's readings every 5 s for `count` readings from T0, and its asked queries. */
async function aStoreOfPc1(count: number) {
  const store = await aStoreWith();
  const first = aPcReading({ device: "pc1", timestamp: at(0), TemperatureCPUPackage: 50 });
  await store.saveScored(
    Array.from(
      { length: count },
      (_, i) => aScored(i === 0 ? first : later(first, i * 5, { TemperatureCPUPackage: 50 + i })),
    ),
  );
  const asked: TimeRangeQuery[] = [];
  const counting: Pick<Store, "listReadings"> = {
    listReadings: (device, query) => {
      asked.push(query);
      return store.listReadings(device, query);
    },
  };
  return Object.assign(store, { asked, counting, first });
}

const summaryOf = async (store: Store) => (await store.getDevice("pc1"))!;

/** The series as a cache that has seen nothing reads it: the truth to compare with. */
async function readWhole(store: Store, from: number): Promise<ChartPoint[]> {
  return await createRecentSeriesCache(store, { stepS: 5 }).series(
    await summaryOf(store),
    METRIC,
    from,
  );
}

/** The line's values: a step's mean, or a reading's value. */
const values = (points: ChartPoint[]) => points.map((p) => "value" in p ? p.value : p.mean);

Deno.test("RecentSeriesCache reads the period once, then nothing while no reading comes", async () => {
  await using store = await aStoreOfPc1(10);
  const cache = createRecentSeriesCache(store.counting, { stepS: 5 });
  const first = await cache.series(await summaryOf(store), METRIC, T0 + 10_000);
  assert.deepEqual(values(first), [52, 53, 54, 55, 56, 57, 58, 59], "one reading per 5-s step");
  assert.deepEqual(store.asked, [{
    limit: 1000,
    after: T0 + 9_999,
    order: "asc",
    cursor: undefined,
  }]);

  const again = await cache.series(await summaryOf(store), METRIC, T0 + 20_000);
  assert.deepEqual(values(again), [54, 55, 56, 57, 58, 59], "trimmed to the new start");
  assert.equal(store.asked.length, 1, "no store request");
  assert.deepEqual(cache.counts, { full: 1, incremental: 0, unchanged: 1 });
});

Deno.test("RecentSeriesCache reads only the readings newer than the cached ones", async () => {
  await using store = await aStoreOfPc1(10);
  const cache = createRecentSeriesCache(store.counting, { stepS: 5 });
  await cache.series(await summaryOf(store), METRIC, T0);
  await store.saveScored([
    aScored(later(store.first, 50, { TemperatureCPUPackage: 70 })),
    aScored(later(store.first, 55, { TemperatureCPUPackage: null })),
  ]);
  const series = await cache.series(await summaryOf(store), METRIC, T0);
  assert.deepEqual(store.asked.at(-1)!.after, T0 + 45_000, "after the newest cached reading");
  assert.deepEqual(series.slice(-2), [
    { time: T0 + 45_000, min: 59, mean: 59, max: 59 },
    { time: T0 + 50_000, min: 70, mean: 70, max: 70 },
  ], "a reading without the metric is a gap");
  assert.deepEqual(series, await readWhole(store, T0));
  assert.deepEqual(cache.counts, { full: 1, incremental: 1, unchanged: 0 });
});

Deno.test("RecentSeriesCache reads the period again when a reading comes late, older than the newest", async () => {
  await using store = await aStoreOfPc1(10);
  const cache = createRecentSeriesCache(store.counting, { stepS: 5 });
  await cache.series(await summaryOf(store), METRIC, T0);
  // Replayed from a producer's disk buffer: between two readings already stored.
  await store.saveScored([aScored(later(store.first, 22, { TemperatureCPUPackage: 99 }))]);
  const series = await cache.series(await summaryOf(store), METRIC, T0);
  assert.ok(series.some((p) => "max" in p && p.max === 99), "the late reading is charted");
  assert.deepEqual(series, await readWhole(store, T0));
  assert.deepEqual(cache.counts, { full: 2, incremental: 0, unchanged: 0 });
});

Deno.test("RecentSeriesCache counts readings stored after the summary it was given", async () => {
  await using store = await aStoreOfPc1(10);
  const cache = createRecentSeriesCache(store.counting, { stepS: 5 });
  const before = await summaryOf(store);
  await store.saveScored([aScored(later(store.first, 50, { TemperatureCPUPackage: 70 }))]);
  const first = await cache.series(before, METRIC, T0);
  assert.equal(values(first).at(-1), 70, "read, though the summary did not count it yet");
  const second = await cache.series(await summaryOf(store), METRIC, T0);
  assert.deepEqual(second, first);
  assert.deepEqual(cache.counts, { full: 1, incremental: 0, unchanged: 1 }, "not read twice");
});

Deno.test("RecentSeriesCache reads whole again for another metric, an earlier start or a forgotten device", async (t) => {
  await using store = await aStoreOfPc1(10);
  const cache = createRecentSeriesCache(store.counting, { stepS: 5 });
  const summary = await summaryOf(store);
  await cache.series(summary, METRIC, T0 + 20_000);
  await t.step("another metric", async () => {
    const loads = await cache.series(summary, "LoadCPUTotal", T0 + 20_000);
    assert.deepEqual(new Set(values(loads)), new Set([20]));
    assert.equal(cache.counts.full, 2);
  });
  await t.step("an earlier start than the cache holds", async () => {
    const series = await cache.series(summary, "LoadCPUTotal", T0);
    assert.equal(series.length, 10);
    assert.equal(cache.counts.full, 3);
  });
  await t.step("a device keepOnly() left out", async () => {
    cache.keepOnly(new Set(["pc2"]));
    await cache.series(summary, "LoadCPUTotal", T0);
    assert.equal(cache.counts.full, 4);
  });
});

Deno.test("RecentSeriesCache runs two refreshes of one device one after the other, never adding twice", async () => {
  await using store = await aStoreOfPc1(10);
  const cache = createRecentSeriesCache(store.counting, { stepS: 5 });
  await cache.series(await summaryOf(store), METRIC, T0);
  await store.saveScored([aScored(later(store.first, 50, { TemperatureCPUPackage: 70 }))]);
  const summary = await summaryOf(store);
  const [a, b] = await Promise.all([
    cache.series(summary, METRIC, T0),
    cache.series(summary, METRIC, T0),
  ]);
  const whole = await readWhole(store, T0);
  assert.deepEqual(a, whole);
  assert.deepEqual(b, whole);
  assert.deepEqual(cache.counts, { full: 1, incremental: 1, unchanged: 1 });
});

Deno.test("RecentSeriesCache keeps its entry when a store read fails, and recovers on the next call", async () => {
  await using store = await aStoreOfPc1(10);
  let fail = false;
  const cache = createRecentSeriesCache({
    listReadings: (device, query) => {
      if (fail) return Promise.reject(new Error("store away"));
      return store.listReadings(device, query);
    },
  }, { stepS: 5 });
  await cache.series(await summaryOf(store), METRIC, T0);
  await store.saveScored([aScored(later(store.first, 50, { TemperatureCPUPackage: 70 }))]);
  fail = true;
  await assert.rejects(cache.series(await summaryOf(store), METRIC, T0), /store away/);
  fail = false;
  const series = await cache.series(await summaryOf(store), METRIC, T0);
  assert.deepEqual(series, await readWhole(store, T0));
  assert.equal(cache.counts.incremental, 1);
});

Deno.test("RecentSeriesCache gives min, mean and max per step on the clock, then the newest reading", async () => {
  await using store = await aStoreOfPc1(10); // 50, 51, ... 59 every 5 s from T0 (12:00:00)
  const cache = createRecentSeriesCache(store, { stepS: 30 });
  const points = await cache.series(await summaryOf(store), METRIC, T0);
  assert.deepEqual(points, [
    { time: T0 + 12_500, min: 50, mean: 52.5, max: 55 },
    { time: T0 + 37_500, min: 56, mean: 57.5, max: 59 },
    { time: T0 + 45_000, value: 59 },
  ], "each step at the mean time of its readings, the newest reading last");
  // Later, the steps stay where they were on the clock: the chart does not wobble.
  await store.saveScored([aScored(later(store.first, 65, { TemperatureCPUPackage: 80 }))]);
  const moved = await cache.series(await summaryOf(store), METRIC, T0 + 1);
  assert.deepEqual(
    moved,
    [
      { time: T0 + 37_500, min: 56, mean: 57.5, max: 59 },
      { time: T0 + 65_000, min: 80, mean: 80, max: 80 },
    ],
    "the step that began before the period is left out; a newest reading alone in its step is that step",
  );
});

Deno.test("createRecentSeriesCache() refuses a step that is not a whole number of seconds", async () => {
  await using store = await aStoreWith();
  assert.throws(
    () => createRecentSeriesCache(store, { stepS: 0.5 }),
    /'stepS' must be a whole number from 1 to 3600, got 0.5/,
  );
});
