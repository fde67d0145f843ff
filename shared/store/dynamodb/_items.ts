import type { Reading } from "../../reading/mod.ts";
import type { Alert, DeviceSummary, Prediction } from "../records.ts";
import type { ScoredReading } from "../store.ts";
import type { Item } from "./batch_requests.ts";
import { ALERTS, deviceListKey, DEVICES, keys, PENDING, timeId } from "./_keys.ts";

/** What a reading item's `doc` holds. */
export interface StoredReading {
  reading: Reading;
  prediction: Prediction;
}

/** A reading with its parsed time, so the time is parsed once per save. */
export interface Timed {
  item: ScoredReading;
  time: number;
}

/** The item of a reading and its prediction: expires `ttlDays` after the reading was taken. */
export function readingItem(scored: ScoredReading, ttlDays: number): Item {
  const { reading, prediction } = scored;
  const time = Date.parse(reading.timestamp);
  return {
    ...keys.reading(reading.device, time, reading.uuid),
    doc: { S: JSON.stringify({ reading, prediction } satisfies StoredReading) },
    expires_at: { N: String(Math.floor(time / 1000) + ttlDays * 86_400) },
  };
}

export function readingKey({ item, time }: Timed): Item {
  return keys.reading(item.reading.device, time, item.reading.uuid);
}

/** A summary item: what readings tell (the owner's mute and retirement live in the owner item). */
export function summaryItem(summary: DeviceSummary): Item {
  const { muted_until: _m, decommissioned_at: _d, ...fromReadings } = summary;
  return {
    ...keys.summary(summary.device),
    doc: { S: JSON.stringify(fromReadings) },
    g1pk: { S: DEVICES },
    g1sk: { S: deviceListKey(summary.device, "S") },
  };
}

/** The summary item with the owner item's mute and retirement. */
export function merged(summary: Item, owner: Item | undefined): DeviceSummary {
  return {
    ...JSON.parse(summary.doc!.S!),
    muted_until: owner?.muted_until?.S ?? null,
    decommissioned_at: owner?.decommissioned_at?.S ?? null,
  };
}

/** An alert's item, in the lists by time and by device, and in the outbox while pending. */
export function alertItem(alert: Alert): Item {
  const at = timeId(Date.parse(alert.raised_at), alert.id);
  return {
    ...keys.alert(alert.id),
    doc: { S: JSON.stringify(alert) },
    g1pk: { S: ALERTS },
    g1sk: { S: at },
    g2pk: { S: keys.alertsOf(alert.device) },
    g2sk: { S: at },
    ...(alert.state === "pending" ? { g3pk: { S: PENDING }, g3sk: { S: at } } : {}),
  };
}
