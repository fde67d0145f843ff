import {
  type AttributeValue,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from "@aws-sdk/client-dynamodb";
import type { Page } from "../store.ts";
import type { BatchDeps, Item } from "./batch_requests.ts";
import { timeId } from "./_keys.ts";
import type { TimeList } from "./_query_by_time.ts";

/** Conditional writes a method tries before it gives up on a race with another writer. */
export const MAX_UPDATE_ATTEMPTS = 10;

export interface ConditionInput {
  expression: string;
  values?: Record<string, AttributeValue>;
}

/**
 * The store's one table as each part of the DynamoDB store uses it: the
 * batch dependencies, how long readings live, and the single-item requests
 * every part makes.
 */
export interface StoreTable {
  deps: BatchDeps;
  /** Days a reading (and a dead letter) is kept before DynamoDB's TTL deletes it. */
  ttlDays: number;
  /** One item, strongly consistent; null when there is none. */
  get(key: Item, projection?: string): Promise<Item | null>;
  /** Puts one item, on a condition when given one. */
  put(item: Item, condition?: ConditionInput): Promise<unknown>;
  /** Every item of a (small) partition: subscriptions, a page at a time. */
  queryAll(
    index: "by_device" | undefined,
    partitionAttr: string,
    partition: string,
    sortPrefix?: string,
  ): Promise<Item[]>;
}

export function createStoreTable(deps: BatchDeps, ttlDays: number): StoreTable {
  const { client, table } = deps;
  return {
    deps,
    ttlDays,
    async get(key, projection) {
      return (await client.send(
        new GetItemCommand({
          TableName: table,
          Key: key,
          ConsistentRead: true,
          ...(projection ? { ProjectionExpression: projection } : {}),
        }),
      )).Item ?? null;
    },
    put(item, condition) {
      return client.send(
        new PutItemCommand({
          TableName: table,
          Item: item,
          ...(condition ? conditionOf(condition) : {}),
        }),
      );
    },
    async queryAll(index, partitionAttr, partition, sortPrefix) {
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
    },
  };
}

function conditionOf(condition: ConditionInput) {
  return {
    ConditionExpression: condition.expression,
    ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
  };
}

/** A page of items as the records their `doc` holds. */
export async function docs<T>(page: Promise<Page<Item>>): Promise<Page<T>> {
  const { items, next_cursor } = await page;
  return { items: items.map((item) => JSON.parse(item.doc!.S!) as T), next_cursor };
}

/** A list on the `by_list` or `by_device` index whose items have a base key from the id. */
export function indexList(
  index: "by_list" | "by_device",
  partition: string,
  baseKey: (id: string) => Item,
): TimeList {
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
}
