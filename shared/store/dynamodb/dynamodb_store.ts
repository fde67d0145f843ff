import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import type { Reading } from "../../reading/mod.ts";
import { applyDeliveryPatch, newAlertRecord } from "../alert_records.ts";
import { alertStateJson, checkChatId, checkDevice, checkTime } from "../store_checks.ts";
import { nextSummary, withReplacedLatest } from "../device_summary.ts";
import { decodeNameCursor, encodeNameCursor } from "../cursor.ts";
import {
  type Alert,
  ALL_DEVICES,
  type Chat,
  type DeadLetter,
  type DeviceSummary,
  type Feedback,
  type Prediction,
} from "../records.ts";
import {
  checkPageQuery,
  type Page,
  type SaveResult,
  type ScoredReading,
  type Store,
  type TimeRangeQuery,
} from "../store.ts";
import {
  type BatchDeps,
  batchGetAll,
  batchWriteAll,
  inParallel,
  type Item,
  RETRY_DEFAULTS,
  type RetryOptions,
} from "./batch_requests.ts";
import {
  ALERTS,
  DEAD_LETTERS,
  deviceListKey,
  DEVICES,
  FEEDBACK,
  keys,
  PENDING,
  timeId,
} from "./_keys.ts";
import { queryByTime, type TimeList } from "./_query_by_time.ts";

export interface DynamoDbStoreOptions {
  /** The client; the store destroys it on `close()` unless `keepClient`. */
  client: DynamoDBClient;
  /** The table made by `deno task store:init`. */
  table: string;
  /** Days a reading (and a dead letter) is kept before DynamoDB's TTL deletes it. Default 30. */
  readingsTtlDays?: number;
  /** Retries of unprocessed batch items. */
  retry?: Partial<RetryOptions>;
  /** Batch requests in flight at once. Default 8. */
  concurrency?: number;
  /** How long `ping()` waits, ms. Default 2,000. */
  pingTimeoutMs?: number;
  /** Waits between retries; replaced by a fake clock's in tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /** Leave the client open on `close()` (it is shared). */
  keepClient?: boolean;
}

export const DEFAULT_READINGS_TTL_DAYS = 30;
const MAX_UPDATE_ATTEMPTS = 10;

/** What a reading item's `doc` holds. */
interface StoredReading {
  reading: Reading;
  prediction: Prediction;
}

/** A reading with its parsed time, so the time is parsed once per save. */
interface Timed {
  item: ScoredReading;
  time: number;
}

/** A device's summary (reading-derived) and owner state, as read before a save. */
interface DeviceItems {
  summary: DeviceSummary | null;
  muted_until: string | null;
  decommissioned_at: string | null;
}

/**
 * The Store on DynamoDB: one table (see `table_definition.ts` and
 * shared/store/README.md), plain `@aws-sdk/client-dynamodb` with each
 * record as one JSON attribute `doc` beside its key attributes.
 *
 * Saving readings: the summaries (and owner state) of the batch's devices
 * are read in one BatchGetItem per 100 keys; readings newer than a device's
 * `last_seen` are new for sure, older ones are looked up; the new readings,
 * then one summary per device, are written with BatchWriteItem in 25s, every
 * unprocessed item retried with backoff and jitter. A reading's put is
 * idempotent (same key, same content), and it is counted only when it was
 * not stored before, so a replay changes nothing. Two consumers writing the
 * same device at the same moment could count a reading twice; Kafka gives a
 * device's partition to one consumer at a time.
 */
export function createDynamoDbStore(options: DynamoDbStoreOptions): Store {
  const { client, table } = options;
  const ttlDays = options.readingsTtlDays ?? DEFAULT_READINGS_TTL_DAYS;
  if (!(Number.isFinite(ttlDays) && ttlDays > 0)) {
    throw new RangeError(
      `Cannot use DynamoDB: 'readingsTtlDays' must be a positive number, got ${ttlDays}`,
    );
  }
  if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(table)) {
    throw new RangeError(
      `Cannot use DynamoDB: the table name must be 3-255 letters, digits, '_', '-' or '.', got '${table}'`,
    );
  }
  const deps: BatchDeps = {
    client,
    table,
    retry: { ...RETRY_DEFAULTS, ...options.retry },
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    concurrency: options.concurrency ?? 8,
  };
  const expiresAt = (ms: number) => ({ N: String(Math.floor(ms / 1000) + ttlDays * 86_400) });

  const get = async (key: Item, projection?: string): Promise<Item | null> =>
    (await client.send(
      new GetItemCommand({
        TableName: table,
        Key: key,
        ConsistentRead: true,
        ...(projection ? { ProjectionExpression: projection } : {}),
      }),
    )).Item ?? null;

  const put = (item: Item, condition?: Pick<ConditionInput, "expression" | "values">) =>
    client.send(
      new PutItemCommand({
        TableName: table,
        Item: item,
        ...(condition ? conditionOf(condition) : {}),
      }),
    );

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

  async function readDevice(device: string): Promise<DeviceSummary | null> {
    const response = await client.send(
      new QueryCommand({
        TableName: table,
        ConsistentRead: true,
        KeyConditionExpression: "pk = :pk AND sk BETWEEN :owner AND :summary",
        ExpressionAttributeValues: {
          ":pk": { S: keys.deviceOf(device) },
          ":owner": { S: "OWNER" },
          ":summary": { S: "SUMMARY" },
        },
      }),
    );
    const items = response.Items ?? [];
    const summary = items.find((item) => item.sk!.S === "SUMMARY");
    const owner = items.find((item) => item.sk!.S === "OWNER");
    return summary ? merged(summary, owner) : null;
  }

  /** Sets or removes one owner field of a known device; null for an unknown device. */
  async function updateOwner(
    device: string,
    field: "muted_until" | "decommissioned_at",
    value: string | null,
  ): Promise<DeviceSummary | null> {
    checkDevice("change the device", device);
    const summary = await get(keys.summary(device));
    if (!summary) return null;
    const update = value === null ? { UpdateExpression: `REMOVE ${field}` } : {
      UpdateExpression: `SET ${field} = :value, g1pk = :list, g1sk = :at`,
      ExpressionAttributeValues: {
        ":value": { S: value },
        ":list": { S: DEVICES },
        ":at": { S: deviceListKey(device, "O") },
      },
    };
    const response = await client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: keys.owner(device),
        ...update,
        ReturnValues: "ALL_NEW",
      }),
    );
    return merged(summary, response.Attributes);
  }

  async function getAlert(id: string): Promise<Alert | null> {
    const item = await get(keys.alert(id));
    return item ? JSON.parse(item.doc!.S!) : null;
  }

  function alertItem(alert: Alert): Item {
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

  const docs = async <T>(page: Promise<Page<Item>>): Promise<Page<T>> => {
    const { items, next_cursor } = await page;
    return { items: items.map((item) => JSON.parse(item.doc!.S!) as T), next_cursor };
  };

  /** A device's stored readings (each with its prediction) in a time range. */
  const listStored = (device: string, query: TimeRangeQuery) =>
    docs<StoredReading>(queryByTime(deps, {
      partitionAttr: "pk",
      partition: keys.readingsOf(device),
      sortAttr: "sk",
      keyAt: ({ time, id }) => keys.reading(device, time, id),
    }, query));

  /** A list on the `by_list` or `by_device` index whose items have a base key from the id. */
  const indexList = (
    index: "by_list" | "by_device",
    partition: string,
    baseKey: (id: string) => Item,
  ): TimeList => {
    const [p, s] = index === "by_list" ? ["g1pk", "g1sk"] : ["g2pk", "g2sk"];
    return {
      index,
      partitionAttr: p,
      partition,
      sortAttr: s,
      keyAt: ({ time, id }) => ({
        ...baseKey(id),
        [p]: { S: partition },
        [s]: { S: timeId(time, id) },
      }),
    };
  };

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
              TableName: table,
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
          TableName: table,
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
    async listDevices(query) {
      checkPageQuery(query);
      const after = query.cursor === undefined ? null : decodeNameCursor(query.cursor);
      const groups = new Map<string, { summary?: Item; owner?: Item }>();
      let start: Item | undefined;
      let done = false;
      // A device has one or two items (summary, owner) in the list: read
      // until the device after the page has started, so the page's devices
      // are whole.
      while (groups.size < query.limit + 2) {
        const response = await client.send(
          new QueryCommand({
            TableName: table,
            IndexName: "by_list",
            KeyConditionExpression: after === null
              ? "g1pk = :list"
              : "g1pk = :list AND g1sk > :after",
            ExpressionAttributeValues: {
              ":list": { S: DEVICES },
              ...(after === null ? {} : { ":after": { S: `${after}#~` } }),
            },
            Limit: 2 * query.limit + 2,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of response.Items ?? []) {
          const listKey = item.g1sk!.S!;
          const cut = listKey.lastIndexOf("#");
          const device = listKey.slice(0, cut);
          const group = groups.get(device) ?? {};
          if (listKey.slice(cut + 1) === "S") group.summary = item;
          else group.owner = item;
          groups.set(device, group);
        }
        if (!response.LastEvaluatedKey) {
          done = true;
          break;
        }
        start = response.LastEvaluatedKey;
      }
      const whole = [...groups.values()].slice(0, done ? undefined : -1);
      const summaries = whole.filter((group) => group.summary)
        .map((group) => merged(group.summary!, group.owner));
      const items = summaries.slice(0, query.limit);
      const more = summaries.length > query.limit || (!done && items.length > 0);
      return { items, next_cursor: more ? encodeNameCursor(items.at(-1)!.device) : null };
    },
    getDevice(device) {
      return readDevice(device);
    },
    async decommissionDevice(device, at) {
      checkTime("decommission the device", "at", at);
      return await updateOwner(device, "decommissioned_at", at);
    },
    async setMute(device, until) {
      checkTime("mute the device", "until", until);
      return await updateOwner(device, "muted_until", until);
    },
    clearMute(device) {
      return updateOwner(device, "muted_until", null);
    },
    async saveAlert(input) {
      const alert = newAlertRecord(input);
      try {
        await put(alertItem(alert), { expression: "attribute_not_exists(pk)" });
        return alert;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return (await getAlert(alert.id))!;
      }
    },
    getAlert,
    listAlerts(query) {
      const list = query.device
        ? indexList("by_device", keys.alertsOf(query.device), keys.alert)
        : indexList("by_list", ALERTS, keys.alert);
      return docs<Alert>(queryByTime(deps, list, query));
    },
    async listPendingAlerts(query) {
      checkPageQuery(query);
      const response = await client.send(
        new QueryCommand({
          TableName: table,
          IndexName: "pending",
          KeyConditionExpression: "g3pk = :pending",
          ExpressionAttributeValues: { ":pending": { S: PENDING } },
          Limit: query.limit,
        }),
      );
      const ids = (response.Items ?? []).map((item) => item.pk!.S!);
      // The index may lag a moment behind the table: read each alert itself.
      const found = await batchGetAll(
        deps,
        (response.Items ?? []).map((item) => ({
          pk: item.pk!,
          sk: item.sk!,
        })),
      );
      const byPk = new Map(found.map((item) => [item.pk!.S!, JSON.parse(item.doc!.S!) as Alert]));
      return ids.map((pk) => byPk.get(pk)).filter((a): a is Alert => a?.state === "pending");
    },
    async updateAlertDelivery(id, patch) {
      for (let attempt = 1;; attempt++) {
        const item = await get(keys.alert(id));
        if (!item) return null;
        const next = applyDeliveryPatch(JSON.parse(item.doc!.S!), patch);
        try {
          await put(alertItem(next), { expression: "doc = :doc", values: { ":doc": item.doc! } });
          return next;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          if (attempt === MAX_UPDATE_ATTEMPTS) {
            throw new Error(`Cannot update alert '${id}': ${attempt} writes lost a race`);
          }
        }
      }
    },
    async getAlertStates(devices) {
      const unique = [...new Set(devices)];
      const found = await batchGetAll(deps, unique.map(keys.alertState), {
        projection: "pk, doc",
      });
      const byDevice = new Map(found.map((item) => [item.pk!.S!.slice(2), item.doc!.S!]));
      const states = new Map<string, unknown>();
      for (const device of unique) {
        const json = byDevice.get(device);
        if (json !== undefined) states.set(device, JSON.parse(json));
      }
      return states;
    },
    async saveAlertStates(states) {
      const requests = [...states].map(([device, state]): WriteRequest => {
        checkDevice("save the alert state", device);
        const json = alertStateJson(device, state);
        return { PutRequest: { Item: { ...keys.alertState(device), doc: { S: json } } } };
      });
      await batchWriteAll(deps, requests);
    },
    async saveDeadLetter(letter) {
      const time = Date.parse(letter.received_at);
      await put({
        ...keys.deadLetter(time, letter.id),
        doc: { S: JSON.stringify(letter) },
        expires_at: expiresAt(time),
      });
    },
    listDeadLetters(query) {
      return docs<DeadLetter>(queryByTime(deps, {
        partitionAttr: "pk",
        partition: DEAD_LETTERS,
        sortAttr: "sk",
        keyAt: ({ time, id }) => keys.deadLetter(time, id),
      }, query));
    },
    async saveFeedback(feedback) {
      const at = timeId(Date.parse(feedback.timestamp), feedback.alert_id);
      await put({
        ...keys.feedback(feedback.alert_id),
        doc: { S: JSON.stringify(feedback) },
        g1pk: { S: FEEDBACK },
        g1sk: { S: at },
        g2pk: { S: keys.feedbackOf(feedback.device) },
        g2sk: { S: at },
      });
    },
    listFeedback(query) {
      const list = query.device
        ? indexList("by_device", keys.feedbackOf(query.device), keys.feedback)
        : indexList("by_list", FEEDBACK, keys.feedback);
      return docs<Feedback>(queryByTime(deps, list, query));
    },
    async saveChat(chat) {
      checkChatId("save the chat", chat.chat_id);
      checkTime("save the chat", "paired_at", chat.paired_at);
      const record: Chat = { chat_id: chat.chat_id, paired_at: chat.paired_at, name: chat.name };
      await put({ ...keys.chat(chat.chat_id), doc: { S: JSON.stringify(record) } });
    },
    async getChat(chatId) {
      checkChatId("read the chat", chatId);
      const item = await get(keys.chat(chatId));
      return item ? JSON.parse(item.doc!.S!) : null;
    },
    async subscribe(chatId, device) {
      checkChatId("subscribe", chatId);
      checkDevice("subscribe", device, { all: true });
      await put({
        ...keys.subscription(chatId, device),
        g2pk: { S: keys.subscribersOf(device) },
        g2sk: { S: String(chatId) },
      });
    },
    async unsubscribe(chatId, device) {
      checkChatId("unsubscribe", chatId);
      checkDevice("unsubscribe", device, { all: true });
      await client.send(
        new DeleteItemCommand({ TableName: table, Key: keys.subscription(chatId, device) }),
      );
    },
    async listSubscribers(device) {
      const chats = new Set<number>();
      for (const name of device === ALL_DEVICES ? [device] : [device, ALL_DEVICES]) {
        for (const item of await queryAll("by_device", "g2pk", keys.subscribersOf(name))) {
          chats.add(Number(item.g2sk!.S!));
        }
      }
      return [...chats].sort((a, b) => a - b);
    },
    async listSubscriptions(chatId) {
      checkChatId("list subscriptions", chatId);
      const items = await queryAll(undefined, "pk", keys.chatOf(chatId), "SUB#");
      return items.map((item) => item.sk!.S!.slice(4));
    },
    async ping() {
      await client.send(
        new GetItemCommand({ TableName: table, Key: keys.ping() }),
        { abortSignal: AbortSignal.timeout(options.pingTimeoutMs ?? 2000) },
      );
    },
    close() {
      if (!options.keepClient) client.destroy();
      return Promise.resolve();
    },
  };

  /** Every item of a (small) partition: subscriptions, a page at a time. */
  async function queryAll(
    index: "by_device" | undefined,
    partitionAttr: string,
    partition: string,
    sortPrefix?: string,
  ): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const response = await client.send(
        new QueryCommand({
          TableName: table,
          ...(index ? { IndexName: index } : { ConsistentRead: true }),
          KeyConditionExpression: sortPrefix ? "#p = :p AND begins_with(sk, :prefix)" : "#p = :p",
          ExpressionAttributeNames: { "#p": partitionAttr },
          ExpressionAttributeValues: {
            ":p": { S: partition },
            ...(sortPrefix ? { ":prefix": { S: sortPrefix } } : {}),
          },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(response.Items ?? []));
      start = response.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

interface ConditionInput {
  expression: string;
  values?: Record<string, AttributeValue>;
}

function conditionOf(condition: ConditionInput) {
  return {
    ConditionExpression: condition.expression,
    ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
  };
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

function readingKey({ item, time }: Timed): Item {
  return keys.reading(item.reading.device, time, item.reading.uuid);
}

/** A summary item: what readings tell (the owner's mute and retirement live in the owner item). */
function summaryItem(summary: DeviceSummary): Item {
  const { muted_until: _m, decommissioned_at: _d, ...fromReadings } = summary;
  return {
    ...keys.summary(summary.device),
    doc: { S: JSON.stringify(fromReadings) },
    g1pk: { S: DEVICES },
    g1sk: { S: deviceListKey(summary.device, "S") },
  };
}

/** The summary item with the owner item's mute and retirement. */
function merged(summary: Item, owner: Item | undefined): DeviceSummary {
  return {
    ...JSON.parse(summary.doc!.S!),
    muted_until: owner?.muted_until?.S ?? null,
    decommissioned_at: owner?.decommissioned_at?.S ?? null,
  };
}
