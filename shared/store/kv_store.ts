import type { Reading } from "../reading/mod.ts";
import { listTimeOrdered } from "./_kv_time_list.ts";
import type {
  Alert,
  DeadLetter,
  DeviceStatus,
  DeviceSummary,
  Feedback,
  Prediction,
} from "./records.ts";
import type {
  AlertQuery,
  FeedbackQuery,
  Page,
  SaveResult,
  ScoredReading,
  Store,
  TimeRangeQuery,
} from "./store.ts";

/** Deno KV allows 100 checks per atomic commit: one per reading plus two per device. */
const MAX_CHECKS = 100;
/** Deno KV allows 800 KiB of mutations per commit; stay well below. */
const MAX_CHUNK_BYTES = 512 * 1024;
/** Deno KV's getMany() takes at most 10 keys. */
const GET_MANY = 10;
const MAX_COMMIT_ATTEMPTS = 20;

export interface KvStoreOptions {
  /** An open Deno KV database; the store closes it on `close()`. */
  kv: Deno.Kv;
}

const key = {
  /** A reading and its prediction, as a {@linkcode StoredReading}. */
  reading: (device: string, time: number, uuid: string) => ["readings", device, time, uuid],
  readings: (device: string) => ["readings", device],
  device: (device: string) => ["devices", device],
  devices: () => ["devices"],
  status: (device: string) => ["status", device],
  alert: (time: number, id: string) => ["alerts", time, id],
  alerts: () => ["alerts"],
  deviceAlert: (device: string, time: number, id: string) => ["alerts_by_device", device, time, id],
  deviceAlerts: (device: string) => ["alerts_by_device", device],
  deadLetter: (time: number, id: string) => ["dead_letters", time, id],
  deadLetters: () => ["dead_letters"],
  feedback: (time: number, alertId: string) => ["feedback", time, alertId],
  feedbacks: () => ["feedback"],
  deviceFeedback: (device: string, time: number, alertId: string) => [
    "feedback_by_device",
    device,
    time,
    alertId,
  ],
  deviceFeedbacks: (device: string) => ["feedback_by_device", device],
} satisfies Record<string, (...args: never[]) => Deno.KvKey>;

/** What one reading key holds: the reading and the prediction made for it. */
interface StoredReading {
  reading: Reading;
  prediction: Prediction;
}

/**
 * The embedded Store: a Deno KV database (a file under `./data` by default).
 *
 * A reading and its prediction live under one key, `[readings, device,
 * time, uuid]`, written only if that key is new (checked in the same atomic
 * commit), so a reading delivered twice, or written by two consumers at
 * once, is stored once. One key per reading (no separate uuid index or
 * prediction key) doubles the write rate; a redelivered reading always
 * carries the same device and time stamp as the first delivery.
 */
export function createKvStore(options: KvStoreOptions): Store {
  const { kv } = options;

  async function saveChunk(chunk: readonly ScoredReading[]): Promise<SaveResult> {
    const unique = [...new Map(chunk.map((item) => [item.reading.uuid, item])).values()];
    const resultOf = (fresh: ScoredReading[]): SaveResult => ({
      stored: fresh.length,
      duplicates: chunk.length - fresh.length,
      storedUuids: fresh.map((item) => item.reading.uuid),
    });
    // Most chunks are all new: commit as if so. The commit checks every
    // reading's uuid, so if one is stored already (a redelivery) or another
    // writer got in first, nothing is written and the careful path below
    // reads which ones are new. Saves reading every uuid before writing.
    if (await commitIfClear((await writeOf(unique)).op)) return resultOf(unique);
    for (let attempt = 1;; attempt++) {
      const fresh = await withoutStored(unique);
      if (fresh.length === 0) return resultOf([]);
      if ((await commitUnlessLocked((await writeOf(fresh)).op)).ok) return resultOf(fresh);
      if (attempt === MAX_COMMIT_ATTEMPTS) {
        throw new Error(
          `Cannot store readings: ${attempt} commits in a row lost a race with another writer`,
        );
      }
    }
  }

  /**
   * One atomic write of `fresh` (unique uuids): each reading only if its uuid
   * is new, plus its device's summary. Wrapped, because an AtomicOperation
   * refuses to be awaited.
   */
  async function writeOf(fresh: readonly ScoredReading[]): Promise<{ op: Deno.AtomicOperation }> {
    const op = kv.atomic();
    for (const { reading, prediction } of fresh) {
      const time = Date.parse(reading.timestamp);
      const readingKey = key.reading(reading.device, time, reading.uuid);
      op.check({ key: readingKey, versionstamp: null })
        .set(readingKey, { reading, prediction } satisfies StoredReading);
    }
    const groups = [...Map.groupBy(fresh, (item) => item.reading.device).values()];
    const current = await Promise.all(
      groups.map((group) => deviceEntries(group[0]!.reading.device)),
    );
    groups.forEach((group, i) => addDeviceUpdates(op, group, current[i]!));
    return { op };
  }

  /** The items of `unique` whose uuid is not stored yet. */
  async function withoutStored(unique: readonly ScoredReading[]): Promise<ScoredReading[]> {
    const slices: ScoredReading[][] = [];
    for (let i = 0; i < unique.length; i += GET_MANY) slices.push(unique.slice(i, i + GET_MANY));
    const entries = await Promise.all(
      slices.map((slice) => kv.getMany(slice.map((item) => readingKeyOf(item.reading)))),
    );
    const stored = new Set<string>();
    entries.forEach((list, i) =>
      list.forEach((entry, j) => entry.versionstamp && stored.add(slices[i]![j]!.reading.uuid))
    );
    return unique.filter((item) => !stored.has(item.reading.uuid));
  }

  /** Writes one value under its by-time key and its by-device key, in one commit. */
  async function setBoth(byTime: Deno.KvKey, byDevice: Deno.KvKey, value: unknown): Promise<void> {
    await retryWhileLocked(() => kv.atomic().set(byTime, value).set(byDevice, value).commit());
  }

  function deviceEntries(device: string) {
    return kv.getMany<[DeviceSummary, DeviceStatus]>([key.device(device), key.status(device)]);
  }

  /** Adds the device summary and latest status updates for one device's new readings. */
  function addDeviceUpdates(
    op: Deno.AtomicOperation,
    group: ScoredReading[],
    [summaryEntry, statusEntry]: [
      Deno.KvEntryMaybe<DeviceSummary>,
      Deno.KvEntryMaybe<DeviceStatus>,
    ],
  ): void {
    const device = group[0]!.reading.device;
    const newest = group.reduce((
      a,
      b,
    ) => (Date.parse(b.reading.timestamp) > Date.parse(a.reading.timestamp) ? b : a));
    const oldest = group.reduce((
      a,
      b,
    ) => (Date.parse(b.reading.timestamp) < Date.parse(a.reading.timestamp) ? b : a));
    const current = statusEntry.value;
    const newestIsLatest = !current ||
      Date.parse(newest.reading.timestamp) >= Date.parse(current.reading.timestamp);
    const latestStatus: DeviceStatus = newestIsLatest ? newest : current;
    const summary = summaryEntry.value;
    const next: DeviceSummary = {
      device,
      profile: newest.reading.profile,
      ...(latestStatus.reading.simulated ? { simulated: true } : {}),
      first_seen: earliest(summary?.first_seen, oldest.reading.timestamp),
      last_seen: latestStatus.reading.timestamp,
      readings: (summary?.readings ?? 0) + group.length,
      latest: latestOf(latestStatus.prediction),
    };
    op.check(summaryEntry).check(statusEntry).set(key.device(device), next);
    if (newestIsLatest) {
      op.set(key.status(device), { reading: newest.reading, prediction: newest.prediction });
    }
  }

  return {
    async saveScored(items) {
      const total: SaveResult = { stored: 0, duplicates: 0, storedUuids: [] };
      for (const chunk of commitSizedChunks(items)) {
        const result = await saveChunk(chunk);
        total.stored += result.stored;
        total.duplicates += result.duplicates;
        total.storedUuids.push(...result.storedUuids);
      }
      return total;
    },
    async listDevices() {
      const devices: DeviceSummary[] = [];
      for await (const entry of kv.list<DeviceSummary>({ prefix: key.devices() })) {
        devices.push(entry.value);
      }
      return devices;
    },
    async getDevice(device) {
      return (await kv.get<DeviceSummary>(key.device(device))).value;
    },
    async listReadings(device, query) {
      const page = await listTimeOrdered<StoredReading>(kv, key.readings(device), query);
      return { ...page, items: page.items.map((stored) => stored.reading) };
    },
    async getStatus(device) {
      return (await kv.get<DeviceStatus>(key.status(device))).value;
    },
    async saveAlert(alert) {
      const time = Date.parse(alert.raised_at);
      await setBoth(
        key.alert(time, alert.id),
        key.deviceAlert(alert.device, time, alert.id),
        alert,
      );
    },
    listAlerts(query: AlertQuery): Promise<Page<Alert>> {
      const prefix = query.device ? key.deviceAlerts(query.device) : key.alerts();
      return listTimeOrdered<Alert>(kv, prefix, query);
    },
    async saveDeadLetter(letter) {
      await retryWhileLocked(() =>
        kv.set(key.deadLetter(Date.parse(letter.received_at), letter.id), letter)
      );
    },
    listDeadLetters(query: TimeRangeQuery): Promise<Page<DeadLetter>> {
      return listTimeOrdered<DeadLetter>(kv, key.deadLetters(), query);
    },
    async saveFeedback(feedback) {
      const time = Date.parse(feedback.timestamp);
      await setBoth(
        key.feedback(time, feedback.alert_id),
        key.deviceFeedback(feedback.device, time, feedback.alert_id),
        feedback,
      );
    },
    listFeedback(query: FeedbackQuery): Promise<Page<Feedback>> {
      const prefix = query.device ? key.deviceFeedbacks(query.device) : key.feedbacks();
      return listTimeOrdered<Feedback>(kv, prefix, query);
    },
    close() {
      kv.close();
      return Promise.resolve();
    },
  };
}

function readingKeyOf(reading: Reading): Deno.KvKey {
  return key.reading(reading.device, Date.parse(reading.timestamp), reading.uuid);
}

/**
 * Opens (creating folders as needed) the Deno KV file at `path` and wraps it
 * in a store.
 */
export async function openKvStore(path: string): Promise<Store> {
  const folder = path.replace(/\/[^/]*$/, "");
  if (folder && folder !== path) await Deno.mkdir(folder, { recursive: true });
  return createKvStore({ kv: await Deno.openKv(path) });
}

/**
 * Commits an optimistic write: true when it went through, false when a check
 * failed or another writer holds the lock (the caller takes the careful path).
 */
async function commitIfClear(op: Deno.AtomicOperation): Promise<boolean> {
  try {
    return (await op.commit()).ok;
  } catch (error) {
    if (isLocked(error)) return false;
    throw error;
  }
}

/**
 * Commits, treating SQLite's "database is locked" (another process or handle
 * is writing the same file) like a lost check: the caller re-reads and retries
 * after a short random pause.
 */
async function commitUnlessLocked(op: Deno.AtomicOperation): Promise<{ ok: boolean }> {
  try {
    const result = await op.commit();
    if (!result.ok) await pause();
    return result;
  } catch (error) {
    if (!isLocked(error)) throw error;
    await pause();
    return { ok: false };
  }
}

/** Runs a write, retrying it while another writer holds the database lock. */
async function retryWhileLocked<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isLocked(error) || attempt === MAX_COMMIT_ATTEMPTS) throw error;
      await pause();
    }
  }
}

const isLocked = (error: unknown) =>
  error instanceof Error && /database is locked|busy/i.test(error.message);

const pause = () => new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));

/** Splits items into chunks that each fit one atomic commit. */
function* commitSizedChunks(items: readonly ScoredReading[]): Generator<ScoredReading[]> {
  let chunk: ScoredReading[] = [];
  let devices = new Set<string>();
  let bytes = 0;
  for (const item of items) {
    const size = 3 * JSON.stringify(item.reading).length +
      2 * JSON.stringify(item.prediction).length;
    const extraDevice = devices.has(item.reading.device) ? 0 : 1;
    const checks = chunk.length + 1 + 2 * (devices.size + extraDevice);
    if (chunk.length > 0 && (checks > MAX_CHECKS || bytes + size > MAX_CHUNK_BYTES)) {
      yield chunk;
      chunk = [];
      devices = new Set();
      bytes = 0;
    }
    chunk.push(item);
    devices.add(item.reading.device);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}

function earliest(a: string | undefined, b: string): string {
  return a === undefined || Date.parse(b) < Date.parse(a) ? b : a;
}

function latestOf(prediction: Prediction): DeviceSummary["latest"] {
  const { timestamp, probability, stressed_soon, stressed_now, model } = prediction;
  return { timestamp, probability, stressed_soon, stressed_now, model };
}
