import { type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { Store } from "../store.ts";
import { type BatchDeps, RETRY_DEFAULTS, type RetryOptions } from "./batch_requests.ts";
import { keys } from "./_keys.ts";
import { createStoreTable } from "./_table.ts";
import { createReadingMethods } from "./_readings.ts";
import { createDeviceMethods } from "./_devices.ts";
import { createAlertMethods } from "./_alerts.ts";
import { createFeedbackMethods } from "./_feedback.ts";
import { createChatMethods } from "./_chats.ts";

export { readingItem } from "./_items.ts";

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
 *
 * Each area of the port has its own file: readings (`_readings.ts`),
 * devices (`_devices.ts`), alerts and their outbox (`_alerts.ts`), feedback
 * and dead letters (`_feedback.ts`), chats and subscriptions (`_chats.ts`),
 * all on the same table requests (`_table.ts`) and items (`_items.ts`).
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
  const storeTable = createStoreTable(deps, ttlDays);
  return {
    ...createReadingMethods(storeTable),
    ...createDeviceMethods(storeTable),
    ...createAlertMethods(storeTable),
    ...createFeedbackMethods(storeTable),
    ...createChatMethods(storeTable),
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
}
