import type { Reading } from "../reading/mod.ts";
import { applyDeliveryPatch, newAlertRecord, upgradeAlert } from "./alert_records.ts";
import { alertStateJson, checkChatId, checkDevice, checkTime } from "./store_checks.ts";
import { listTimeOrdered } from "./_kv_time_list.ts";
import { nextSummary, upgradeSummary, withReplacedLatest } from "./device_summary.ts";
import { decodeNameCursor, encodeNameCursor } from "./cursor.ts";
import {
  type Alert,
  ALL_DEVICES,
  type Chat,
  type DeadLetter,
  type DeviceSummary,
  type Feedback,
  type Prediction,
} from "./records.ts";
import {
  type AlertQuery,
  checkPageQuery,
  type FeedbackQuery,
  type Page,
  type SaveResult,
  type ScoredReading,
  type Store,
  type TimeRangeQuery,
} from "./store.ts";

/** Deno KV allows 100 checks per atomic commit: one per device of a chunk. */
const MAX_CHECKS = 100;
/** Deno KV allows 1,000 mutations per commit: one per reading and one per device. */
const MAX_MUTATIONS = 1000;
/**
 * Deno KV allows 800 KiB of mutations per commit: the rough estimate below
 * overstates a reading by about 1.7 times, so 700 KiB of it stays clear.
 */
const MAX_CHUNK_BYTES = 700 * 1024;
/** Deno KV allows 80 KiB of keys per commit; stay below. */
const MAX_KEY_BYTES = 64 * 1024;
/** Readings per commit when predictions are replaced: a check each, plus one per device. */
const REPLACE_CHUNK = 40;
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
  alert: (id: string) => ["alerts_by_id", id],
  alertByTime: (time: number, id: string) => ["alerts", time, id],
  alerts: () => ["alerts"],
  deviceAlert: (device: string, time: number, id: string) => ["alerts_by_device", device, time, id],
  deviceAlerts: (device: string) => ["alerts_by_device", device],
  pendingAlert: (time: number, id: string) => ["alerts_pending", time, id],
  pendingAlerts: () => ["alerts_pending"],
  alertState: (device: string) => ["alert_states", device],
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
  /** Where an alert's feedback is filed, so a second verdict replaces the first. */
  alertFeedback: (alertId: string) => ["feedback_by_alert", alertId],
  chat: (chatId: number) => ["chats", chatId],
  subscriber: (device: string, chatId: number) => ["subscribers", device, chatId],
  subscribers: (device: string) => ["subscribers", device],
  subscription: (chatId: number, device: string) => ["subscriptions", chatId, device],
  subscriptions: (chatId: number) => ["subscriptions", chatId],
} satisfies Record<string, (...args: never[]) => Deno.KvKey>;

/** What one reading key holds: the reading and the prediction made for it. */
interface StoredReading {
  reading: Reading;
  prediction: Prediction;
}

/** A reading with its parsed time, so the time is parsed once per save. */
interface Timed {
  item: ScoredReading;
  time: number;
}

/**
 * The embedded Store: a Deno KV database (a file under `./data` by default).
 *
 * A reading and its prediction live under one key, `[readings, device,
 * time, uuid]`. Every commit that stores readings also rewrites their
 * devices' summaries and checks that each summary is the one it read, so a
 * reading delivered twice, or written by two consumers at once, is stored
 * and counted once: readings newer than the summary's `last_seen` are new
 * for sure, older ones are looked up first. One check per device (not per
 * reading) lets one commit hold up to 100 devices, which is what batches
 * mixing many devices need. The latest status is the newest reading key.
 */
export function createKvStore(options: KvStoreOptions): Store {
  const { kv } = options;

  async function saveChunk(chunk: readonly Timed[]): Promise<Timed[]> {
    const byDevice = Map.groupBy(chunk, ({ item }) => item.reading.device);
    const devices = [...byDevice.keys()];
    for (let attempt = 1;; attempt++) {
      const summaries = await getManyInSlices<DeviceSummary>(devices.map(key.device));
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
      const found = await getManyInSlices(candidates.map(readingKeyOf));
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
        getManyInSlices<StoredReading>(chunk.map(readingKeyOf)),
        getManyInSlices<DeviceSummary>(devices.map(key.device)),
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

  /** getMany() for any number of keys, 10 at a time, in parallel. */
  async function getManyInSlices<T>(keys: Deno.KvKey[]): Promise<Deno.KvEntryMaybe<T>[]> {
    if (keys.length === 0) return [];
    const slices: Deno.KvKey[][] = [];
    for (let i = 0; i < keys.length; i += GET_MANY) slices.push(keys.slice(i, i + GET_MANY));
    return (await Promise.all(slices.map((slice) => kv.getMany<T[]>(slice)))).flat();
  }

  /** Reads, changes and writes one device's summary, retrying if another writer got in first. */
  async function updateSummary(
    device: string,
    change: (summary: DeviceSummary) => DeviceSummary,
  ): Promise<DeviceSummary | null> {
    for (let attempt = 1;; attempt++) {
      const entry = await kv.get<DeviceSummary>(key.device(device));
      if (!entry.value) return null;
      const next = change(upgradeSummary(entry.value));
      const op = kv.atomic().check(entry).set(key.device(device), next);
      if ((await commitUnlessLocked(op)).ok) return next;
      if (attempt === MAX_COMMIT_ATTEMPTS) {
        throw new Error(`Cannot update device '${device}': ${attempt} commits lost a race`);
      }
    }
  }

  /** Writes an alert under its id, both lists and (while pending) the outbox. */
  function setAlert(op: Deno.AtomicOperation, alert: Alert, previous: Alert | null) {
    const time = Date.parse(alert.raised_at);
    op.set(key.alert(alert.id), alert)
      .set(key.alertByTime(time, alert.id), alert)
      .set(key.deviceAlert(alert.device, time, alert.id), alert);
    if (alert.state === "pending") op.set(key.pendingAlert(time, alert.id), alert);
    else if (previous?.state === "pending") op.delete(key.pendingAlert(time, alert.id));
  }

  async function getAlert(id: string): Promise<Alert | null> {
    const stored = (await kv.get<Alert>(key.alert(id))).value;
    return stored ? upgradeAlert(stored) : null;
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
    async listDevices(query) {
      checkPageQuery(query);
      const after = query.cursor === undefined ? null : decodeNameCursor(query.cursor);
      const iterator = kv.list<DeviceSummary>(
        after === null
          ? { prefix: key.devices() }
          : { prefix: key.devices(), start: key.device(`${after}\u0000`) },
        { limit: query.limit + 1 },
      );
      const items: DeviceSummary[] = [];
      for await (const entry of iterator) items.push(upgradeSummary(entry.value));
      const more = items.length > query.limit;
      if (more) items.pop();
      return { items, next_cursor: more ? encodeNameCursor(items.at(-1)!.device) : null };
    },
    async getDevice(device) {
      const summary = (await kv.get<DeviceSummary>(key.device(device))).value;
      return summary ? upgradeSummary(summary) : null;
    },
    async decommissionDevice(device, at) {
      checkTime("decommission the device", "at", at);
      return await updateSummary(device, (summary) => ({ ...summary, decommissioned_at: at }));
    },
    async setMute(device, until) {
      checkTime("mute the device", "until", until);
      return await updateSummary(device, (summary) => ({ ...summary, muted_until: until }));
    },
    clearMute(device) {
      return updateSummary(device, (summary) => ({ ...summary, muted_until: null }));
    },
    async saveAlert(input) {
      const alert = newAlertRecord(input);
      const op = kv.atomic().check({ key: key.alert(alert.id), versionstamp: null });
      setAlert(op, alert, null);
      if ((await retryWhileLocked(() => op.commit())).ok) return alert;
      return (await getAlert(alert.id))!;
    },
    getAlert,
    listAlerts(query: AlertQuery): Promise<Page<Alert>> {
      const prefix = query.device ? key.deviceAlerts(query.device) : key.alerts();
      return upgradedAlerts(listTimeOrdered<Alert>(kv, prefix, query));
    },
    async listPendingAlerts(query) {
      checkPageQuery(query);
      const alerts: Alert[] = [];
      const iterator = kv.list<Alert>({ prefix: key.pendingAlerts() }, { limit: query.limit });
      for await (const entry of iterator) alerts.push(upgradeAlert(entry.value));
      return alerts;
    },
    async updateAlertDelivery(id, patch) {
      for (let attempt = 1;; attempt++) {
        const entry = await kv.get<Alert>(key.alert(id));
        if (!entry.value) return null;
        const current = upgradeAlert(entry.value);
        const next = applyDeliveryPatch(current, patch);
        const op = kv.atomic().check(entry);
        setAlert(op, next, current);
        if ((await commitUnlessLocked(op)).ok) return next;
        if (attempt === MAX_COMMIT_ATTEMPTS) {
          throw new Error(`Cannot update alert '${id}': ${attempt} commits lost a race`);
        }
      }
    },
    async getAlertStates(devices) {
      const entries = await getManyInSlices<string>(devices.map(key.alertState));
      const states = new Map<string, unknown>();
      entries.forEach((entry, i) => {
        if (entry.value !== null) states.set(devices[i]!, JSON.parse(entry.value));
      });
      return states;
    },
    async saveAlertStates(states) {
      const entries = [...states].map(([device, state]) => {
        checkDevice("save the alert state", device);
        return [device, alertStateJson(device, state)] as const;
      });
      // 4 KiB at most each: 100 per commit stay under KV's 800 KiB.
      for (let i = 0; i < entries.length; i += 100) {
        const op = kv.atomic();
        for (const [device, json] of entries.slice(i, i + 100)) {
          op.set(key.alertState(device), json);
        }
        await retryWhileLocked(() => op.commit());
      }
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
      const filed = key.alertFeedback(feedback.alert_id);
      for (let attempt = 1;; attempt++) {
        const previous = await kv.get<{ time: number; device: string }>(filed);
        const op = kv.atomic().check(previous)
          .set(key.feedback(time, feedback.alert_id), feedback)
          .set(key.deviceFeedback(feedback.device, time, feedback.alert_id), feedback)
          .set(filed, { time, device: feedback.device });
        const old = previous.value;
        if (old && (old.time !== time || old.device !== feedback.device)) {
          op.delete(key.feedback(old.time, feedback.alert_id))
            .delete(key.deviceFeedback(old.device, old.time, feedback.alert_id));
        }
        if ((await commitUnlessLocked(op)).ok) return;
        if (attempt === MAX_COMMIT_ATTEMPTS) {
          throw new Error(`Cannot save feedback on '${feedback.alert_id}': commits lost a race`);
        }
      }
    },
    listFeedback(query: FeedbackQuery): Promise<Page<Feedback>> {
      const prefix = query.device ? key.deviceFeedbacks(query.device) : key.feedbacks();
      return listTimeOrdered<Feedback>(kv, prefix, query);
    },
    async saveChat(chat) {
      checkChatId("save the chat", chat.chat_id);
      checkTime("save the chat", "paired_at", chat.paired_at);
      const record: Chat = { chat_id: chat.chat_id, paired_at: chat.paired_at, name: chat.name };
      await retryWhileLocked(() => kv.set(key.chat(chat.chat_id), record));
    },
    async getChat(chatId) {
      return (await kv.get<Chat>(key.chat(chatId))).value;
    },
    async subscribe(chatId, device) {
      checkChatId("subscribe", chatId);
      checkDevice("subscribe", device, { all: true });
      await retryWhileLocked(() =>
        kv.atomic().set(key.subscriber(device, chatId), true)
          .set(key.subscription(chatId, device), true).commit()
      );
    },
    async unsubscribe(chatId, device) {
      checkChatId("unsubscribe", chatId);
      checkDevice("unsubscribe", device, { all: true });
      await retryWhileLocked(() =>
        kv.atomic().delete(key.subscriber(device, chatId))
          .delete(key.subscription(chatId, device)).commit()
      );
    },
    async listSubscribers(device) {
      const chats = new Set<number>();
      for (const name of device === ALL_DEVICES ? [device] : [device, ALL_DEVICES]) {
        for await (const entry of kv.list({ prefix: key.subscribers(name) })) {
          chats.add(entry.key.at(-1) as number);
        }
      }
      return [...chats].sort((a, b) => a - b);
    },
    async listSubscriptions(chatId) {
      const devices: string[] = [];
      for await (const entry of kv.list({ prefix: key.subscriptions(chatId) })) {
        devices.push(entry.key.at(-1) as string);
      }
      return devices;
    },
    async ping() {
      await kv.get(["ping"]);
    },
    close() {
      kv.close();
      return Promise.resolve();
    },
  };
}

async function upgradedAlerts(page: Promise<Page<Alert>>): Promise<Page<Alert>> {
  const { items, next_cursor } = await page;
  return { items: items.map(upgradeAlert), next_cursor };
}

function readingKeyOf({ item, time }: Timed): Deno.KvKey {
  return key.reading(item.reading.device, time, item.reading.uuid);
}

/**
 * Opens a Deno KV database and wraps it in a store: the file at `path`
 * (creating its folders), a KV Connect URL (a Deno Deploy database reached
 * from elsewhere, with `DENO_KV_ACCESS_TOKEN`), or with no path the
 * platform's own (Deno Deploy's KV). `openKv` is `Deno.openKv` unless a test
 * gives another.
 */
export async function openKvStore(
  path: string | undefined,
  options: { openKv?: (path?: string) => Promise<Deno.Kv> } = {},
): Promise<Store> {
  if (path !== undefined && !isRemoteKv(path) && path !== ":memory:") {
    const folder = path.replace(/\/[^/]*$/, "");
    if (folder && folder !== path) await Deno.mkdir(folder, { recursive: true });
  }
  const openKv = options.openKv ?? ((path?: string) => Deno.openKv(path));
  return createKvStore({ kv: await openKv(path) });
}

/** A KV Connect URL (`https://api.deno.com/databases/<id>/connect`) rather than a file. */
export function isRemoteKv(path: string): boolean {
  return /^https?:\/\//i.test(path);
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

/**
 * Splits readings into chunks that each fit one atomic commit: at most 100
 * devices (one check each), 1,000 mutations (one per reading and per
 * device), 700 KiB of values by a rough estimate and 64 KiB of keys. Given
 * readings sorted by device and time, each chunk writes neighbouring keys.
 */
function* commitSizedChunks(items: readonly Timed[]): Generator<Timed[]> {
  let chunk: Timed[] = [];
  let devices = new Set<string>();
  let bytes = 0;
  let keyBytes = 0;
  for (const timed of items) {
    const { device, uuid } = timed.item.reading;
    const size = roughSize(timed.item);
    const newDevice = !devices.has(device);
    // A reading key, plus a summary key for a new device: names and about 30 bytes of framing.
    const keySize = 30 + device.length + uuid.length + (newDevice ? 20 + device.length : 0);
    const checks = devices.size + (newDevice ? 1 : 0);
    const mutations = chunk.length + 1 + checks;
    if (
      chunk.length > 0 &&
      (checks > MAX_CHECKS || mutations > MAX_MUTATIONS || bytes + size > MAX_CHUNK_BYTES ||
        keyBytes + keySize > MAX_KEY_BYTES)
    ) {
      yield chunk;
      chunk = [];
      devices = new Set();
      bytes = 0;
      keyBytes = 0;
    }
    chunk.push(timed);
    if (!devices.has(device)) keyBytes += 20 + device.length;
    devices.add(device);
    bytes += size;
    keyBytes += 30 + device.length + uuid.length;
  }
  if (chunk.length > 0) yield chunk;
}

function sortedByKey(chunk: Timed[]): Timed[] {
  return chunk.sort((a, b) =>
    a.item.reading.device < b.item.reading.device
      ? -1
      : a.item.reading.device > b.item.reading.device
      ? 1
      : a.time - b.time
  );
}

/**
 * An upper estimate of the bytes a reading and its prediction take in a
 * commit, without serialising them (JSON.stringify of every item cost about
 * 5 % of the pipeline's time): 16 bytes per field and each string's length,
 * twice over for the summary and key.
 */
function roughSize(value: unknown): number {
  let bytes = 16;
  if (typeof value === "string") return bytes + 2 * value.length;
  if (value === null || typeof value !== "object") return bytes;
  if (Array.isArray(value)) {
    for (const element of value) bytes += roughSize(element);
    return bytes;
  }
  for (const name in value) {
    bytes += name.length + roughSize((value as Record<string, unknown>)[name]);
  }
  return bytes;
}
