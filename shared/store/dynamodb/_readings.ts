import {
  ConditionalCheckFailedException,
  QueryCommand,
  UpdateItemCommand,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { nextSummary, withReplacedLatest } from "../device_summary.ts";
import type { DeviceSummary } from "../records.ts";
import type { SaveResult, Store, TimeRangeQuery } from "../store.ts";
import { batchGetAll, batchWriteAll, inParallel } from "./batch_requests.ts";
import { keys } from "./_keys.ts";
import { queryByTime } from "./_query_by_time.ts";
import { readingItem, readingKey, type StoredReading, summaryItem, type Timed } from "./_items.ts";
import { docs, MAX_UPDATE_ATTEMPTS, type StoreTable } from "./_table.ts";

/** A device's summary (reading-derived) and owner state, as read before a save. */
interface DeviceItems {
  summary: DeviceSummary | null;
  muted_until: string | null;
  decommissioned_at: string | null;
}

export type ReadingMethods = Pick<
  Store,
  "saveScored" | "replacePredictions" | "listReadings" | "listScored" | "getStatus"
>;

/**
 * Readings and their predictions on DynamoDB: saving them with their
 * devices' summaries (see `createDynamoDbStore`), rescoring, and listing.
 */
export function createReadingMethods(table: StoreTable): ReadingMethods {
  const { deps, ttlDays, get, put } = table;
  const { client } = deps;

  /** The summaries and owner state of `devices`, read together. */
  async function readDevices(devices: string[]): Promise<Map<string, DeviceItems>> {
    const found = await batchGetAll(
      deps,
      devices.flatMap((device) => [keys.summary(device), keys.owner(device)]),
      { projection: "pk, sk, doc, muted_until, decommissioned_at" },
    );
    const byDevice = new Map<string, DeviceItems>(
      devices.map((
        device,
      ) => [device, { summary: null, muted_until: null, decommissioned_at: null }]),
    );
    for (const item of found) {
      const entry = byDevice.get(item.pk!.S!.slice(2))!;
      if (item.sk!.S === "SUMMARY") entry.summary = JSON.parse(item.doc!.S!);
      else {
        entry.muted_until = item.muted_until?.S ?? null;
        entry.decommissioned_at = item.decommissioned_at?.S ?? null;
      }
    }
    return byDevice;
  }

  /** A device's stored readings (each with its prediction) in a time range. */
  const listStored = (device: string, query: TimeRangeQuery) =>
    docs<StoredReading>(queryByTime(deps, {
      partitionAttr: "pk",
      partition: keys.readingsOf(device),
      sortAttr: "sk",
      keyAt: ({ time, id }) => keys.reading(device, time, id),
    }, query));

  return {
    async saveScored(items) {
      const unique = new Map<string, Timed>();
      for (const item of items) {
        if (!unique.has(item.reading.uuid)) {
          unique.set(item.reading.uuid, { item, time: Date.parse(item.reading.timestamp) });
        }
      }
      const byDevice = Map.groupBy(unique.values(), ({ item }) => item.reading.device);
      const devices = await readDevices([...byDevice.keys()]);
      const candidates: Timed[] = [];
      for (const [device, timed] of byDevice) {
        const summary = devices.get(device)!.summary;
        if (!summary) continue;
        const lastSeen = Date.parse(summary.last_seen);
        for (const t of timed) if (t.time <= lastSeen) candidates.push(t);
      }
      const found = new Set(
        (await batchGetAll(deps, candidates.map(readingKey), { projection: "pk, sk" }))
          .map((item) => `${item.pk!.S}\n${item.sk!.S}`),
      );
      const stored = new Set(
        candidates.filter((t) => {
          const key = readingKey(t);
          return found.has(`${key.pk!.S}\n${key.sk!.S}`);
        }).map((t) => t.item.reading.uuid),
      );
      const fresh = [...unique.values()].filter((t) => !stored.has(t.item.reading.uuid));
      // Readings first, then summaries: if writing stops between the two, the
      // readings are counted when the batch is delivered again.
      await batchWriteAll(
        deps,
        fresh.map((t): WriteRequest => ({ PutRequest: { Item: readingItem(t.item, ttlDays) } })),
      );
      const summaries: WriteRequest[] = [];
      const comebacks: [string, string][] = [];
      for (const [device, timed] of byDevice) {
        const mine = timed.filter((t) => !stored.has(t.item.reading.uuid));
        if (mine.length === 0) continue;
        const current = devices.get(device)!;
        const next = nextSummary(
          current.summary
            ? {
              ...current.summary,
              muted_until: null,
              decommissioned_at: current.decommissioned_at,
            }
            : null,
          mine.map((t) => t.item),
        );
        if (current.decommissioned_at !== null && next.decommissioned_at === null) {
          comebacks.push([device, current.decommissioned_at]);
        }
        summaries.push({ PutRequest: { Item: summaryItem({ ...next, decommissioned_at: null }) } });
      }
      await batchWriteAll(deps, summaries);
      await inParallel(comebacks, deps.concurrency, async ([device, at]) => {
        try {
          await client.send(
            new UpdateItemCommand({
              TableName: deps.table,
              Key: keys.owner(device),
              UpdateExpression: "REMOVE decommissioned_at",
              ConditionExpression: "decommissioned_at = :at",
              ExpressionAttributeValues: { ":at": { S: at } },
            }),
          );
        } catch (error) {
          // Decommissioned again meanwhile: the owner's newer word stands.
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      });
      const result: SaveResult = {
        stored: fresh.length,
        duplicates: items.length - fresh.length,
        storedUuids: fresh.map((t) => t.item.reading.uuid),
      };
      return result;
    },
    async replacePredictions(items) {
      const unique = new Map<string, Timed>();
      for (const item of items) {
        unique.set(item.reading.uuid, { item, time: Date.parse(item.reading.timestamp) });
      }
      const all = [...unique.values()];
      const found = new Set(
        (await batchGetAll(deps, all.map(readingKey), { projection: "pk, sk" }))
          .map((item) => `${item.pk!.S}\n${item.sk!.S}`),
      );
      const stored = all.filter((t) => {
        const key = readingKey(t);
        return found.has(`${key.pk!.S}\n${key.sk!.S}`);
      });
      await batchWriteAll(
        deps,
        stored.map((t): WriteRequest => ({ PutRequest: { Item: readingItem(t.item, ttlDays) } })),
      );
      // The newest prediction per device goes into its summary when it is the summary's latest.
      const newest = new Map<string, Timed>();
      for (const t of stored) {
        const device = t.item.reading.device;
        if ((newest.get(device)?.time ?? -Infinity) <= t.time) newest.set(device, t);
      }
      await inParallel([...newest.values()], deps.concurrency, async (t) => {
        for (let attempt = 1;; attempt++) {
          const item = await get(keys.summary(t.item.reading.device));
          if (!item) return;
          const next = withReplacedLatest(
            { ...JSON.parse(item.doc!.S!), muted_until: null, decommissioned_at: null },
            t.item.prediction,
          );
          if (!next) return;
          try {
            await put(summaryItem(next), {
              expression: "doc = :doc",
              values: { ":doc": item.doc! },
            });
            return;
          } catch (error) {
            // Another writer changed the summary meanwhile: read it again.
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
            if (attempt === MAX_UPDATE_ATTEMPTS) {
              throw new Error(
                `Cannot replace the latest prediction of '${t.item.reading.device}': ` +
                  `${attempt} conditional writes in a row lost a race with another writer`,
              );
            }
          }
        }
      });
      return stored.length;
    },
    async listReadings(device, query) {
      const page = await listStored(device, query);
      return { items: page.items.map((stored) => stored.reading), next_cursor: page.next_cursor };
    },
    async listScored(device, query) {
      const page = await listStored(device, query);
      const items = page.items.map(({ reading, prediction }) => ({ reading, prediction }));
      return { items, next_cursor: page.next_cursor };
    },
    async getStatus(device) {
      const response = await client.send(
        new QueryCommand({
          TableName: deps.table,
          ConsistentRead: true,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": { S: keys.readingsOf(device) } },
          ScanIndexForward: false,
          Limit: 1,
        }),
      );
      const item = response.Items?.[0];
      if (!item) return null;
      const { reading, prediction } = JSON.parse(item.doc!.S!) as StoredReading;
      return { reading, prediction };
    },
  };
}
