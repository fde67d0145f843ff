import { listTimeOrdered } from "./_kv_time_list.ts";
import { nextSummary, upgradeSummary, withReplacedLatest } from "./device_summary.ts";
import type { DeviceSummary } from "./records.ts";
import type { SaveResult, Store } from "./store.ts";
import { key, readingKeyOf, type StoredReading, type Timed } from "./_kv_keys.ts";
import { commitUnlessLocked, getManyInSlices, MAX_COMMIT_ATTEMPTS } from "./_kv_commit.ts";
import { commitSizedChunks, sortedByKey } from "./_kv_commit_chunks.ts";

/** Readings per commit when predictions are replaced: a check each, plus one per device. */
const REPLACE_CHUNK = 40;

export type KvReadingMethods = Pick<
  Store,
  "saveScored" | "replacePredictions" | "listReadings" | "listScored" | "getStatus"
>;

/**
 * Readings and their predictions on Deno KV: saving them with their
 * devices' summaries (see `createKvStore`), rescoring, and listing.
 */
export function createKvReadingMethods(kv: Deno.Kv): KvReadingMethods {
  async function saveChunk(chunk: readonly Timed[]): Promise<Timed[]> {
    const byDevice = Map.groupBy(chunk, ({ item }) => item.reading.device);
    const devices = [...byDevice.keys()];
    for (let attempt = 1;; attempt++) {
      const summaries = await getManyInSlices<DeviceSummary>(kv, devices.map(key.device));
      const candidates: Timed[] = [];
      devices.forEach((device, i) => {
        const summary = summaries[i]!.value;
        if (!summary) return;
        const lastSeen = Date.parse(summary.last_seen);
        for (const timed of byDevice.get(device)!) {
          if (timed.time <= lastSeen) candidates.push(timed);
        }
      });
      const stored = new Set<Timed>();
      const found = await getManyInSlices(kv, candidates.map(readingKeyOf));
      found.forEach((entry, i) => entry.versionstamp && stored.add(candidates[i]!));
      const fresh = chunk.filter((timed) => !stored.has(timed));
      if (fresh.length === 0) return [];
      const op = kv.atomic();
      devices.forEach((device, i) => {
        const mine = byDevice.get(device)!.filter((timed) => !stored.has(timed));
        if (mine.length === 0) return;
        const entry = summaries[i]!;
        const current = entry.value ? upgradeSummary(entry.value) : null;
        op.check(entry).set(key.device(device), nextSummary(current, mine.map((t) => t.item)));
      });
      for (const timed of fresh) {
        const { reading, prediction } = timed.item;
        op.set(readingKeyOf(timed), { reading, prediction } satisfies StoredReading);
      }
      if ((await commitUnlessLocked(op)).ok) return fresh;
      if (attempt === MAX_COMMIT_ATTEMPTS) {
        throw new Error(
          `Cannot store readings: ${attempt} commits in a row lost a race with another writer`,
        );
      }
    }
  }

  /** Replaces the predictions of the stored readings of one chunk; returns how many. */
  async function replaceChunk(chunk: readonly Timed[]): Promise<number> {
    const devices = [...new Set(chunk.map(({ item }) => item.reading.device))];
    for (let attempt = 1;; attempt++) {
      const [entries, summaries] = await Promise.all([
        getManyInSlices<StoredReading>(kv, chunk.map(readingKeyOf)),
        getManyInSlices<DeviceSummary>(kv, devices.map(key.device)),
      ]);
      const op = kv.atomic();
      let replaced = 0;
      const newest = new Map<string, DeviceSummary>();
      chunk.forEach((timed, i) => {
        const entry = entries[i]!;
        if (entry.value === null) return;
        replaced++;
        op.check(entry).set(
          readingKeyOf(timed),
          {
            reading: entry.value.reading,
            prediction: timed.item.prediction,
          } satisfies StoredReading,
        );
        const device = timed.item.reading.device;
        const at = devices.indexOf(device);
        const summary = newest.get(device) ?? summaries[at]!.value;
        const next = summary && withReplacedLatest(upgradeSummary(summary), timed.item.prediction);
        if (next) newest.set(device, next);
      });
      if (replaced === 0) return 0;
      for (const [device, summary] of newest) {
        op.check(summaries[devices.indexOf(device)]!).set(key.device(device), summary);
      }
      if ((await commitUnlessLocked(op)).ok) return replaced;
      if (attempt === MAX_COMMIT_ATTEMPTS) {
        throw new Error(
          `Cannot replace predictions: ${attempt} commits in a row lost a race with another writer`,
        );
      }
    }
  }

  return {
    async saveScored(items) {
      const total: SaveResult = { stored: 0, duplicates: 0, storedUuids: [] };
      const unique = new Map<string, Timed>();
      for (const item of items) {
        if (unique.has(item.reading.uuid)) continue;
        unique.set(item.reading.uuid, { item, time: Date.parse(item.reading.timestamp) });
      }
      const fresh = new Set<Timed>();
      // Sorted by device and time before chunking: a chunk then holds a few
      // devices' neighbouring keys (few checks, few B-tree pages), not a
      // slice of every device a partition interleaves.
      for (const chunk of commitSizedChunks(sortedByKey([...unique.values()]))) {
        for (const timed of await saveChunk(chunk)) fresh.add(timed);
      }
      for (const timed of unique.values()) {
        if (fresh.has(timed)) total.storedUuids.push(timed.item.reading.uuid);
      }
      total.stored = fresh.size;
      total.duplicates = items.length - fresh.size;
      return total;
    },
    async replacePredictions(items) {
      const unique = new Map<string, Timed>();
      for (const item of items) {
        unique.set(item.reading.uuid, { item, time: Date.parse(item.reading.timestamp) });
      }
      const all = [...unique.values()];
      let replaced = 0;
      for (let i = 0; i < all.length; i += REPLACE_CHUNK) {
        replaced += await replaceChunk(all.slice(i, i + REPLACE_CHUNK));
      }
      return replaced;
    },
    async listReadings(device, query) {
      const page = await listTimeOrdered<StoredReading>(kv, key.readings(device), query);
      return { ...page, items: page.items.map((stored) => stored.reading) };
    },
    async listScored(device, query) {
      const page = await listTimeOrdered<StoredReading>(kv, key.readings(device), query);
      const items = page.items.map(({ reading, prediction }) => ({ reading, prediction }));
      return { ...page, items };
    },
    async getStatus(device) {
      for await (
        const entry of kv.list<StoredReading>({ prefix: key.readings(device) }, {
          limit: 1,
          reverse: true,
        })
      ) {
        return { reading: entry.value.reading, prediction: entry.value.prediction };
      }
      return null;
    },
  };
}
