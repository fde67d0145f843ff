import assert from "node:assert/strict";
import { aPcReading, later } from "../../testing/a_reading.ts";
import { aScored } from "../../testing/a_prediction.ts";
import { aStoreWith } from "../../testing/a_store.ts";
import { coalesceSaves } from "./coalesce_saves.ts";
import type { ScoredReading, Store } from "./store.ts";

/** `count` readings of `device`, 5 s apart, with predictions. */
function scored(device: string, count: number): ScoredReading[] {
  const first = aPcReading({ device });
  return Array.from({ length: count }, (_, i) => aScored(later(first, i * 5)));
}

/** The store, with each saveScored call's size recorded. */
function counting(store: Store): Store & { calls: number[] } {
  const calls: number[] = [];
  return {
    ...store,
    calls,
    saveScored(items) {
      calls.push(items.length);
      return store.saveScored(items);
    },
  };
}

Deno.test("coalesceSaves() writes saves that arrive during a write together, each with its own counts", async () => {
  await using kv = await aStoreWith();
  const inner = counting(kv);
  const store = coalesceSaves(inner);
  const [a, b, c] = [scored("pc1", 3), scored("pc2", 2), scored("pc3", 4)];
  const results = await Promise.all([
    store.saveScored(a),
    store.saveScored(b),
    store.saveScored(c),
  ]);
  assert.deepEqual(inner.calls, [3, 6], "the first alone, the two that waited together");
  assert.deepEqual(results.map((r) => [r.stored, r.duplicates]), [[3, 0], [2, 0], [4, 0]]);
  assert.deepEqual(results[1]!.storedUuids, b.map((s) => s.reading.uuid));
  assert.equal((await kv.getDevice("pc3"))?.readings, 4);
});

Deno.test("coalesceSaves() credits a reading in two gathered saves once", async () => {
  await using kv = await aStoreWith();
  const store = coalesceSaves(kv);
  const first = scored("pc1", 1);
  const again = scored("pc2", 2);
  const twice = [...again, first[0]!];
  const [, one, other] = await Promise.all([
    store.saveScored(scored("pc9", 1)),
    store.saveScored(first),
    store.saveScored(twice),
  ]);
  assert.deepEqual([one!.stored, one!.duplicates], [1, 0]);
  assert.deepEqual([other!.stored, other!.duplicates], [2, 1]);
});

Deno.test("coalesceSaves() writes each save alone when a gathered write fails, so one bad save fails alone", async () => {
  await using kv = await aStoreWith();
  const bad = scored("pc2", 1);
  const store = coalesceSaves({
    ...kv,
    saveScored(items) {
      if (items.some((s) => s.reading.uuid === bad[0]!.reading.uuid)) {
        return Promise.reject(new Error("refused"));
      }
      return kv.saveScored(items);
    },
  });
  const [first, failed, good] = await Promise.allSettled([
    store.saveScored(scored("pc1", 1)),
    store.saveScored(bad),
    store.saveScored(scored("pc3", 2)),
  ]);
  assert.equal(first.status, "fulfilled");
  assert.equal(failed.status, "rejected");
  assert.match(String((failed as PromiseRejectedResult).reason), /refused/);
  assert.deepEqual(good.status === "fulfilled" && good.value.stored, 2);
});

Deno.test("coalesceSaves() leaves the other methods as they are", async () => {
  await using kv = await aStoreWith();
  const store = coalesceSaves(kv);
  await store.saveScored(scored("pc1", 2));
  assert.equal((await store.getDevice("pc1"))?.readings, 2);
  assert.equal((await store.listReadings("pc1", { limit: 10 })).items.length, 2);
});
