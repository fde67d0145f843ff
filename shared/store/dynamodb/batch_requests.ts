import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  type KeysAndAttributes,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";

/** DynamoDB takes at most 25 writes per BatchWriteItem and 100 keys per BatchGetItem. */
export const BATCH_WRITE_MAX = 25;
export const BATCH_GET_MAX = 100;

export type Item = Record<string, AttributeValue>;

/** How unprocessed items are retried: exponential backoff with full jitter. */
export interface RetryOptions {
  /** Requests per batch before giving up, the first included. Default 10. */
  attempts: number;
  /** Backoff before the first retry, ms; doubles each time. Default 50. */
  baseDelayMs: number;
  /** Longest backoff, ms. Default 5,000. */
  maxDelayMs: number;
}

export const RETRY_DEFAULTS: RetryOptions = { attempts: 10, baseDelayMs: 50, maxDelayMs: 5000 };

export interface BatchDeps {
  client: DynamoDBClient;
  table: string;
  retry: RetryOptions;
  /** Waits between retries (a fake clock's sleep in tests). */
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter. */
  random: () => number;
  /** Requests in flight at once. */
  concurrency: number;
}

/** The wait before retry `attempt` (1 for the first retry): full jitter, capped. */
export function backoffMs(attempt: number, retry: RetryOptions, random: () => number): number {
  return random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
}

/**
 * Writes every request, 25 per BatchWriteItem, several in flight; items
 * DynamoDB returns unprocessed (throttling, a busy partition) are sent again
 * after a backoff with jitter. Throws once a batch's retries are spent,
 * saying how many items were left: the caller's batch then fails as a whole
 * (puts are idempotent, so writing it again is safe).
 */
export async function batchWriteAll(deps: BatchDeps, requests: WriteRequest[]): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_WRITE_MAX) {
    batches.push(requests.slice(i, i + BATCH_WRITE_MAX));
  }
  await inParallel(batches, deps.concurrency, async (batch) => {
    let pending = batch;
    for (let attempt = 1;; attempt++) {
      const response = await deps.client.send(
        new BatchWriteItemCommand({ RequestItems: { [deps.table]: pending } }),
      );
      pending = response.UnprocessedItems?.[deps.table] ?? [];
      if (pending.length === 0) return;
      if (attempt >= deps.retry.attempts) {
        throw new Error(
          `Cannot write to DynamoDB table '${deps.table}': ${pending.length} of ${batch.length} ` +
            `items still unprocessed after ${attempt} attempts (is the table's throughput ` +
            `exceeded?); the batch fails and can be written again`,
        );
      }
      await deps.sleep(backoffMs(attempt, deps.retry, deps.random));
    }
  });
}

/**
 * Reads every key (strongly consistent), 100 per BatchGetItem, several in
 * flight, retrying unprocessed keys like {@linkcode batchWriteAll}. Returns
 * the items found, in no particular order.
 */
export async function batchGetAll(
  deps: BatchDeps,
  keys: Item[],
  options: { projection?: string; names?: Record<string, string> } = {},
): Promise<Item[]> {
  const batches: Item[][] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_MAX) {
    batches.push(keys.slice(i, i + BATCH_GET_MAX));
  }
  const found: Item[] = [];
  await inParallel(batches, deps.concurrency, async (batch) => {
    let pending: KeysAndAttributes = {
      Keys: batch,
      ConsistentRead: true,
      ...(options.projection ? { ProjectionExpression: options.projection } : {}),
      ...(options.names ? { ExpressionAttributeNames: options.names } : {}),
    };
    for (let attempt = 1;; attempt++) {
      const response = await deps.client.send(
        new BatchGetItemCommand({ RequestItems: { [deps.table]: pending } }),
      );
      found.push(...(response.Responses?.[deps.table] ?? []));
      const left = response.UnprocessedKeys?.[deps.table];
      if (!left?.Keys?.length) return;
      if (attempt >= deps.retry.attempts) {
        throw new Error(
          `Cannot read from DynamoDB table '${deps.table}': ${left.Keys.length} of ` +
            `${batch.length} keys still unprocessed after ${attempt} attempts (is the table's ` +
            `throughput exceeded?)`,
        );
      }
      pending = left;
      await deps.sleep(backoffMs(attempt, deps.retry, deps.random));
    }
  });
  return found;
}

/** Runs `work` on every item with at most `concurrency` running at once; the first error wins. */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, worker);
  const results = await Promise.allSettled(workers);
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (rejected) throw rejected.reason;
}
